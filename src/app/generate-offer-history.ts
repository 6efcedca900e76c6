/**
 * A generated sales history, so the incentives report has something true to show: agents selling a
 * business card to customers the gates found suitable, under a campaign or in conversations, and what
 * happened after. One agent — not the top seller — sells with high harm (cards never used, early
 * cancellations, refunds, upheld complaints). Every offer goes through the real gates
 * (presentOffer), every answer and outcome through the use-cases; only usage is written in bulk.
 */
import type { Insertable } from 'kysely';
import { newId } from '../db/ids.ts';
import type { UsageEventsTable } from '../db/schema.ts';
import { seededRandom } from '../domain/seeded-random.ts';
import { withTenant } from '../db/with-tenant.ts';
import { createAgent } from './create-agent.ts';
import { createCampaign } from './create-campaign.ts';
import { createCustomer } from './create-customer.ts';
import { createProduct } from './create-product.ts';
import { answerOffer, recordOfferOutcome } from './decide-offer.ts';
import { presentOffer } from './present-offer.ts';
import { publishProductFit } from './publish-product-fit.ts';
import type { TenantScope } from './scope.ts';

const DAY_MS = 86_400_000;

export const GENERATED_CARD_FIT = `keyFacts: |
  Business Rewards Card. Annual fee GBP 95. 1% cashback on card spend, up to GBP 500 a year.
  Foreign payments cost GBP 1.50 each. Close it at any time; the annual fee is refunded pro rata.
targetMarket:
  - kind: { in: [business] }
  - revenue: { atLeast: 20000 }
fees:
  currency: GBP
  yearlyMinor: 9500
  perUnitMinor: { fx_payment: 150 }
benefits:
  - unit: card_spend
    valuePerUnitMinor: 1
    capPerYearMinor: 50000
    description: 1% cashback on card spend (counted in pounds)
needs: [business_spending, cashback]
situations: [high_card_spend]
`;

export interface OfferHistoryOptions {
  seed?: number;
  now?: Date;
  /** Called after each sale, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
  /** Appended to the product's, campaigns' and agents' names and e-mails (default: a fresh run id, so runs never collide). */
  suffix?: string;
}

/** Who sells how much and how often it harms: [name, sales, harm probability]. */
const SELLERS: ReadonlyArray<readonly [string, number, number]> = [
  ['Toni Topseller', 40, 0.05],
  ['Harper Highharm', 22, 0.6],
  ['Ari Steady', 18, 0.06],
  ['Bo Careful', 16, 0.0],
  ['Cam Even', 14, 0.07],
  ['Dee Modest', 12, 0.08],
  ['Eli Newer', 6, 0.17],
];

export interface OfferHistoryResult {
  productId: string;
  campaignIds: string[];
  agents: Array<{ id: string; name: string; sales: number }>;
  /** The agent generated to sell with high harm. */
  highHarmAgentId: string;
  topSellerId: string;
  sales: number;
}

type Harm = 'unused' | 'cancelled' | 'refund' | 'complaint';
const HARMS: readonly Harm[] = ['unused', 'cancelled', 'refund', 'complaint'];

