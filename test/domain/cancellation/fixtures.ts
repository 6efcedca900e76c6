/** Shared plans and subscriptions for the cancellation domain tests (a fax service, as in story 5). */
import type { Plan, Subscription } from '../../../src/domain/cancellation/types.ts';

export const d = (iso: string): Date => new Date(iso);

export const PRO_MONTHLY: Plan = {
  id: 'pro-m',
  productId: 'fax',
  name: 'Pro',
  priceMinor: 1999,
  currency: 'EUR',
  interval: 'month',
  features: ['fax_pages', 'cover_pages', 'api_calls', 'priority_support'],
  limits: { fax_pages: 1000 },
};
export const PRO_YEARLY: Plan = { ...PRO_MONTHLY, id: 'pro-y', name: 'Pro (yearly)', priceMinor: 19_990, interval: 'year' };
export const BASIC_MONTHLY: Plan = {
  id: 'basic-m',
  productId: 'fax',
  name: 'Basic',
  priceMinor: 999,
  currency: 'EUR',
  interval: 'month',
  features: ['fax_pages', 'cover_pages'],
  limits: { fax_pages: 200 },
};
export const STARTER_MONTHLY: Plan = {
  id: 'starter-m',
  productId: 'fax',
  name: 'Starter',
  priceMinor: 499,
  currency: 'EUR',
  interval: 'month',
  features: ['fax_pages'],
  limits: { fax_pages: 50 },
};
/** Cheaper, but another product and another currency: never offered. */
export const OTHER_PRODUCT: Plan = { ...STARTER_MONTHLY, id: 'mail-m', productId: 'mail', name: 'Mail', priceMinor: 99 };
export const OTHER_CURRENCY: Plan = { ...STARTER_MONTHLY, id: 'starter-usd', currency: 'USD', priceMinor: 99 };

export const CATALOG: readonly Plan[] = [PRO_MONTHLY, PRO_YEARLY, BASIC_MONTHLY, STARTER_MONTHLY, OTHER_PRODUCT, OTHER_CURRENCY];

/** A Pro monthly subscriber since January 2025 whose price rose from €17.99 to €19.99 on 1 Feb 2026. */
export function sub(overrides: Partial<Subscription> = {}): Subscription {
  return {
    id: 'sub-1',
    customerId: 'cus-1',
    planId: 'pro-m',
    status: 'active',
    currentPeriodStart: d('2026-03-10T00:00:00Z'),
    currentPeriodEnd: d('2026-04-10T00:00:00Z'),
    priceHistory: [
      { priceMinor: 1799, from: d('2025-01-10T00:00:00Z') },
      { priceMinor: 1999, from: d('2026-02-01T00:00:00Z') },
    ],
    renewsAt: d('2026-04-10T00:00:00Z'),
    startedAt: d('2025-01-10T09:30:00Z'),
    reference: 'FD-SUB-7Q4K',
    ...overrides,
  };
}
