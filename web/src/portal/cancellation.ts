import { Cancellation, PortalCancellationConfirmation, PortalCancellationCreate, PortalSubscriptionList, type PortalSubscription as Sub } from '../../../src/contracts/subscriptions.ts';
import { api } from '../api.ts';
import { portalApi } from './PortalFrame.tsx';

/** The customer-facing cancellation API (portal session; src/http/routes/portal.ts). */
export type PortalSubscription = Sub;
export type Reason = NonNullable<PortalCancellationCreate['reason']>;
export type Timing = PortalCancellationCreate['timing'];

/** The survey's answers, in the customer's words. The survey is optional. */
export const REASONS: ReadonlyArray<{ value: Reason; label: string }> = [
  { value: 'price', label: 'The price changed' },
  { value: 'unused', label: 'I do not use it enough' },
  { value: 'too_expensive', label: 'It costs too much for me' },
  { value: 'missing_feature', label: 'It lacks something I need' },
  { value: 'switching', label: 'I am moving to another provider' },
  { value: 'other', label: 'Another reason' },
];

const id = encodeURIComponent;

export const cancellationApi = (slug: string) => ({
  subscriptions: () => api(PortalSubscriptionList, portalApi(slug, '/subscriptions')),
  request: (subscriptionId: string, body: { reason?: Reason; timing: Timing }) =>
    api(Cancellation, portalApi(slug, `/subscriptions/${id(subscriptionId)}/cancellations`), { method: 'POST', body: PortalCancellationCreate.parse(body) }),
  confirm: (cancellationId: string) => api(PortalCancellationConfirmation, portalApi(slug, `/cancellations/${id(cancellationId)}/confirm`), { method: 'POST' }),
  withdraw: (cancellationId: string) => api(Cancellation, portalApi(slug, `/cancellations/${id(cancellationId)}/withdraw`), { method: 'POST' }),
  acceptOffer: (cancellationId: string) => api(Cancellation, portalApi(slug, `/cancellations/${id(cancellationId)}/accept-offer`), { method: 'POST' }),
  get: (cancellationId: string) => api(Cancellation, portalApi(slug, `/cancellations/${id(cancellationId)}`)),
});

/** What screen 2 shows, handed over by screen 1 so the confirmation appears at once. */
export interface DoneState {
  confirmation: PortalCancellationConfirmation;
  /** "Fibre 500 (SUB-7KQ2)": what was cancelled, in the customer's words. */
  subscription: string;
}
