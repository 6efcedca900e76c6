/**
 * Shared by the subscription and cancellation use-cases: lookups always filtered by tenant, row ↔
 * domain mapping, the JSON form of a cancellation state, and human-readable references.
 */
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { CancellationState, MayBeShown, Plan, Subscription, UsageMonth } from '../domain/cancellation/index.ts';
import type { CancellationRow, PlanRow, SubscriptionRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { NotFoundError } from './errors.ts';

export async function findPlan(tx: Tx, tenantId: string, id: string): Promise<PlanRow | undefined> {
  return tx.selectFrom('plans').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/**
 * The subscription, locked for the rest of the transaction when `lock` (two cancellations must not race).
 * With `customerId` (a signed-in customer acting), another customer's subscription is simply not found.
 */
export async function requireSubscription(tx: Tx, tenantId: string, id: string, lock = false, customerId?: string): Promise<SubscriptionRow> {
  let q = tx.selectFrom('subscriptions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (customerId !== undefined) q = q.where('customer_id', '=', customerId);
  const row = await (lock ? q.forUpdate() : q).executeTakeFirst();
  if (!row) throw new NotFoundError('subscription', id);
  return row;
}

/**
 * The cancellation, locked for the rest of the transaction: each event is applied to the latest state.
 * With `customerId`, only a cancellation of that customer's own subscription is found.
 */
export async function requireCancellation(tx: Tx, tenantId: string, id: string, lock = false, customerId?: string): Promise<CancellationRow> {
  let q = tx.selectFrom('cancellations').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (customerId !== undefined) {
    q = q.where('subscription_id', 'in', (eb) => eb.selectFrom('subscriptions').select('id').where('tenant_id', '=', tenantId).where('customer_id', '=', customerId));
  }
  const row = await (lock ? q.forUpdate() : q).executeTakeFirst();
  if (!row) throw new NotFoundError('cancellation', id);
  return row;
}

/** The currency a subscription is billed in (its plan's). */
export async function currencyOfSubscription(tx: Tx, tenantId: string, subscriptionId: string): Promise<string> {
  const plan = await tx
    .selectFrom('subscriptions as s')
    .innerJoin('plans as p', (j) => j.onRef('p.tenant_id', '=', 's.tenant_id').onRef('p.id', '=', 's.plan_id'))
    .select('p.currency')
    .where('s.tenant_id', '=', tenantId)
    .where('s.id', '=', subscriptionId)
    .executeTakeFirstOrThrow();
  return plan.currency;
}

export function planOf(row: PlanRow): Plan {
  return {
    id: row.id,
    productId: row.product_id,
    name: row.name,
    priceMinor: Number(row.price_minor),
    currency: row.currency,
    interval: row.interval,
    features: row.features,
    limits: row.limits,
  };
}

export function subscriptionOf(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    customerId: row.customer_id,
    planId: row.plan_id,
    status: row.status,
    currentPeriodStart: row.current_period_start,
    currentPeriodEnd: row.current_period_end,
    priceHistory: row.price_history.map((p) => ({ priceMinor: Number(p.priceMinor), from: new Date(p.from) })),
    renewsAt: row.renews_at,
    startedAt: row.started_at,
    reference: row.reference,
  };
}

/**
 * A customer's usage per calendar month (UTC) and unit, from the first day of the month that
 * contains `from`: whole months, so the domain's "peak month" is never a partial one.
 */
export async function usageByMonth(tx: Tx, tenantId: string, customerId: string, from: Date): Promise<UsageMonth[]> {
  const monthStart = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
  const rows = await tx
    .selectFrom('usage_events')
    .select([sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM')`.as('month'), 'unit', sql<string>`sum(quantity)::text`.as('total')])
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customerId)
    .where('at', '>=', monthStart)
    .groupBy(['month', 'unit'])
    .execute();
  const months = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const units = months.get(r.month) ?? {};
    units[r.unit] = Number(r.total);
    months.set(r.month, units);
  }
  return [...months].map(([month, units]) => ({ month, units }));
}

/** A cancellation state as stored: JSON turns its dates into ISO strings. */
export function storeState(state: CancellationState): string {
  return JSON.stringify(state);
}

const date = (v: unknown): Date | null => (typeof v === 'string' || v instanceof Date ? new Date(v) : null);

/** The stored JSON back into a machine state, with its dates revived. */
export function reviveState(json: Record<string, unknown>): CancellationState {
  const s = json as unknown as CancellationState;
  const ctx = s.context;
  return {
    ...s,
    context: {
      ...ctx,
      startedAt: date(ctx.startedAt)!,
      currentPeriodStart: date(ctx.currentPeriodStart)!,
      currentPeriodEnd: date(ctx.currentPeriodEnd)!,
      priceHistory: ctx.priceHistory.map((p) => ({ priceMinor: p.priceMinor, from: date(p.from)! })),
      policy: { ...ctx.policy },
    },
    requestedAt: date(s.requestedAt),
    confirmedAt: date(s.confirmedAt),
    effectiveAt: date(s.effectiveAt),
  };
}

/** What was computed for display, as stored (dates already ISO strings). */
export function storeShown(shown: MayBeShown | null): string | null {
  return shown === null ? null : JSON.stringify(shown);
}

// Why: no 0/O or 1/I, so a reference read out over the phone or typed from a letter is unambiguous.
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A reference like `NW-7F3K2Q`: a two-letter prefix and six unambiguous characters. */
/**
 * Runs an insert with a freshly drawn reference; on the rare collision the insert does nothing
 * (ON CONFLICT DO NOTHING returns no row) and a new reference is drawn.
 */
export async function insertWithFreshReference<T>(prefix: string, insert: (reference: string) => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const row = await insert(newReference(prefix));
    if (row) return row;
  }
  throw new Error(`could not draw a free reference with prefix ${prefix}`);
}

export function newReference(prefix: string): string {
  let out = '';
  for (let i = 0; i < 6; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return `${prefix}-${out}`;
}

/** The two-letter prefix of a product's references: its initials ("Net Workspace" → NW). */
export function referencePrefix(productName: string): string {
  const words = productName.toUpperCase().match(/[A-Z]+/g) ?? [];
  const initials = words.length >= 2 ? words[0]![0]! + words[1]![0]! : (words[0] ?? '').slice(0, 2);
  return initials.length === 2 ? initials : 'SB';
}
