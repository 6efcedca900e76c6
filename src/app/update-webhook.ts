import type { WebhookPatch } from '../contracts/webhooks.ts';
import { normalizeEventFilter } from '../domain/webhooks.ts';
import { writeAudit } from '../db/repositories/audit.ts';
import { findEndpoint, updateEndpoint } from '../db/repositories/webhooks.ts';
import type { WebhookEndpointRow } from '../db/schema.ts';
import { requireAllowedUrl } from './create-webhook.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import type { WebhookNetwork } from './webhook-target.ts';

/** Changes an endpoint (JSON merge patch): a new URL is checked as on create; the audit row names what changed. */
export async function updateWebhook(scope: TenantScope, id: string, patch: WebhookPatch, network: WebhookNetwork): Promise<WebhookEndpointRow> {
  if (patch.url !== undefined) await requireAllowedUrl(patch.url, network);
  return inTenantTx(scope, async (tx) => {
    const current = await findEndpoint(tx, scope.tenantId, id, { forUpdate: true });
    if (!current) throw new NotFoundError('webhook', id);
    const events = patch.events === undefined ? undefined : normalizeEventFilter(patch.events);
    const changed: string[] = [];
    if (patch.url !== undefined && patch.url !== current.url) changed.push('url');
    if (patch.description !== undefined && patch.description !== current.description) changed.push('description');
    if (events !== undefined && events.join(',') !== current.events.join(',')) changed.push('events');
    if (patch.enabled !== undefined && patch.enabled !== current.enabled) changed.push('enabled');
    if (changed.length === 0) return current;
    const updated = await updateEndpoint(tx, scope.tenantId, id, {
      ...(changed.includes('url') && { url: patch.url! }),
      ...(changed.includes('description') && { description: patch.description ?? null }),
      ...(changed.includes('events') && { events: events! }),
      ...(changed.includes('enabled') && { enabled: patch.enabled! }),
      updated_at: new Date(),
    });
    await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'webhook.updated', entityType: 'webhook', entityId: id, fields: changed });
    return updated;
  });
}
