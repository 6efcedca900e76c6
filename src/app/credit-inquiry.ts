import { sql } from 'kysely';
import type { CreditCheckCreate, CreditCheckResult } from '../contracts/consents.ts';
import { estimateCredit, type EstimateFacts } from '../domain/consents.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { completeCreditInquiry, insertCreditInquiry } from '../db/repositories/consents.ts';
import { newId } from '../db/ids.ts';
import type { CreditInquiryRow, CustomerRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { creditBureau as defaultBureau, type BureauResult, type CreditBureau } from './credit-bureau.ts';
import { AppError, ConsentRequiredError } from './errors.ts';
import { customerConsents, lockCustomer } from './record-consent.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';

const PURPOSE = { hard: 'hard_credit_inquiry', soft: 'soft_credit_inquiry' } as const;

const WHY_NOT: Record<string, string> = {
  none: 'none was ever recorded',
  refused: 'the customer refused it',
  withdrawn: 'the customer withdrew it',
  expired: 'the last grant has expired',
  used: 'the last grant was used by an earlier hard inquiry (each grant serves one)',
};

/**
 * Runs a credit check for a customer. `estimate` needs no consent and asks no bureau: it is computed
 * from the customer's own account and leaves nothing on their credit file. `hard` and `soft` ask the
 * bureau, and only on a live consent for their purpose (a hard-inquiry grant serves one inquiry);
 * without one the answer is 422 consent-required, nothing is written and the bureau is not called.
 *
 * A bureau check takes three short transactions: record the inquiry as pending with the consent it
 * relies on (under the customer's lock), ask the bureau outside any transaction, record the answer.
 */
export async function runCreditCheck(
  scope: TenantScope,
  customerId: string,
  input: CreditCheckCreate,
  hooks?: TxHooks<CreditInquiryRow>,
  options: { bureau?: CreditBureau; now?: Date } = {},
): Promise<CreditInquiryRow> {
  const now = options.now ?? new Date();
  if (input.kind === 'estimate') return runEstimate(scope, customerId, input.reason, hooks, now);
  const bureau = options.bureau ?? defaultBureau;
  const kind = input.kind;
  const purpose = PURPOSE[kind];

  const { pending, customer } = await inTenantTx(scope, async (tx) => {
    const customer = await lockCustomer(tx, scope.tenantId, customerId);
    const { live } = await customerConsents(tx, scope.tenantId, customerId, now);
    const state = live[purpose];
    if (!state.live || !state.consentId) {
      throw new ConsentRequiredError(
        purpose,
        `a ${kind} credit inquiry needs the customer's live ${purpose} consent, and there is none: ${WHY_NOT[state.status] ?? state.status}. An estimate (kind "estimate") needs no consent and asks no bureau.`,
      );
    }
    const pending = await insertCreditInquiry(tx, {
      tenant_id: scope.tenantId,
      id: newId(),
      customer_id: customerId,
      kind,
      consent_id: state.consentId,
      reason: input.reason,
      status: 'pending',
      at: now,
      actor: scope.actor,
    });
    await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'credit_check.requested', entityType: 'credit_inquiry', entityId: pending.id, fields: ['customerId', 'kind', 'consentId', 'reason'] });
    return { pending, customer };
  });

  let answer: BureauResult;
  try {
    const subject = { tenantId: scope.tenantId, customerId, name: customer.name, inquiryId: pending.id };
    answer = kind === 'hard' ? await bureau.hardInquiry(subject) : await bureau.softInquiry(subject);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await inTenantTx(scope, async (tx) => {
      await completeCreditInquiry(tx, scope.tenantId, pending.id, { status: 'failed', error: message.slice(0, 500) }, new Date());
      await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'credit_check.failed', entityType: 'credit_inquiry', entityId: pending.id, fields: ['status', 'error'] });
    });
    throw new AppError(502, 'bureau-unavailable', 'Credit bureau unavailable', `the ${bureau.name} credit bureau did not answer: ${message}. The inquiry is recorded as failed.`);
  }

  const result: CreditCheckResult = {
    source: 'bureau',
    simulated: answer.simulated,
    bureau: answer.bureau,
    reference: answer.reference,
    score: answer.score,
    band: answer.band,
    statement: answer.simulated
      ? `Simulated ${kind} inquiry: no credit bureau was asked; the score is made up from the customer's id, the same every time.`
      : `A ${kind} inquiry answered by ${answer.bureau}${kind === 'hard' ? '; it shows on the customer’s credit file' : '; it does not affect the customer’s score'}.`,
    factsUsed: [],
  };
  return inTenantTx(
    scope,
    async (tx) => {
      const row = await completeCreditInquiry(tx, scope.tenantId, pending.id, { status: 'completed', result }, new Date());
      await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'credit_check.completed', entityType: 'credit_inquiry', entityId: row.id, fields: ['status', 'result'] });
      return row;
    },
    hooks,
  );
}

