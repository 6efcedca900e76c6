import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { confirmCancellation } from '../../app/confirm-cancellation.ts';
import { createPlan } from '../../app/create-plan.ts';
import { createProduct } from '../../app/create-product.ts';
import { createSubscription } from '../../app/create-subscription.ts';
import { acceptCancellationOffer } from '../../app/accept-cancellation-offer.ts';
import { declineCancellationOffer } from '../../app/decline-cancellation-offer.ts';
import { withdrawCancellation } from '../../app/withdraw-cancellation.ts';
import { getCancellation, getSubscription, listCancellations, listPlans, listProducts, listSubscriptions } from '../../app/read-subscriptions.ts';
import { readLedger, type LedgerLine } from '../../app/read-ledger.ts';
import { recordUsage, type RecordedUsage } from '../../app/record-usage.ts';
import { requestCancellation } from '../../app/request-cancellation.ts';
import { planOf } from '../../app/subscription-records.ts';
import { presentCancellation, presentCancellationListItem, presentConfirmation, presentConfirmationRecord } from '../presenters/cancellations.ts';
import { readCancellationConfirmation } from '../../app/read-cancellation-confirmation.ts';
import { IdParams } from '../../contracts/common.ts';
import { formatInvoiceNumber } from '../../domain/billing/invoices.ts';
import {
  Cancellation,
  CancellationConfirmation,
  CancellationConfirmationRecord,
  CancellationList,
  CancellationListQuery,
  CancellationCreate,
  Plan,
  PlanCreate,
  PlanList,
  PlanListQuery,
  Product,
  ProductCreate,
  ProductList,
  ProductListQuery,
  Subscription,
  SubscriptionCreate,
  SubscriptionList,
  SubscriptionListQuery,
  LedgerList,
  LedgerQuery,
  type LedgerEntry,
  UsageCreate,
  UsageEvent,
} from '../../contracts/subscriptions.ts';
import type { PlanRow, ProductRow, SubscriptionRow } from '../../db/schema.ts';
import { pageRequest, presentPage } from '../cursor.ts';
import { idempotentCreate } from '../idempotency.ts';
import { errorResponses } from './shared.ts';

/** Presenters: rows to the camelCase API shapes. */
function presentProduct(row: ProductRow): Product {
  return { id: row.id, name: row.name, description: row.description, features: row.features, createdAt: row.created_at.toISOString() };
}

function presentPlan(row: PlanRow): Plan {
  return { ...planOf(row), limits: row.limits, createdAt: row.created_at.toISOString() };
}

function presentSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    customerId: row.customer_id,
    planId: row.plan_id,
    status: row.status,
    currentPeriodStart: row.current_period_start.toISOString(),
    currentPeriodEnd: row.current_period_end.toISOString(),
    priceHistory: row.price_history.map((p) => ({ priceMinor: Number(p.priceMinor), from: new Date(p.from).toISOString() })),
    renewsAt: row.renews_at?.toISOString() ?? null,
    startedAt: row.started_at.toISOString(),
    reference: row.reference,
    trialEndsAt: row.trial_ends_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

function presentUsage(recorded: RecordedUsage): UsageEvent {
  const e = recorded.event;
  return { id: e.id, customerId: e.customer_id, unit: e.unit, quantity: Number(e.quantity), at: e.at.toISOString(), externalId: e.external_id, createdAt: e.created_at.toISOString() };
}

function presentLedgerLine(l: LedgerLine): LedgerEntry {
  return {
    id: l.id,
    subscriptionId: l.subscription_id,
    kind: l.kind,
    amountMinor: l.amount_minor,
    currency: l.currency,
    periodStart: l.period_start?.toISOString() ?? null,
    periodEnd: l.period_end?.toISOString() ?? null,
    at: l.at.toISOString(),
    externalId: l.external_id,
    balanceMinor: l.balance_minor,
    creditBalanceMinor: l.credit_balance_minor,
    invoiceId: l.invoice_id,
    invoiceNumber: l.invoice_number === null ? null : formatInvoiceNumber(l.invoice_number),
    reason: l.reason,
  };
}

