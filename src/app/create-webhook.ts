import { randomBytes } from 'node:crypto';
import type { WebhookCreate } from '../contracts/webhooks.ts';
import { normalizeEventFilter } from '../domain/webhooks.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { insertEndpoint } from '../db/repositories/webhooks.ts';
import { newId } from '../db/ids.ts';
import type { WebhookEndpointRow } from '../db/schema.ts';
import { UnprocessableError } from './errors.ts';
import { inTenantTx, type TenantScope, type TxHooks } from './scope.ts';
import { checkTarget, TargetRefused, type WebhookNetwork } from './webhook-target.ts';

/** A new endpoint and its signing secret, which is shown this once. */
export interface WebhookWithSecret {
  row: WebhookEndpointRow;
  secret: string;
}

/** A signing secret in the Standard Webhooks format: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * Checks a target URL against server-side request forgery (scheme, credentials, and every address its
 * host resolves to now), outside any transaction: DNS can take seconds and PGlite has one connection.
 * The same check runs again at every delivery.
 */
export async function requireAllowedUrl(url: string, network: WebhookNetwork): Promise<void> {
  try {
    await checkTarget(url, network);
  } catch (error) {
    if (error instanceof TargetRefused) throw new UnprocessableError(`the webhook URL is refused: ${error.message}`, [{ pointer: '/url', detail: error.message }]);
    throw error;
  }
}

/** Adds a webhook endpoint to the tenant, with a fresh signing secret. */
export async function createWebhook(scope: TenantScope, input: WebhookCreate, network: WebhookNetwork, hooks?: TxHooks<WebhookWithSecret>): Promise<WebhookWithSecret> {
  await requireAllowedUrl(input.url, network);
  const secret = generateWebhookSecret();
  return inTenantTx(
    scope,
    async (tx) => {
      const row = await insertEndpoint(tx, {
        tenant_id: scope.tenantId,
        id: newId(),
        url: input.url,
        description: input.description ?? null,
        events: normalizeEventFilter(input.events),
        enabled: input.enabled,
        secret,
        created_by: scope.actor,
      });
      await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'webhook.created', entityType: 'webhook', entityId: row.id, fields: ['url', 'description', 'events', 'enabled', 'secret'] });
      return { row, secret };
    },
    hooks,
  );
}