async function runEstimate(scope: TenantScope, customerId: string, reason: string, hooks: TxHooks<CreditInquiryRow> | undefined, now: Date): Promise<CreditInquiryRow> {
  return inTenantTx(
    scope,
    async (tx) => {
      const customer = await lockCustomer(tx, scope.tenantId, customerId);
      const estimate = estimateCredit(await estimateFacts(tx, scope.tenantId, customer, now));
      const result: CreditCheckResult = { source: 'estimate', simulated: false, bureau: null, reference: null, score: null, band: estimate.band, statement: estimate.statement, factsUsed: estimate.factsUsed };
      const row = await insertCreditInquiry(tx, {
        tenant_id: scope.tenantId,
        id: newId(),
        customer_id: customerId,
        kind: 'estimate',
        consent_id: null,
        reason,
        status: 'completed',
        result: JSON.stringify(result),
        at: now,
        completed_at: now,
        actor: scope.actor,
      });
      await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'credit_check.estimated', entityType: 'credit_inquiry', entityId: row.id, fields: ['customerId', 'kind', 'reason', 'result'] });
      return row;
    },
    hooks,
  );
}

/** The customer's own account, over the 12 months before `now`: the only facts an estimate uses. */
async function estimateFacts(tx: Tx, tenantId: string, customer: CustomerRow, now: Date): Promise<EstimateFacts> {
  const yearAgo = new Date(now);
  yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
  const rows = await tx
    .selectFrom('spend_entries')
    .select([
      'currency',
      sql<string>`sum(amount_minor)::bigint`.as('net'),
      sql<number>`count(distinct date_trunc('month', at)) filter (where amount_minor > 0)::int`.as('months'),
      sql<number>`count(*) filter (where amount_minor < 0)::int`.as('refunds'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('customer_id', '=', customer.id)
    .where('at', '>=', yearAgo)
    .where('at', '<=', now)
    .groupBy('currency')
    .execute();
  const main = rows.map((r) => ({ currency: r.currency, net: Number(r.net), months: Number(r.months), refunds: Number(r.refunds) })).sort((a, b) => b.net - a.net)[0];
  const since = customer.customer_since ? new Date(`${customer.customer_since}T00:00:00Z`) : customer.created_at;
  const tenureMonths = Math.max(0, (now.getUTCFullYear() - since.getUTCFullYear()) * 12 + (now.getUTCMonth() - since.getUTCMonth()) - (now.getUTCDate() < since.getUTCDate() ? 1 : 0));
  const revenue = customer.attributes.annualRevenueMinor;
  return {
    tenureMonths,
    spendLast12MonthsMinor: main?.net ?? 0,
    currency: main?.currency ?? 'EUR',
    monthsWithPayments: main?.months ?? 0,
    refundsLast12Months: main?.refunds ?? 0,
    statedAnnualRevenueMinor: typeof revenue === 'number' && Number.isFinite(revenue) && revenue >= 0 ? Math.round(revenue) : null,
  };
}