/** The catalog, subscriptions, usage and fair cancellation. */
export const subscriptionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/products', {
    config: { permission: 'billing:write' },
    schema: { tags: ['billing'], summary: 'Create a product', body: ProductCreate, response: { 201: Product, ...errorResponses } },
    handler: (req, reply) => idempotentCreate(req, reply, 'products.create', (hooks) => createProduct(req.scope, req.body, hooks), presentProduct),
  });

  app.get('/products', {
    config: { permission: 'customers:read' },
    schema: { tags: ['billing'], summary: 'List products, newest first', querystring: ProductListQuery, response: { 200: ProductList, ...errorResponses } },
    handler: async (req) => presentPage(await listProducts(req.scope, pageRequest(req.query)), presentProduct),
  });

  app.post('/plans', {
    config: { permission: 'billing:write' },
    schema: { tags: ['billing'], summary: 'Create a plan of a product', body: PlanCreate, response: { 201: Plan, ...errorResponses } },
    handler: (req, reply) => idempotentCreate(req, reply, 'plans.create', (hooks) => createPlan(req.scope, req.body, hooks), presentPlan),
  });

  app.get('/plans', {
    config: { permission: 'customers:read' },
    schema: { tags: ['billing'], summary: 'List plans, newest first', querystring: PlanListQuery, response: { 200: PlanList, ...errorResponses } },
    handler: async (req) => presentPage(await listPlans(req.scope, { productId: req.query.productId }, pageRequest(req.query)), presentPlan),
  });

  app.post('/subscriptions', {
    config: { permission: 'billing:write' },
    schema: { tags: ['billing'], summary: 'Subscribe a customer to a plan', body: SubscriptionCreate, response: { 201: Subscription, ...errorResponses } },
    handler: (req, reply) => idempotentCreate(req, reply, 'subscriptions.create', (hooks) => createSubscription(req.scope, req.body, hooks), presentSubscription),
  });

  app.get('/subscriptions', {
    config: { permission: 'customers:read' },
    schema: { tags: ['billing'], summary: 'List subscriptions, newest first', querystring: SubscriptionListQuery, response: { 200: SubscriptionList, ...errorResponses } },
    handler: async (req) => presentPage(await listSubscriptions(req.scope, { customerId: req.query.customerId }, pageRequest(req.query)), presentSubscription),
  });

  app.get('/subscriptions/:id', {
    config: { permission: 'customers:read' },
    schema: { tags: ['billing'], summary: 'Get a subscription', params: IdParams, response: { 200: Subscription, ...errorResponses } },
    handler: async (req) => presentSubscription(await getSubscription(req.scope, req.params.id)),
  });

  app.post('/customers/:id/usage', {
    config: { permission: 'billing:write' },
    schema: {
      tags: ['billing'],
      summary: "Record a customer's usage (idempotent on externalId)",
      description: '201 when recorded; 200 with the existing event when this externalId was already recorded with the same figures; 409 when with different ones.',
      params: IdParams,
      body: UsageCreate,
      response: { 200: UsageEvent, 201: UsageEvent, ...errorResponses },
    },
    handler: (req, reply) =>
      idempotentCreate(req, reply, 'usage.create', (hooks) => recordUsage(req.scope, req.params.id, req.body, hooks), presentUsage, (r) => (r.created ? 201 : 200)),
  });

  app.get('/customers/:id/ledger', {
    config: { permission: 'customers:read' },
    schema: {
      tags: ['billing'],
      summary: "A customer's billing ledger: charges and refunds (with their invoice), credit granted and applied, newest first, with the running balances per currency",
      params: IdParams,
      querystring: LedgerQuery,
      response: { 200: LedgerList, ...errorResponses },
    },
    handler: async (req) => presentPage(await readLedger(req.scope, req.params.id, pageRequest(req.query)), presentLedgerLine),
  });

  app.post('/subscriptions/:id/cancellations', {
    config: { permission: 'cancellations:manage' },
    schema: {
      tags: ['cancellations'],
      summary: 'Ask to cancel a subscription',
      description: 'The answer carries the one clarification or offer that may be shown (matched to the reason, from the customer’s own figures), or neither. Confirming is always possible at once.',
      params: IdParams,
      body: CancellationCreate,
      response: { 201: Cancellation, ...errorResponses },
    },
    handler: (req, reply) =>
      idempotentCreate(req, reply, 'cancellations.create', (hooks) => requestCancellation(req.scope, req.params.id, req.body, { hooks }), presentCancellation),
  });

  app.post('/cancellations/:id/decline-offer', {
    config: { permission: 'cancellations:manage' },
    schema: { tags: ['cancellations'], summary: 'Decline the clarification or offer shown', params: IdParams, response: { 200: Cancellation, ...errorResponses } },
    handler: async (req) => presentCancellation(await declineCancellationOffer(req.scope, req.params.id)),
  });

  app.post('/cancellations/:id/accept-offer', {
    config: { permission: 'cancellations:manage' },
    schema: {
      tags: ['cancellations'],
      summary: 'The customer takes the offer: the attempt ends and the subscription moves to the offered plan',
      description: 'The plan changes now; its price applies from the next renewal (the current period is paid for). Recorded in the audit log.',
      params: IdParams,
      response: { 200: Cancellation, ...errorResponses },
    },
    handler: async (req) => presentCancellation(await acceptCancellationOffer(req.scope, req.params.id)),
  });

  app.post('/cancellations/:id/withdraw', {
    config: { permission: 'cancellations:manage' },
    schema: {
      tags: ['cancellations'],
      summary: 'The customer changed their mind before confirming',
      description: 'Ends the attempt without a cancellation. A confirmed cancellation cannot be withdrawn (409): only the customer may reverse it.',
      params: IdParams,
      response: { 200: Cancellation, ...errorResponses },
    },
    handler: async (req) => presentCancellation(await withdrawCancellation(req.scope, req.params.id)),
  });

  app.post('/cancellations/:id/confirm', {
    config: { permission: 'cancellations:manage' },
    schema: {
      tags: ['cancellations'],
      summary: 'Confirm the cancellation ("Cancel now")',
      description: 'Takes effect at period end or at once as asked; queues the confirmation e-mail.',
      params: IdParams,
      response: { 200: CancellationConfirmation, ...errorResponses },
    },
    handler: async (req) => presentConfirmation(await confirmCancellation(req.scope, req.params.id)),
  });

  app.get('/cancellations', {
    config: { permission: 'cancellations:manage' },
    schema: {
      tags: ['cancellations'],
      summary: 'List cancellation attempts, newest first (each with its confirmation, customer, subscription and confirmation e-mail delivery)',
      description: 'Filters: customerId, subscriptionId, status, and from/to on when the attempt was asked (from inclusive, to exclusive).',
      querystring: CancellationListQuery,
      response: { 200: CancellationList, ...errorResponses },
    },
    handler: async (req) => {
      const { customerId, subscriptionId, status, from, to } = req.query;
      return presentPage(await listCancellations(req.scope, { customerId, subscriptionId, status, from, to }, pageRequest(req.query)), presentCancellationListItem);
    },
  });

  app.get('/cancellations/:id/confirmation', {
    config: { permission: 'cancellations:manage' },
    schema: {
      tags: ['cancellations'],
      summary: 'The confirmation of a confirmed cancellation as the customer got it: the figures and the e-mail with its delivery',
      description:
        'The e-mail as sent (to, subject, text) with its outbox state: pending, sent or failed, attempts, when sent, the last error. The secret of a reversal link is redacted (`#…redacted`). 404 when the cancellation was not confirmed. Logged as a read of the customer’s record.',
      params: IdParams,
      response: { 200: CancellationConfirmationRecord, ...errorResponses },
    },
    handler: async (req) => presentConfirmationRecord(await readCancellationConfirmation(req.scope, req.params.id)),
  });

  app.get('/cancellations/:id', {
    config: { permission: 'cancellations:manage' },
    schema: { tags: ['cancellations'], summary: 'Get a cancellation', params: IdParams, response: { 200: Cancellation, ...errorResponses } },
    handler: async (req) => presentCancellation(await getCancellation(req.scope, req.params.id)),
  });
};
