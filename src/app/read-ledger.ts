import { sql } from 'kysely';
import { findCustomer } from '../db/repositories/customers.ts';
import type { PageRequest } from '../db/repositories/paging.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/** One entry of a customer's billing ledger, with the balance (per currency) after it. */
export interface LedgerLine {
  id: string;
  subscription_id: string;
  kind: 'charge' | 'refund';
  amount_minor: number;
  currency: string;
  period_start: Date | null;
  period_end: Date | null;
  at: Date;
  external_id: string;
  /** Net paid in this currency after this entry: charges minus refunds, in time order. */
  balance_minor: number;
}

/**
 * A customer's billing ledger (the embedded provider's charges and refunds), newest first by the time
 * the money moved, with the running balance per currency after each entry. Keyset-paginated: the
 * cursor is the id of the last entry seen, and the next page holds the entries before it in time
 * (`(at, id) < (its at, its id)`), so the balance of each entry is the same on every page.
 */
export async function readLedger(scope: TenantScope, customerId: string, page: PageRequest): Promise<{ rows: LedgerLine[]; nextAfter: string | null }> {
  return inTenantTx(scope, async (tx) => {
    if (!(await findCustomer(tx, scope.tenantId, customerId))) throw new NotFoundError('customer', customerId);
    const after = page.after
      ? await tx.selectFrom('charges').select(['at', 'id']).where('tenant_id', '=', scope.tenantId).where('customer_id', '=', customerId).where('id', '=', page.after).executeTakeFirst()
      : undefined;
    // A cursor that names no entry of this customer's is not one this server gave out for this list.
    if (page.after && !after) return { rows: [], nextAfter: null };
    const { rows } = await sql<Omit<LedgerLine, 'amount_minor' | 'balance_minor'> & { amount_minor: string; balance_minor: string }>`
      with ledger as (
        select id, subscription_id, kind, amount_minor, currency, period_start, period_end, at, external_id,
               sum(case when kind = 'charge' then amount_minor else -amount_minor end)
                 over (partition by currency order by at, id rows between unbounded preceding and current row) as balance_minor
        from charges
        where tenant_id = ${scope.tenantId} and customer_id = ${customerId}
      )
      select id, subscription_id, kind, amount_minor::text as amount_minor, currency, period_start, period_end, at, external_id, balance_minor::text as balance_minor
      from ledger
      ${after ? sql`where (at, id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
      order by at desc, id desc
      limit ${page.limit + 1}`.execute(tx);
    const more = rows.length > page.limit;
    const lines = (more ? rows.slice(0, page.limit) : rows).map((r) => ({
      ...r,
      at: new Date(r.at),
      period_start: r.period_start ? new Date(r.period_start) : null,
      period_end: r.period_end ? new Date(r.period_end) : null,
      amount_minor: Number(r.amount_minor),
      balance_minor: Number(r.balance_minor),
    }));
    return { rows: lines, nextAfter: more ? lines[lines.length - 1]!.id : null };
  });
}
