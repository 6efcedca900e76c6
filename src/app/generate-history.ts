import type { Insertable, Kysely } from 'kysely';
import { addBusinessMinutes } from '../domain/charter/business-hours.ts';
import { entitlementsFor } from '../domain/charter/entitlements.ts';
import { CHANNELS } from '../domain/charter/schema.ts';
import { slaStatus, targetsFor } from '../domain/charter/sla.ts';
import { effectiveTargets } from '../domain/charter/targets.ts';
import { newId } from '../db/ids.ts';
import type { ConversationsTable, CustomersTable, DB, SpendEntriesTable } from '../db/schema.ts';
import { withTenant } from '../db/with-tenant.ts';
import { seededRandom } from '../domain/seeded-random.ts';
import { loadCharterInEffect } from './charter-cache.ts';
import { charterCurrency } from './customer-facts.ts';
import { UnprocessableError } from './errors.ts';

export interface HistoryOptions {
  conversations: number;
  /** Serve the lowest spend band late (about 80% of minimum targets met instead of about 97.5%). */
  starveLowestBand?: boolean;
  seed?: number;
  now?: Date;
  /** Called after each batch, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

export interface HistoryResult {
  customers: number;
  conversations: number;
  starvedConversations: number;
}


const BATCH = 500;

/**
 * Generates a realistic past for a tenant — customers with spend and resolved conversations with
 * their SLA clocks — so that reports have something to show. With `starveLowestBand`, the lowest
 * spend quintile is deliberately served late: the parity report must flag exactly that.
 * Written in bulk (not through the per-request use-cases) so 10,000 conversations take seconds.
 */
export async function generateHistory(db: Kysely<DB>, tenantId: string, options: HistoryOptions): Promise<HistoryResult> {
  const now = options.now ?? new Date();
  const random = seededRandom(options.seed ?? 42);
  const loaded = await withTenant(db, tenantId, (tx) => loadCharterInEffect(tx, tenantId, now));
  if (!loaded) throw new UnprocessableError('publish a charter first: history is generated under it', []);
  const { charter, calendar } = loaded;
  const currency = charterCurrency(charter) ?? 'EUR';
  const runId = newId().slice(0, 8);

  // Customers: about 30% with no spend, the rest log-normal around 400 a year.
  const customerCount = Math.max(50, Math.round(options.conversations / 8));
  const customers: Array<Insertable<CustomersTable> & { spend: number; since: Date }> = [];
  const spend: Insertable<SpendEntriesTable>[] = [];
  for (let i = 0; i < customerCount; i++) {
    const id = newId();
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const amount = random() < 0.3 ? 0 : Math.round(Math.exp(Math.log(40_000) + normal));
    const since = new Date(now.getTime() - Math.floor(random() * 12 * 365) * 86_400_000);
    customers.push({
      tenant_id: tenantId,
      id,
      name: `Generated customer ${runId}-${i + 1}`,
      external_id: `history-${runId}-${i + 1}`,
      customer_since: since.toISOString().slice(0, 10),
      attributes: JSON.stringify({ generated: true }),
      spend: amount,
      since,
    });
    if (amount > 0) {
      const at = new Date(now.getTime() - (1 + Math.floor(random() * 360)) * 86_400_000);
      spend.push({ tenant_id: tenantId, id: newId(), customer_id: id, amount_minor: amount, currency, at, source: 'generated', external_id: `history-${runId}-${i + 1}` });
    }
  }
  const spenders = customers.filter((c) => c.spend > 0).map((c) => c.spend).sort((a, b) => a - b);
  const lowestEdge = spenders[Math.floor(spenders.length * 0.2)] ?? 0;
  const severities = charter.severities.map((s) => s.id);

  const conversations: Insertable<ConversationsTable>[] = [];
  let starved = 0;
  for (let i = 0; i < options.conversations; i++) {
    const customer = customers[Math.floor(random() * customers.length)]!;
    const channel = CHANNELS[Math.floor(random() * CHANNELS.length)]!;
    const severity = severities[Math.floor(random() * severities.length)]!;
    const openedAt = new Date(now.getTime() - (2 + random() * 86) * 86_400_000);
    const facts = { spendLast12Months: { amountMinor: customer.spend, currency }, customerSince: customer.since, plan: null };
    const tier = entitlementsFor(charter, facts, openedAt).tier;
    const tierRule = tier ? (charter.tiers.find((t) => t.id === tier.id) ?? null) : null;
    const entitled = targetsFor({ targets: effectiveTargets(charter, tierRule) }, { channel, severity });
    const minimum = targetsFor({ targets: effectiveTargets(charter, null) }, { channel, severity });
    const isStarved = Boolean(options.starveLowestBand) && customer.spend > 0 && customer.spend <= lowestEdge;
    if (isStarved) starved++;
    const metShare = isStarved ? 0.8 : 0.975;
    // Met: somewhere inside the minimum target; missed: up to three times over it.
    const within = (target: number) => (random() < metShare ? target * (0.1 + 0.85 * random()) : target * (1.05 + 2 * random()));
    const firstResponseMinutes = Math.max(1, Math.round(within(minimum.firstResponseMinutes)));
    const resolutionMinutes = Math.max(firstResponseMinutes + 1, Math.round(within(minimum.resolutionMinutes)));
    const firstReplyAt = addBusinessMinutes(openedAt, firstResponseMinutes, calendar);
    const resolvedAt = addBusinessMinutes(openedAt, resolutionMinutes, calendar);
    const status = slaStatus({ openedAt, firstReplyAt, resolvedAt, targets: entitled, calendar, atRisk: charter.atRisk, now });
    const minStatus = slaStatus({ openedAt, firstReplyAt, resolvedAt, targets: minimum, calendar, atRisk: charter.atRisk, now });
    conversations.push({
      tenant_id: tenantId,
      id: newId(openedAt.getTime()),
      customer_id: customer.id!,
      channel,
      subject: `Generated ${severity} conversation`,
      severity,
      status: 'resolved',
      tags: ['generated'],
      first_reply_at: firstReplyAt,
      last_customer_message_at: openedAt,
      resolved_at: resolvedAt,
      charter_version: loaded.version,
      tier: tier?.id ?? null,
      opened_spend_minor: customer.spend,
      first_response_due_at: status.firstResponseDueAt,
      resolution_due_at: status.resolutionDueAt,
      min_first_response_due_at: minStatus.firstResponseDueAt,
      min_resolution_due_at: minStatus.resolutionDueAt,
      first_response_business_minutes: firstResponseMinutes,
      sla_state: status.state,
      created_at: openedAt,
      updated_at: resolvedAt,
    });
  }

  await withTenant(db, tenantId, async (tx) => {
    for (let i = 0; i < customers.length; i += BATCH) {
      await tx.insertInto('customers').values(customers.slice(i, i + BATCH).map(({ spend: _s, since: _d, ...row }) => row)).execute();
    }
    for (let i = 0; i < spend.length; i += BATCH) await tx.insertInto('spend_entries').values(spend.slice(i, i + BATCH)).execute();
  });
  for (let i = 0; i < conversations.length; i += BATCH) {
    // One transaction per batch keeps PGlite's single connection free for requests in between.
    await withTenant(db, tenantId, (tx) => tx.insertInto('conversations').values(conversations.slice(i, i + BATCH)).execute());
    options.onProgress?.(Math.min(i + BATCH, conversations.length), conversations.length);
  }
  return { customers: customers.length, conversations: conversations.length, starvedConversations: starved };
}