export async function generateOfferHistory(scope: TenantScope, options: OfferHistoryOptions = {}): Promise<OfferHistoryResult> {
  const now = options.now ?? new Date();
  const random = seededRandom(options.seed ?? 7);
  const run = options.suffix ?? newId().slice(0, 6);
  const named = (name: string) => (run ? `${name} ${run}` : name);
  const product = await createProduct(scope, { name: named('Business Rewards Card'), features: [{ name: 'card_spend', benefit: '1% cashback on what the business spends on the card' }] });
  await publishProductFit(scope, product.id, GENERATED_CARD_FIT);
  const agents: OfferHistoryResult['agents'] = [];
  for (const [name, sales] of SELLERS) {
    const slug = name.toLowerCase().replace(/[^a-z]+/g, '.');
    const row = await createAgent(scope, { name, email: `${slug}${run ? `.${run}` : ''}@example.com`, role: 'agent', available: true, maxOpen: 20 });
    agents.push({ id: row.id, name, sales });
  }
  const campaign = await createCampaign(scope, {
    name: named('Cashback for card spenders'),
    productIds: [product.id],
    audience: [{ 'usage.card_spend': { atLeast: 800 } }],
    situation: 'high_card_spend',
    ownerId: agents[0]!.id,
  });
  const drive = await createCampaign(scope, {
    name: named('Year-end card drive'),
    productIds: [product.id],
    audience: [{ 'usage.card_spend': { atLeast: 800 } }],
    situation: 'high_card_spend',
    ownerId: agents[1]!.id,
  });

  const total = SELLERS.reduce((a, [, n]) => a + n, 0);
  let done = 0;
  for (const [i, [, sales, harmRate]] of SELLERS.entries()) {
    const agent = agents[i]!;
    for (let k = 0; k < sales; k++) {
      // Sales over the last 330 days; most have had their 90 days.
      const soldAt = new Date(now.getTime() - Math.floor(20 + random() * 310) * DAY_MS);
      const customer = await createCustomer(scope, {
        name: `Business ${run ? `${run}-` : ''}${i}-${k}`,
        emails: [],
        phones: [],
        customerSince: '2020-01-01',
        attributes: { kind: 'business', revenue: Math.round(50_000 + random() * 900_000), region: 'GB' },
      });
      const monthly = Math.round(1200 + random() * 2500);
      const harmed = random() < harmRate;
      const harm: Harm | null = harmed ? HARMS[Math.floor(random() * HARMS.length)]! : null;
      // Twelve months of card spend before the sale; after it, use unless the card was never used.
      const usage: Insertable<UsageEventsTable>[] = [];
      for (let m = 1; m <= 12; m++) {
        usage.push({ tenant_id: scope.tenantId, id: newId(), customer_id: customer.id, unit: 'card_spend', quantity: Math.round(monthly * (0.8 + random() * 0.4)), at: new Date(soldAt.getTime() - m * 30 * DAY_MS), external_id: `gen-${customer.id}-pre-${m}` });
      }
      if (harm !== 'unused') {
        for (let m = 0; m < 3; m++) {
          const at = new Date(soldAt.getTime() + (5 + m * 30) * DAY_MS);
          if (at < now) usage.push({ tenant_id: scope.tenantId, id: newId(), customer_id: customer.id, unit: 'card_spend', quantity: monthly, at, external_id: `gen-${customer.id}-post-${m}` });
        }
      }
      await withTenant(scope.db, scope.tenantId, (tx) => tx.insertInto('usage_events').values(usage).execute());
      // The high-harm seller works mostly the year-end drive; everyone else mostly the cashback campaign.
      const inDrive = random() < (i === 1 ? 0.8 : 0.2);
      const statedNeed = random() < 0.5 ? { statedNeed: 'cashback' } : {};
      const offer = await presentOffer(scope, { customerId: customer.id, productId: product.id, campaignId: inDrive ? drive.id : campaign.id, agentId: agent.id, ...statedNeed }, undefined, soldAt);
      if (offer.status !== 'presented') throw new Error(`generated offer was ${offer.status}: ${JSON.stringify(offer.decision)}`);
      const decidedAt = new Date(soldAt.getTime() + 3_600_000);
      await answerOffer(scope, offer.id, 'accept', decidedAt);
      const after = (days: number) => new Date(Math.min(now.getTime() - 60_000, decidedAt.getTime() + days * DAY_MS));
      if (harm === 'cancelled') await recordOfferOutcome(scope, offer.id, { kind: 'cancellation', at: after(10 + random() * 60).toISOString(), note: 'closed the card' }, now);
      if (harm === 'refund') await recordOfferOutcome(scope, offer.id, { kind: 'refund', at: after(15).toISOString(), note: 'annual fee refunded' }, now);
      if (harm === 'complaint') await recordOfferOutcome(scope, offer.id, { kind: 'complaint', upheld: true, at: after(30).toISOString(), note: 'the fee was not explained' }, now);
      // Some careful sellers' customers complain too, and are not upheld: not harm.
      if (!harmed && random() < 0.05) await recordOfferOutcome(scope, offer.id, { kind: 'complaint', upheld: false, at: after(40).toISOString(), note: 'asked about the fee' }, now);
      options.onProgress?.(++done, total);
    }
  }
  const top = agents.reduce((a, b) => (b.sales > a.sales ? b : a));
  return { productId: product.id, campaignIds: [campaign.id, drive.id], agents, highHarmAgentId: agents[1]!.id, topSellerId: top.id, sales: total };
}
