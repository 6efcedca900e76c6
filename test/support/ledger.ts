/**
 * Injects a charge straight into the embedded ledger, bypassing the billing run (a charge that "slipped
 * through"), with the invoice every charge must belong to: the tenant's next number, one plan line.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';

export interface InjectedCharge {
  tenant_id: string;
  id?: string;
  subscription_id: string;
  customer_id: string;
  amount_minor: number;
  currency: string;
  period_start: Date | string | null;
  period_end: Date | string | null;
  at: Date | string;
  external_id: string;
}

export async function injectCharge(db: Kysely<DB>, c: InjectedCharge): Promise<{ chargeId: string; invoiceId: string; number: number }> {
  const chargeId = c.id ?? randomUUID();
  const invoiceId = randomUUID();
  return db.transaction().execute(async (tx) => {
    const { last_number: number } = await tx
      .insertInto('invoice_sequences')
      .values({ tenant_id: c.tenant_id, last_number: 1 })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ last_number: sql<number>`invoice_sequences.last_number + 1` }))
      .returning('last_number')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('invoices')
      .values({
        tenant_id: c.tenant_id,
        id: invoiceId,
        number: Number(number),
        customer_id: c.customer_id,
        subscription_id: c.subscription_id,
        currency: c.currency,
        period_start: c.period_start,
        period_end: c.period_end,
        issued_at: c.at,
        subtotal_minor: c.amount_minor,
        total_minor: c.amount_minor,
        external_id: c.external_id,
      })
      .execute();
    await tx
      .insertInto('invoice_lines')
      .values({ tenant_id: c.tenant_id, id: randomUUID(), invoice_id: invoiceId, position: 1, kind: 'plan', description: 'Injected', period_start: c.period_start, period_end: c.period_end, amount_minor: c.amount_minor })
      .execute();
    await tx
      .insertInto('charges')
      .values({ ...c, id: chargeId, kind: 'charge', invoice_id: invoiceId })
      .execute();
    return { chargeId, invoiceId, number: Number(number) };
  });
}
