import { writeAudit } from '../db/repositories/audit.ts';
import { findEndpoint, updateEndpoint } from '../db/repositories/webhooks.ts';
import { generateWebhookSecret, type WebhookWithSecret } from './create-webhook.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

/** How long the replaced secret still signs, beside the new one, so a receiver can switch without losing events. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 3_600_000;

/**
 * Gives an endpoint a new signing secret (shown once). For a day every delivery carries two
 * signatures, with the new and the old secret (Standard Webhooks allows several), then only the new.
 */
export async function rotateWebhookSecret(scope: TenantScope, id: string, now = new Date()): Promise<WebhookWithSecret> {
  const secret = generateWebhookSecret();
  return inTenantTx(scope, async (tx) => {
    const current = await findEndpoint(tx, scope.tenantId, id, { forUpdate: true });
    if (!current) throw new NotFoundError('webhook', id);
    const row = await updateEndpoint(tx, scope.tenantId, id, {
      secret,
      previous_secret: current.secret,
      previous_secret_expires_at: new Date(now.getTime() + PREVIOUS_SECRET_GRACE_MS),
      secret_rotated_at: now,
      updated_at: now,
    });
    await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'webhook.secret_rotated', entityType: 'webhook', entityId: id, fields: ['secret'] });
    return { row, secret };
  });
}
