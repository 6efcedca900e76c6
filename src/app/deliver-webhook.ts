import type { Kysely } from 'kysely';
import { signWebhook, webhookMessageId } from '../domain/webhooks.ts';
import { findDelivery, findEndpoint, insertAttempt, updateDelivery } from '../db/repositories/webhooks.ts';
import { newId } from '../db/ids.ts';
import type { DB, OutboxRow } from '../db/schema.ts';
import { withTenant } from '../db/with-tenant.ts';
import { postWebhook, type AttemptOutcome, type WebhookPoster } from './webhook-sender.ts';
import { checkTarget, TargetRefused, type WebhookNetwork } from './webhook-target.ts';

/** The outbox job kind that sends one delivery to one endpoint. */
export const DELIVER_JOB = 'webhook.deliver';

export interface DeliverDeps {
  network: WebhookNetwork;
  /** Attempts a job gets before it is dead (the worker's): the last failure marks the delivery failed. */
  maxAttempts: number;
  post?: WebhookPoster;
  now?: () => Date;
}

/** A failed attempt: the worker retries the job with backoff. */
export class DeliveryFailed extends Error {}

/**
 * Sends one delivery: loads it and its endpoint (short transaction), checks the target again and
 * resolves it (no transaction held: DNS and the receiver may take seconds), POSTs the signed body to
 * the checked address, then logs the attempt and the delivery's state (short transaction). A non-2xx
 * answer, a refused target or a network error throws, so the job is retried with backoff.
 */
export async function deliverWebhook(db: Kysely<DB>, job: Pick<OutboxRow, 'tenant_id' | 'id' | 'payload' | 'attempts'>, deps: DeliverDeps): Promise<void> {
  const { deliveryId, replay = false } = job.payload as { deliveryId: string; replay?: boolean };
  const now = deps.now ?? (() => new Date());
  const tenantId = job.tenant_id;
  const loaded = await withTenant(db, tenantId, async (tx) => {
    const delivery = await findDelivery(tx, tenantId, deliveryId);
    const endpoint = delivery && (await findEndpoint(tx, tenantId, delivery.endpoint_id));
    if (!delivery || !endpoint) return null; // the endpoint was deleted, and its deliveries with it
    if (!endpoint.enabled) {
      await updateDelivery(tx, tenantId, deliveryId, { status: 'failed', last_error: 'not sent: the endpoint is disabled' });
      return null;
    }
    return { delivery, endpoint };
  });
  if (!loaded) return;
  const { delivery, endpoint } = loaded;
  // A replay got it through while this job waited for its next try: nothing left to do.
  if (!replay && delivery.status === 'succeeded') return;

  const at = now();
  const messageId = webhookMessageId(delivery.id);
  const timestamp = Math.floor(at.getTime() / 1000);
  const secrets = [endpoint.secret, ...(endpoint.previous_secret && endpoint.previous_secret_expires_at && endpoint.previous_secret_expires_at > at ? [endpoint.previous_secret] : [])];
  const started = performance.now();
  let outcome: AttemptOutcome;
  try {
    const target = await checkTarget(endpoint.url, deps.network);
    outcome = await (deps.post ?? postWebhook)(
      target,
      { 'webhook-id': messageId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(secrets, messageId, timestamp, delivery.body), 'user-agent': 'Fairdesk-Webhooks/1' },
      delivery.body,
      deps.network.timeoutMs ?? 10_000,
    );
  } catch (error) {
    if (!(error instanceof TargetRefused)) throw error;
    outcome = { statusCode: null, error: `refused: ${error.message}`, durationMs: Math.round(performance.now() - started) };
  }
  const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  const error = ok ? null : (outcome.error ?? `HTTP ${outcome.statusCode}`);
  await withTenant(db, tenantId, async (tx) => {
    await insertAttempt(tx, {
      tenant_id: tenantId,
      id: newId(),
      delivery_id: delivery.id,
      job_id: job.id,
      replay,
      at,
      duration_ms: outcome.durationMs,
      status_code: outcome.statusCode,
      error: error?.slice(0, 1000) ?? null,
    });
    const current = await findDelivery(tx, tenantId, delivery.id, { forUpdate: true });
    if (!current) return;
    await updateDelivery(tx, tenantId, delivery.id, {
      // Where the latest sending stands (a replay that fails shows as retrying again).
      status: ok ? 'succeeded' : job.attempts >= deps.maxAttempts ? 'failed' : 'retrying',
      attempts: current.attempts + 1,
      last_status_code: outcome.statusCode,
      last_error: error?.slice(0, 1000) ?? null,
      last_attempt_at: at,
      ...(ok && { succeeded_at: at }),
    });
  });
  if (!ok) throw new DeliveryFailed(error!);
}
