import type { Kysely } from 'kysely';
import { writeAudit } from '../db/repositories/audit.ts';
import { enqueue } from '../db/repositories/outbox.ts';
import type { CancelRequestRow, DB } from '../db/schema.ts';
import { cancelRequestStateAt } from './cancel-request-clock.ts';
import { withTenant } from '../db/with-tenant.ts';
import { refreshSla } from './sla.ts';
import { emitWebhookEvent } from './emit-webhook-event.ts';
import type { ConversationRow } from '../db/schema.ts';

const BATCH = 200;

interface ClockTotals {
  checked: number;
  changed: number;
  breached: number;
}

/**
 * Keeps every running SLA clock current as time passes (no message needs to arrive for a
 * conversation to become at risk or breached), and audits each transition. Runs in the jobs
 * loop of `fairdesk serve`; small batches keep PGlite's single connection free for requests.
 */
export async function refreshSlaClocks(
  db: Kysely<DB>,
  now = new Date(),
  onOutbox?: () => void,
): Promise<ClockTotals & { cancelRequests: ClockTotals }> {
  const totals = { checked: 0, changed: 0, breached: 0, cancelRequests: { checked: 0, changed: 0, breached: 0 } };
  let enqueued = false;
  const tenants = await db.selectFrom('tenants').select('id').execute();
  for (const { id: tenantId } of tenants) {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const done = await withTenant(db, tenantId, async (tx) => {
        const running = await tx
          .selectFrom('conversations')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('sla_state', 'in', ['on_track', 'at_risk'])
          .where('id', '>', after)
          .orderBy('id')
          .limit(BATCH)
          // Locked, so the clock is computed from the row as stored: another server's refresh (or a
          // reply being posted) cannot move it underneath, and a transition is audited once. Rows
          // already locked are skipped — their holder refreshes them, or the next tick does —
          // so this never waits on a conversation while a request waits on the audit head.
          .forUpdate()
          .skipLocked()
          .execute();
        const transitions: Array<{ id: string; state: string }> = [];
        for (const conversation of running) {
          const updated = await refreshSla(tx, tenantId, conversation, now);
          totals.checked++;
          if (updated.sla_state !== conversation.sla_state) {
            totals.changed++;
            if (updated.sla_state === 'breached') {
              totals.breached++;
              if (await emitWebhookEvent(tx, tenantId, 'sla.breached', conversationBreach(updated, now))) enqueued = true;
            }
            transitions.push({ id: conversation.id, state: String(updated.sla_state) });
          }
        }
        // Audit rows last: writing one locks the tenant's audit head, and holding it while locking
        // more conversations could deadlock with a request that locked a conversation first.
        for (const t of transitions) {
          await writeAudit(tx, { tenantId, actor: 'system', action: `sla.${t.state}`, entityType: 'conversation', entityId: t.id, fields: ['sla'] });
        }
        if (running.length > 0) after = running[running.length - 1]!.id;
        return running.length < BATCH;
      });
      if (done) break;
    }
    await refreshCancelRequestClocks(db, tenantId, now, totals.cancelRequests);
  }
  if (enqueued || totals.cancelRequests.breached > 0) onOutbox?.();
  return totals;
}

/** The `sla.breached` event of a conversation: which of its targets passed unmet (ids and times only). */
function conversationBreach(c: ConversationRow, now: Date): Record<string, unknown> {
  const missed = (due: Date | null, done: Date | null) => due !== null && done === null && due.getTime() <= now.getTime();
  return {
    clock: 'conversation',
    conversationId: c.id,
    customerId: c.customer_id,
    targets: [...(missed(c.first_response_due_at, c.first_reply_at) ? ['first_response'] : []), ...(missed(c.resolution_due_at, c.resolved_at) ? ['resolution'] : [])],
    firstResponseDueAt: c.first_response_due_at?.toISOString() ?? null,
    resolutionDueAt: c.resolution_due_at?.toISOString() ?? null,
    breachedAt: now.toISOString(),
  };
}

/**
 * The same for open cancel requests (due the same business day): each transition is audited
 * (`cancel_request.sla.at_risk`, `cancel_request.sla.breached`), and a breach also puts an
 * `sla.breached` event in the outbox naming the conversation and the cancel request.
 */
async function refreshCancelRequestClocks(db: Kysely<DB>, tenantId: string, now: Date, totals: ClockTotals): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const done = await withTenant(db, tenantId, async (tx) => {
      const running = await tx
        .selectFrom('cancel_requests')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('status', '=', 'open')
        .where('sla_state', 'in', ['on_track', 'at_risk'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(BATCH)
        .forUpdate()
        .execute();
      const transitions: Array<{ row: CancelRequestRow; state: string }> = [];
      for (const row of running) {
        totals.checked++;
        const state = await cancelRequestStateAt(tx, tenantId, row, now);
        if (state === row.sla_state) continue;
        await tx.updateTable('cancel_requests').set({ sla_state: state }).where('tenant_id', '=', tenantId).where('id', '=', row.id).execute();
        totals.changed++;
        if (state === 'breached') {
          totals.breached++;
          await enqueue(tx, {
            tenantId,
            kind: 'sla.breached',
            payload: { clock: 'cancel_request', conversationId: row.conversation_id, cancelRequestId: row.id, dueAt: row.due_at.toISOString(), breachedAt: now.toISOString() },
          });
        }
        transitions.push({ row, state });
      }
      for (const t of transitions) {
        await writeAudit(tx, { tenantId, actor: 'system', action: `cancel_request.sla.${t.state}`, entityType: 'cancel_request', entityId: t.row.id, fields: ['slaState'] });
      }
      if (running.length > 0) after = running[running.length - 1]!.id;
      return running.length < BATCH;
    });
    if (done) break;
  }
}
