import { writeAudit } from '../db/repositories/audit.ts';
import { findAgent, updateAgent } from '../db/repositories/agents.ts';
import { AppError, NotFoundError, UnprocessableError } from './errors.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.ts';
import { inTenantTx, type TenantScope } from './scope.ts';
import { revokeSessions } from './sessions.ts';

/**
 * Sets an agent's password: an administrator for anyone, an agent for themself with the current
 * password. Every other session of that agent ends, so a stolen session dies with the old password.
 */
export async function setPassword(
  scope: TenantScope,
  agentId: string,
  input: { password: string; currentPassword?: string | undefined },
  by: { agentId?: string | undefined; isAdmin: boolean },
): Promise<void> {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new UnprocessableError('the password is too short', [{ pointer: '/password', detail: `must be at least ${MIN_PASSWORD_LENGTH} characters` }]);
  }
  const self = by.agentId === agentId;
  if (!by.isAdmin && !self) throw new AppError(403, 'forbidden', 'Forbidden', "only an administrator can set another agent's password");
  // Hashing takes tens of milliseconds: done before the transaction, not inside it.
  const current = await inTenantTx(scope, (tx) => findAgent(tx, scope.tenantId, agentId));
  if (!current) throw new NotFoundError('agent', agentId);
  if (self && !by.isAdmin && !(await verifyPassword(current.password_hash, input.currentPassword ?? ''))) {
    throw new UnprocessableError('the current password is wrong', [{ pointer: '/currentPassword', detail: 'is wrong' }]);
  }
  const hash = await hashPassword(input.password);
  await inTenantTx(scope, async (tx) => {
    await updateAgent(tx, scope.tenantId, agentId, { password_hash: hash });
    await revokeSessions(tx, scope.tenantId, { agentId });
    await writeAudit(tx, { tenantId: scope.tenantId, actor: scope.actor, action: 'agent.password_set', entityType: 'agent', entityId: agentId, fields: ['password'] });
  });
}
