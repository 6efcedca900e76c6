import { sql } from 'kysely';
import type { RefundBasis } from '../domain/cancellation/index.ts';
import type { OutboxRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { reviveState, requireCancellation, currencyOfSubscription } from './subscription-records.ts';
import { AppError } from './errors.ts';
import { logRead } from './record-read.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/** Where an e-mail stands, in words a reader knows: the outbox's pending / done / dead. */
export type EmailState = 'pending' | 'sent' | 'failed';
export const emailState = (s: OutboxRow['state']): EmailState => (s === 'done' ? 'sent' : s === 'dead' ? 'failed' : 'pending');

/**
 * The confirmation e-mail job of each cancellation (the newest, should there be more), found by the
 * cancellation id its payload carries (confirm-cancellation.ts); indexed by migration 0018.
 */
export async function confirmationEmails(tx: Tx, tenantId: string, cancellationIds: readonly string[]): Promise<Map<string, OutboxRow>> {
  const found = new Map<string, OutboxRow>();
  if (cancellationIds.length === 0) return found;
  const rows = await tx
    .selectFrom('outbox')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'email.send')
    .where(sql<string>`payload->>'cancellationId'`, 'in', [...cancellationIds])
    .orderBy('id', 'desc')
    .execute();
  for (const r of rows) {
    const id = (r.payload as { cancellationId?: unknown }).cancellationId;
    if (typeof id === 'string' && !found.has(id)) found.set(id, r);
  }
  return found;
}

/**
 * Hides the secret of every link in an e-mail: a fragment of 16 or more token characters (the
 * logged-out cancellation's single-use reversal link, a sign-in link) becomes `#…redacted`. Whoever
 * reads the confirmation later must not be able to use the link.
 */
export function redactLinkSecrets(text: string): string {
  return text.replace(/#[A-Za-z0-9_\-]{16,}/g, '#…redacted');
}

export interface ConfirmationRecord {
  cancellationId: string;
  reference: string;
  confirmedAt: Date;
  effectiveAt: Date;
  refund: { amountMinor: number; currency: string; basis: RefundBasis } | null;
  email: {
    to: string | null;
    subject: string;
    text: string | null;
    state: EmailState;
    attempts: number;
    queuedAt: Date;
    sentAt: Date | null;
    lastError: string | null;
  } | null;
}

/**
 * A confirmed cancellation's confirmation, as the customer got it: the figures and the e-mail with
 * its delivery (link secrets redacted). Not confirmed: 404. Reading it is logged as a read of the
 * customer's record (it shows their address and the e-mail's text); once the customer is erased,
 * the address and the text are not shown.
 */
export async function readCancellationConfirmation(scope: TenantScope, cancellationId: string): Promise<ConfirmationRecord> {
  return inTenantTx(scope, async (tx) => {
    const row = await requireCancellation(tx, scope.tenantId, cancellationId);
    if (!row.confirmed_at || !row.effective_at) {
      throw new AppError(404, 'not-found', 'Not found', `cancellation ${cancellationId} has no confirmation: it was not confirmed`);
    }
    const customer = await tx
      .selectFrom('subscriptions')
      .innerJoin('customers', (j) => j.onRef('customers.tenant_id', '=', 'subscriptions.tenant_id').onRef('customers.id', '=', 'subscriptions.customer_id'))
      .select(['customers.id', 'customers.erased_at'])
      .where('subscriptions.tenant_id', '=', scope.tenantId)
      .where('subscriptions.id', '=', row.subscription_id)
      .executeTakeFirstOrThrow();
    const job = (await confirmationEmails(tx, scope.tenantId, [row.id])).get(row.id);
    const state = reviveState(row.state);
    const currency = await currencyOfSubscription(tx, scope.tenantId, row.subscription_id);
    await logRead(tx, scope, customer.id, `cancellation confirmation:${row.id}`);
    const erased = customer.erased_at !== null;
    const payload = job?.payload as { to?: string; subject?: string; text?: string } | undefined;
    return {
      cancellationId: row.id,
      reference: row.reference,
      confirmedAt: row.confirmed_at,
      effectiveAt: row.effective_at,
      // What was refunded (never more than was paid in cash, plus what credit paid for), on the policy's basis.
      refund: state.refund ? { amountMinor: row.refund_minor ?? state.refund.amountMinor, currency, basis: state.refund.basis } : null,
      email:
        job && payload
          ? {
              to: erased ? null : (payload.to ?? null),
              subject: payload.subject ?? '',
              text: erased || payload.text === undefined ? null : redactLinkSecrets(payload.text),
              state: emailState(job.state),
              attempts: job.attempts,
              queuedAt: job.created_at,
              sentAt: job.done_at,
              lastError: job.last_error,
            }
          : null,
    };
  });
}
