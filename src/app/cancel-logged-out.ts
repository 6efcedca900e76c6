/**
 * Cancelling without signing in (§312k BGB: no password): e-mail address + subscription reference,
 * then "Cancel now". When the address is one of the subscription holder's, the cancellation is
 * recorded and confirmed at once (channel `logged_out`; nothing is shown — the customer asked to
 * cancel now) and the confirmation goes to the e-mail on file with a single-use reversal link, so
 * whoever really owns the subscription learns of it at once and can undo it. The caller answers the
 * same whether or not the details matched.
 */
import type { Kysely } from 'kysely';
import type { CancellationReason, Timing } from '../domain/cancellation/index.ts';
import { apply } from '../domain/cancellation/index.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findTenantBySlug } from '../db/repositories/tenants.ts';
import type { DB } from '../db/schema.ts';
import { withTenant } from '../db/with-tenant.ts';
import { billingProvider } from './billing-provider.ts';
import { confirmInTx } from './confirm-cancellation.ts';
import { AppError, ConflictError } from './errors.ts';
import { startAttempt } from './request-cancellation.ts';
import type { TenantScope } from './scope.ts';
import { requireCancellation, requireSubscription, reviveState, storeState } from './subscription-records.ts';
import { hashToken } from './tokens.ts';

/** Statuses of an attempt the customer has not yet confirmed: "Cancel now" confirms it. */
const OPEN = ['requested', 'offered', 'clarified'];
/** Statuses of a cancellation in force: nothing more to do. */
const IN_FORCE = ['confirmed', 'effective'];

/** A reversal link works until the effective date, and at least this long (an immediate cancellation takes effect at once). */
export const REVERSAL_MINIMUM_MS = 7 * 86_400_000;

export interface LoggedOutCancellation {
  slug: string;
  email: string;
  reference: string;
  reason?: CancellationReason | null | undefined;
  timing: Timing;
  /** The portal's origin, for the reversal link. */
  baseUrl: string;
}

/**
 * Records and confirms the cancellation when the e-mail matches the subscription's holder; does
 * nothing otherwise. Returns nothing either way: the answer must not reveal which it was.
 */
export async function cancelLoggedOut(db: Kysely<DB>, input: LoggedOutCancellation, onOutbox?: () => void, now = new Date()): Promise<void> {
  const tenant = await findTenantBySlug(db, input.slug);
  if (!tenant) return;
  const email = input.email.trim().toLowerCase();
  const reference = input.reference.trim().toUpperCase();
  let sent = false;
  try {
    sent = await withTenant(db, tenant.id, async (tx) => {
      const match = await tx
        .selectFrom('subscriptions as s')
        .innerJoin('customers as c', (j) => j.onRef('c.tenant_id', '=', 's.tenant_id').onRef('c.id', '=', 's.customer_id'))
        .select(['s.id', 's.customer_id', 's.status'])
        .where('s.tenant_id', '=', tenant.id)
        .where('s.reference', '=', reference)
        .where((eb) => eb(eb.val(email), '=', eb.fn.any('c.emails')))
        .where('c.closed_at', 'is', null)
        .executeTakeFirst();
      if (!match || match.status === 'cancelled') return false;
      const scope: TenantScope = { db, tenantId: tenant.id, actor: `customer:${match.customer_id}` };
      const standing = await tx
        .selectFrom('cancellations')
        .select(['id', 'status'])
        .where('tenant_id', '=', tenant.id)
        .where('subscription_id', '=', match.id)
        .where('status', 'in', [...OPEN, ...IN_FORCE])
        .orderBy('id', 'desc')
        .executeTakeFirst();
      if (standing && IN_FORCE.includes(standing.status)) return false;
      // An attempt already open (say, in the portal) is the one "Cancel now" confirms; confirming locks
      // it before the subscription, the order every use-case keeps. Otherwise a new attempt is started
      // (it locks the subscription and refuses if one appeared meanwhile: then the same 202, nothing sent).
      const id = standing
        ? standing.id
        : (await startAttempt(tx, scope, match.id, { channel: 'logged_out', reason: input.reason ?? null, timing: input.timing }, { now, showNothing: true })).row.id;
      const url = `${input.baseUrl.replace(/\/$/, '')}/portal/${tenant.slug}/reverse-cancellation`;
      const confirmed = await confirmInTx(tx, scope, id, { now, countStep: standing !== undefined, reversal: { url, minimumValidityMs: REVERSAL_MINIMUM_MS } });
      return confirmed.emailJobId !== null || confirmed.eventQueued;
    });
  } catch (error) {
    // A rule refusing (e.g. a race with another request) must answer like any other: the same 202.
    if (!(error instanceof AppError)) throw error;
  }
  if (sent) onOutbox?.();
}

/** What the owner sees after undoing a cancellation from the e-mail's link. */
export interface ReversedCancellation {
  reference: string;
  subscriptionReference: string;
}

/**
 * The owner undoes a logged-out cancellation with the e-mail's single-use token (only its hash is
 * stored), before it expires. The machine's `reverse_by_customer` is the only way a confirmed
 * cancellation is undone; billing resumes at the end of the period already paid for.
 */
export async function reverseCancellation(db: Kysely<DB>, input: { slug: string; token: string }, now = new Date()): Promise<ReversedCancellation> {
  const refused = new AppError(404, 'reversal-link-invalid', 'Link not valid', 'this link is unknown, already used or expired; if your subscription was cancelled without your asking, contact us');
  const tenant = await findTenantBySlug(db, input.slug);
  if (!tenant) throw refused;
  const result = await withTenant(db, tenant.id, async (tx) => {
    // Used up in the statement that finds it: two clicks racing reverse once.
    const link = await tx
      .updateTable('cancellation_reversals')
      .set({ used_at: now })
      .where('tenant_id', '=', tenant.id)
      .where('token_hash', '=', hashToken(input.token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['id', 'cancellation_id'])
      .executeTakeFirst();
    if (!link) return null;
    const row = await requireCancellation(tx, tenant.id, link.cancellation_id, true);
    const r = apply(reviveState(row.state), { type: 'reverse_by_customer' });
    if ('error' in r) throw new ConflictError(r.error);
    const sub = await requireSubscription(tx, tenant.id, row.subscription_id, true);
    await tx
      .updateTable('cancellations')
      .set({ state: storeState(r.state), status: r.state.status, ended_at: now })
      .where('tenant_id', '=', tenant.id)
      .where('id', '=', row.id)
      .execute();
    await billingProvider.resumeAtProvider(tx, { tenantId: tenant.id, subscription: sub, now });
    const actor = `customer:${sub.customer_id}`;
    await writeAudit(tx, { tenantId: tenant.id, actor, action: 'cancellation.reversed', entityType: 'cancellation', entityId: row.id, fields: ['status', 'endedAt'] });
    await writeAudit(tx, { tenantId: tenant.id, actor, action: 'subscription.resumed', entityType: 'subscription', entityId: sub.id, fields: ['status', 'renewsAt'] });
    return { reference: row.reference, subscriptionReference: sub.reference };
  });
  if (!result) throw refused;
  return result;
}
