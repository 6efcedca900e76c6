import { sql } from 'kysely';
import { findCustomer } from '../db/repositories/customers.ts';
import type { PageRequest } from '../db/repositories/paging.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/**
 * What a ledger entry records: money charged or refunded, account credit granted, or credit applied to
 * an invoice (its negative line).
 */
export type LedgerKind = 'charge' | 'refund' | 'credit' | 'credit_applied';

/** One entry of a customer's billing ledger, with the balances (per currency) after it. */
export interface LedgerLine {
  id: string;
  /** Null for a credit grant (credit belongs to the customer, not to one subscription). */
  subscription_id: string | null;
  kind: LedgerKind;
  amount_minor: number;
  currency: string;
  period_start: Date | null;
  period_end: Date | null;
  at: Date;
  external_id: string;
  /** The invoice of a charge or credit applied, or the one a refund gives money back on. */
  invoice_id: string | null;
  invoice_number: number | null;
  /** Why credit was granted (credit entries only). */
  reason: string | null;
  /** Net paid in this currency after this entry: charges minus refunds, in time order. */
  balance_minor: number;
  /** Account credit still available in this currency after this entry: granted minus applied. */
  credit_balance_minor: number;
}

type Raw = Omit<LedgerLine, 'amount_minor' | 'balance_minor' | 'credit_balance_minor' | 'invoice_number'> & {
  amount_minor: string;
  balance_minor: string;
  credit_balance_minor: string;
  invoice_number: string | null;
};

/**
 * A customer's billing ledger — charges and refunds (each with its invoice), credit granted and credit
 * applied to invoices — newest first by the time the money or credit moved, with the running balances
 * per currency after each entry. Keyset-paginated: the cursor is the id of the last entry seen, and the
 * next page holds the entries before it in time (`(at, id) < (its at, its id)`), so the balances of each
 * entry are the same on every page.
 */
export async function readLedger(scope: TenantScope, customerId: string, page: PageRequest): Promise<{ rows: LedgerLine[]; nextAfter: string | null }> {
  return inTenantTx(scope, async (tx) => {
    if (!(await findCustomer(tx, scope.tenantId, customerId))) throw new NotFoundError('customer', customerId);
    const tenantId = scope.tenantId;
    const entries = sql`
      select c.id, c.subscription_id, c.kind, c.amount_minor, c.currency, c.period_start, c.period_end, c.at, c.external_id, c.invoice_id,
             null::text as reason,
             case when c.kind = 'charge' then c.amount_minor else -c.amount_minor end as paid_delta,
             0::bigint as credit_delta
      from charges c
      where c.tenant_id = ${tenantId} and c.customer_id = ${customerId}
      union all
      select k.id, null::uuid, 'credit', k.amount_minor, k.currency, null::timestamptz, null::timestamptz, k.granted_at, 'credit:' || k.id::text, null::uuid,
             k.reason, 0::bigint, k.amount_minor
      from credits k
      where k.tenant_id = ${tenantId} and k.customer_id = ${customerId}
      union all
      select l.id, i.subscription_id, 'credit_applied', -l.amount_minor, i.currency, l.period_start, l.period_end, i.issued_at, 'credit-applied:' || i.external_id, i.id,
             null::text, 0::bigint, l.amount_minor
      from invoice_lines l
      join invoices i on i.tenant_id = l.tenant_id and i.id = l.invoice_id
      where l.tenant_id = ${tenantId} and i.customer_id = ${customerId} and l.kind = 'credit'`;
    let after: { at: Date; id: string } | undefined;
    if (page.after) {
      const { rows } = await sql<{ at: Date; id: string }>`select at, id from (${entries}) e where id = ${page.after}`.execute(tx);
      after = rows[0];
      // A cursor that names no entry of this customer's is not one this server gave out for this list.
      if (!after) return { rows: [], nextAfter: null };
    }
    const { rows } = await sql<Raw>`
      with entries as (${entries}),
      ledger as (
        select e.*,
               sum(paid_delta) over w as balance_minor,
               sum(credit_delta) over w as credit_balance_minor
        from entries e
        window w as (partition by currency order by at, id rows between unbounded preceding and current row)
      )
      select l.id, l.subscription_id, l.kind, l.amount_minor::text as amount_minor, l.currency, l.period_start, l.period_end, l.at, l.external_id,
             l.invoice_id, i.number::text as invoice_number, l.reason,
             l.balance_minor::text as balance_minor, l.credit_balance_minor::text as credit_balance_minor
      from ledger l
      left join invoices i on i.tenant_id = ${tenantId} and i.id = l.invoice_id
      ${after ? sql`where (l.at, l.id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
      order by l.at desc, l.id desc
      limit ${page.limit + 1}`.execute(tx);
    const more = rows.length > page.limit;
    const lines = (more ? rows.slice(0, page.limit) : rows).map((r) => ({
      ...r,
      at: new Date(r.at),
      period_start: r.period_start ? new Date(r.period_start) : null,
      period_end: r.period_end ? new Date(r.period_end) : null,
      amount_minor: Number(r.amount_minor),
      invoice_number: r.invoice_number === null ? null : Number(r.invoice_number),
      balance_minor: Number(r.balance_minor),
      credit_balance_minor: Number(r.credit_balance_minor),
    }));
    return { rows: lines, nextAfter: more ? lines[lines.length - 1]!.id : null };
  });
}
