import type { Kysely } from 'kysely';
import { writeAudit } from '../db/repositories/audit.ts';
import type { DB } from '../db/schema.ts';
import { withTenant } from '../db/with-tenant.ts';
import { refreshSla } from './sla.ts';

const BATCH = 200;

/**
 * Keeps every running SLA clock current as time passes (no message needs to arrive for a
 * conversation to become at risk or breached), and audits each transition. Runs in the jobs
 * loop of `fairdesk serve`; small batches keep PGlite's single connection free for requests.
 */
export async function refreshSlaClocks(db: Kysely<DB>, now = new Date()): Promise<{ checked: number; changed: number; breached: number }> {
  const totals = { checked: 0, changed: 0, breached: 0 };
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
          .execute();
        const transitions: Array<{ id: string; state: string }> = [];
        for (const conversation of running) {
          const updated = await refreshSla(tx, tenantId, conversation, now);
          totals.checked++;
          if (updated.sla_state !== conversation.sla_state) {
            totals.changed++;
            if (updated.sla_state === 'breached') totals.breached++;
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
  }
  return totals;
}
