import type { Kysely } from 'kysely';
import type { AgentRole, Principal } from '../domain/policy.ts';
import { newId } from '../db/ids.ts';
import type { DB } from '../db/schema.ts';
import { withTenant, type Tx } from '../db/with-tenant.ts';
import { generateToken, hashToken } from './tokens.ts';

/** A session lasts this long after its last use (sliding expiry)… */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/** …and is refreshed at most this often, so reads do not become writes on every request. */
const SLIDE_EVERY_MS = 5 * 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Starts a session and returns the cookie value `<tenantId>.<secret>`: the tenant part lets the
 * session be found under row-level security; only a hash of the secret is stored.
 */
export async function startSession(
  tx: Tx,
  session: { tenantId: string; kind: 'agent' | 'customer'; agentId?: string; customerId?: string; userAgent?: string | undefined },
  now = new Date(),
): Promise<{ id: string; cookie: string; expiresAt: Date }> {
  const { token, hash } = generateToken();
  const id = newId();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  await tx
    .insertInto('sessions')
    .values({
      tenant_id: session.tenantId,
      id,
      token_hash: hash,
      kind: session.kind,
      agent_id: session.agentId ?? null,
      customer_id: session.customerId ?? null,
      expires_at: expiresAt,
      user_agent: session.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { id, cookie: `${session.tenantId}.${token}`, expiresAt };
}

/** The principal behind a session cookie, or null when it is malformed, unknown, revoked or expired. */
export async function resolveSession(db: Kysely<DB>, cookie: string, now = new Date()): Promise<Principal | null> {
  const dot = cookie.indexOf('.');
  const tenantId = cookie.slice(0, dot);
  const secret = cookie.slice(dot + 1);
  if (dot < 0 || !UUID.test(tenantId) || secret.length < 20) return null;
  return withTenant(db, tenantId, async (tx) => {
    const row = await tx
      .selectFrom('sessions')
      .leftJoin('agents', (j) => j.onRef('agents.tenant_id', '=', 'sessions.tenant_id').onRef('agents.id', '=', 'sessions.agent_id'))
      .select(['sessions.id', 'sessions.kind', 'sessions.agent_id', 'sessions.customer_id', 'sessions.last_seen_at', 'agents.role'])
      .where('sessions.tenant_id', '=', tenantId)
      .where('sessions.token_hash', '=', hashToken(secret))
      .where('sessions.revoked_at', 'is', null)
      .where('sessions.expires_at', '>', now)
      .executeTakeFirst();
    if (!row) return null;
    if (now.getTime() - row.last_seen_at.getTime() > SLIDE_EVERY_MS) {
      await tx
        .updateTable('sessions')
        .set({ last_seen_at: now, expires_at: new Date(now.getTime() + SESSION_IDLE_MS) })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', row.id)
        .execute();
    }
    if (row.kind === 'agent' && row.agent_id && row.role) {
      return { kind: 'agent', tenantId, agentId: row.agent_id, role: row.role as AgentRole, sessionId: row.id };
    }
    if (row.kind === 'customer' && row.customer_id) return { kind: 'customer', tenantId, customerId: row.customer_id, sessionId: row.id };
    return null;
  });
}

/** Ends one session, or every session of an agent ("sign out everywhere"); returns how many ended. */
export async function revokeSessions(tx: Tx, tenantId: string, which: { sessionId: string } | { agentId: string }): Promise<number> {
  let query = tx.updateTable('sessions').set({ revoked_at: new Date() }).where('tenant_id', '=', tenantId).where('revoked_at', 'is', null);
  query = 'sessionId' in which ? query.where('id', '=', which.sessionId) : query.where('agent_id', '=', which.agentId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
