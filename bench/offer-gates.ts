/**
 * Offer-gate evaluation for 100,000 customers (issue 7): for each, the expected value of a business
 * card from their own 12 months of use with 1,000 seeded bootstrap resamples, then all six gates.
 * In-process, no database: the pure decision the API makes per customer and product.
 * Reference, in the same run: the same gates on the point estimate alone (no resamples), so the
 * ratio shows what the robustness check costs.
 *
 * Run alone: `npx tsx bench/offer-gates.ts [--quick]` (quick: 10,000 customers).
 */
import { expectedValue, seedOf } from '../src/domain/offers/expected-value.ts';
import { parseProductFit } from '../src/domain/offers/fit.ts';
import { evaluateGates } from '../src/domain/offers/gates.ts';
import type { OfferCustomer } from '../src/domain/offers/target-market.ts';
import { seededRandom } from '../src/domain/seeded-random.ts';
import { GENERATED_CARD_FIT } from '../src/app/generate-offer-history.ts';
import type { Record as BenchRecord } from './record.ts';

interface Subject {
  customer: OfferCustomer;
  months: Array<Record<string, number>>;
}

function population(n: number): Subject[] {
  const random = seededRandom(2026);
  const out: Subject[] = [];
  for (let i = 0; i < n; i++) {
    const base = Math.round(random() * 3000);
    const months = Array.from({ length: 12 }, (): Record<string, number> => (random() < 0.1 ? {} : { card_spend: Math.round(base * (0.5 + random())), fx_payment: random() < 0.3 ? Math.round(random() * 8) : 0 }));
    const usage: Record<string, number> = {};
    for (const m of months) for (const [u, q] of Object.entries(m)) usage[u] = (usage[u] ?? 0) + q / 12;
    out.push({
      customer: { id: `c${i}`, kind: random() < 0.7 ? 'business' : 'individual', size: Math.round(random() * 50), revenue: Math.round(random() * 500_000), region: random() < 0.02 ? null : 'GB', vulnerable: random() < 0.05, tenureMonths: Math.round(random() * 120), usageMonthly: usage },
      months,
    });
  }
  return out;
}

function run(subjects: Subject[], resamples: number | undefined, at: Date): { seconds: number; eligible: number } {
  const parsed = parseProductFit(GENERATED_CARD_FIT);
  if (!parsed.ok) throw new Error('fit');
  const fit = parsed.fit;
  let eligible = 0;
  const started = process.hrtime.bigint();
  for (const s of subjects) {
    const value = expectedValue({ fit, months: s.months, current: [], seed: seedOf(`${s.customer.id}:card`), ...(resamples !== undefined ? { resamples } : {}) });
    const d = evaluateGates({ fit, customer: s.customer, value, context: { kind: 'conversation', statedNeed: 'cashback' }, cancelling: false, declines: [], extraCare: { presentedAt: null, leadReviewedAt: null, keyFactsReadAt: null }, at });
    if (d.outcome !== 'blocked') eligible++;
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, eligible };
}

export async function benchOfferGates(opts: { quick?: boolean; customers?: number } = {}): Promise<BenchRecord[]> {
  const n = opts.customers ?? (opts.quick ? 10_000 : 100_000);
  const subjects = population(n);
  const at = new Date('2026-11-22T12:00:00Z');
  run(subjects.slice(0, Math.min(1000, n)), undefined, at); // warm-up
  const reference = run(subjects, 0, at);
  const full = run(subjects, undefined, at);
  process.stderr.write(
    `offer gates: ${n.toLocaleString('en')} customers in ${full.seconds.toFixed(2)} s with 1,000 resamples each (${full.eligible.toLocaleString('en')} eligible); ` +
      `point estimate only: ${reference.seconds.toFixed(2)} s (${reference.eligible.toLocaleString('en')} eligible)\n`,
  );
  const rate = n / full.seconds;
  const refRate = n / reference.seconds;
  return [
    { name: `offer gates, ${n.toLocaleString('en')} customers (1,000 resamples each)`, store: 'none', unit: 'customers/s', value: Math.round(rate), reference: Math.round(refRate), ratio: Math.round((rate / refRate) * 1000) / 1000 },
    { name: `offer gates, ${n.toLocaleString('en')} customers: total`, store: 'none', unit: 's', value: Math.round(full.seconds * 100) / 100, reference: Math.round(reference.seconds * 100) / 100, ratio: Math.round((full.seconds / reference.seconds) * 100) / 100 },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await benchOfferGates({ quick: process.argv.includes('--quick') }));
}
