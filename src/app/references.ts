import { findAgent, findTeam } from '../db/repositories/agents.ts';
import { findCustomer } from '../db/repositories/customers.ts';
import type { Tx } from '../db/with-tenant.ts';
import { UnprocessableError } from './errors.ts';

/**
 * Checks that every id the input refers to exists in this tenant, naming each missing one.
 * A reference to another tenant's record fails exactly like a reference to nothing.
 */
export async function requireReferences(
  tx: Tx,
  tenantId: string,
  refs: { customerId?: string | null; assigneeId?: string | null; teamId?: string | null },
  prefix = '',
): Promise<void> {
  const errors: Array<{ pointer: string; detail: string }> = [];
  if (refs.customerId && !(await findCustomer(tx, tenantId, refs.customerId)))
    errors.push({ pointer: `${prefix}/customerId`, detail: 'no such customer' });
  if (refs.assigneeId && !(await findAgent(tx, tenantId, refs.assigneeId)))
    errors.push({ pointer: `${prefix}/assigneeId`, detail: 'no such agent' });
  if (refs.teamId && !(await findTeam(tx, tenantId, refs.teamId)))
    errors.push({ pointer: `${prefix}/teamId`, detail: 'no such team' });
  if (errors.length > 0) throw new UnprocessableError('the request refers to records that do not exist', errors);
}
