import type { Kysely } from 'kysely';
import { writeAudit } from '../db/repositories/audit.ts';
import { findAgentByEmail } from '../db/repositories/agents.ts';
import { findTenantBySlug } from '../db/repositories/tenants.ts';
import type { AgentRow, DB } from '../db/schema.ts';
import { withTenant } from '../db/with-tenant.ts';
import { AppError } from './errors.ts';
import { verifyPassword } from './passwords.ts';
import { startSession } from './sessions.ts';

export interface SignedIn {
  agent: AgentRow;
  cookie: string;
  expiresAt: Date;
}

const REFUSED = () => new AppError(401, 'sign-in-failed', 'Sign-in failed', 'the e-mail address or the password is wrong');

/**
 * Signs an agent in to a tenant. The answer is the same for an unknown tenant, an unknown e-mail
 * and a wrong password (and takes as long), so sign-in reveals nothing about who has an account.
 * Every attempt on a real account is audited.
 */
export async function signIn(db: Kysely<DB>, input: { tenant: string; email: string; password: string; userAgent?: string | undefined }): Promise<SignedIn> {
  const tenant = await findTenantBySlug(db, input.tenant);
  if (!tenant) {
    await verifyPassword(null, input.password);
    throw REFUSED();
  }
  const agent = await withTenant(db, tenant.id, (tx) => findAgentByEmail(tx, tenant.id, input.email));
  // Hashing takes tens of milliseconds: never inside a transaction (PGlite has one connection).
  const ok = await verifyPassword(agent?.password_hash ?? null, input.password);
  if (!agent) throw REFUSED();
  const session = await withTenant(db, tenant.id, async (tx) => {
    await writeAudit(tx, {
      tenantId: tenant.id,
      actor: `agent:${agent.id}`,
      action: ok ? 'agent.signed_in' : 'agent.sign_in_failed',
      entityType: 'agent',
      entityId: agent.id,
    });
    return ok ? startSession(tx, { tenantId: tenant.id, kind: 'agent', agentId: agent.id, userAgent: input.userAgent }) : null;
  });
  // The failed attempt's audit row is committed; only then is the refusal raised.
  if (!session) throw REFUSED();
  return { agent, cookie: session.cookie, expiresAt: session.expiresAt };
}
