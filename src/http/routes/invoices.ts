import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { grantCredit, type GrantedCredit } from '../../app/grant-credit.ts';
import { getInvoice, listCustomerInvoices, type InvoiceView } from '../../app/read-invoices.ts';
import { IdParams } from '../../contracts/common.ts';
import { Credit, CreditCreate, Invoice, InvoiceList, InvoiceListQuery } from '../../contracts/invoices.ts';
import { formatInvoiceNumber } from '../../domain/billing/invoices.ts';
import { pageRequest, presentPage } from '../cursor.ts';
import { idempotentCreate } from '../idempotency.ts';
import { errorResponses } from './shared.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentInvoice(v: InvoiceView): Invoice {
  const i = v.invoice;
  return {
    id: i.id,
    number: formatInvoiceNumber(Number(i.number)),
    customerId: i.customer_id,
    subscriptionId: i.subscription_id,
    issuedAt: i.issued_at.toISOString(),
    periodStart: iso(i.period_start),
    periodEnd: iso(i.period_end),
    currency: i.currency,
    lines: v.lines.map((l) => ({ kind: l.kind, description: l.description, periodStart: iso(l.period_start), periodEnd: iso(l.period_end), amountMinor: Number(l.amount_minor) })),
    subtotalMinor: Number(i.subtotal_minor),
    creditAppliedMinor: Number(i.credit_applied_minor),
    totalMinor: Number(i.total_minor),
    refundedMinor: v.refundedMinor,
    status: v.status,
    chargeId: v.charge?.id ?? null,
    refunds: v.refunds.map((r) => ({ id: r.id, amountMinor: Number(r.amount_minor), at: r.at.toISOString(), externalId: r.external_id })),
  };
}

function presentCredit(g: GrantedCredit): Credit {
  const c = g.credit;
  return {
    id: c.id,
    customerId: c.customer_id,
    amountMinor: Number(c.amount_minor),
    currency: c.currency,
    reason: c.reason,
    grantedBy: c.granted_by,
    grantedAt: c.granted_at.toISOString(),
    availableMinor: g.availableMinor,
  };
}

/** Invoices of the embedded ledger, and account credit. */
export const invoiceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/customers/:id/credits', {
    config: { permission: 'billing:write' },
    schema: {
      tags: ['billing'],
      summary: 'Grant a customer account credit',
      description:
        "The billing run applies available credit in the same currency to the customer's next invoices before charging (a negative line; only the rest is charged). Audited. Send an Idempotency-Key so a retry never grants twice.",
      params: IdParams,
      body: CreditCreate,
      response: { 201: Credit, ...errorResponses },
    },
    handler: (req, reply) => idempotentCreate(req, reply, 'credits.create', (hooks) => grantCredit(req.scope, req.params.id, req.body, hooks), presentCredit),
  });

  app.get('/customers/:id/invoices', {
    config: { permission: 'customers:read' },
    schema: {
      tags: ['billing'],
      summary: "A customer's invoices, newest (highest number) first",
      params: IdParams,
      querystring: InvoiceListQuery,
      response: { 200: InvoiceList, ...errorResponses },
    },
    handler: async (req) => presentPage(await listCustomerInvoices(req.scope, req.params.id, pageRequest(req.query)), presentInvoice),
  });

  app.get('/invoices/:id', {
    config: { permission: 'customers:read' },
    schema: {
      tags: ['billing'],
      summary: 'Get an invoice: its lines (a credit applied is its own negative line), total, refunds and status',
      params: IdParams,
      response: { 200: Invoice, ...errorResponses },
    },
    handler: async (req) => presentInvoice(await getInvoice(req.scope, req.params.id)),
  });
};
