import { sql } from 'kysely';
import { invoiceStatus, type InvoiceStatus } from '../domain/billing/invoices.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import type { PageRequest } from '../db/repositories/paging.ts';
import type { ChargeRow, InvoiceLineRow, InvoiceRow } from '../db/schema.ts';
import type { Tx } from '../db/with-tenant.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/** An invoice with its lines, the charge that collected it, the refunds on it and the status they give. */
export interface InvoiceView {
  id: string;
  invoice: InvoiceRow;
  lines: InvoiceLineRow[];
  charge: ChargeRow | null;
  refunds: ChargeRow[];
  refundedMinor: number;
  status: InvoiceStatus;
}

async function withDetails(tx: Tx, tenantId: string, invoices: InvoiceRow[]): Promise<InvoiceView[]> {
  if (invoices.length === 0) return [];
  const ids = invoices.map((i) => i.id);
  const lines = await tx.selectFrom('invoice_lines').selectAll().where('tenant_id', '=', tenantId).where('invoice_id', 'in', ids).orderBy('invoice_id').orderBy('position').execute();
  const money = await tx.selectFrom('charges').selectAll().where('tenant_id', '=', tenantId).where('invoice_id', 'in', ids).orderBy('at').orderBy('id').execute();
  return invoices.map((invoice) => {
    const refunds = money.filter((m) => m.invoice_id === invoice.id && m.kind === 'refund');
    const refundedMinor = refunds.reduce((s, r) => s + Number(r.amount_minor), 0);
    return {
      id: invoice.id,
      invoice,
      lines: lines.filter((l) => l.invoice_id === invoice.id),
      charge: money.find((m) => m.invoice_id === invoice.id && m.kind === 'charge') ?? null,
      refunds,
      refundedMinor,
      status: invoiceStatus(Number(invoice.total_minor), refundedMinor),
    };
  });
}

/** A customer's invoices, newest (highest number) first; the cursor is the id of the last invoice seen. */
export async function listCustomerInvoices(scope: TenantScope, customerId: string, page: PageRequest): Promise<{ rows: InvoiceView[]; nextAfter: string | null }> {
  return inTenantTx(scope, async (tx) => {
    if (!(await findCustomer(tx, scope.tenantId, customerId))) throw new NotFoundError('customer', customerId);
    let q = tx.selectFrom('invoices').selectAll().where('tenant_id', '=', scope.tenantId).where('customer_id', '=', customerId);
    if (page.after) {
      const after = page.after;
      q = q.where(
        'number',
        '<',
        // A cursor naming no invoice of this customer's gives an empty page (it is not one this list gave out).
        sql<number>`coalesce((select number from invoices where tenant_id = ${scope.tenantId} and customer_id = ${customerId} and id = ${after}), 0)`,
      );
    }
    const rows = await q.orderBy('number', 'desc').limit(page.limit + 1).execute();
    const more = rows.length > page.limit;
    const pageRows = more ? rows.slice(0, page.limit) : rows;
    return { rows: await withDetails(tx, scope.tenantId, pageRows), nextAfter: more ? pageRows[pageRows.length - 1]!.id : null };
  });
}

/** One invoice by id (another tenant's is simply not found). */
export async function getInvoice(scope: TenantScope, invoiceId: string): Promise<InvoiceView> {
  return inTenantTx(scope, async (tx) => {
    const invoice = await tx.selectFrom('invoices').selectAll().where('tenant_id', '=', scope.tenantId).where('id', '=', invoiceId).executeTakeFirst();
    if (!invoice) throw new NotFoundError('invoice', invoiceId);
    return (await withDetails(tx, scope.tenantId, [invoice]))[0]!;
  });
}
