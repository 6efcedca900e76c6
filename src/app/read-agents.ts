import { findAgent, findTeam, listAgents as listAgentRows, listTeams as listTeamRows } from '../db/repositories/agents.ts';
import type { Page, PageRequest } from '../db/repositories/paging.ts';
import type { AgentRow, TeamRow } from '../db/schema.ts';
import { NotFoundError } from './errors.ts';
import { inTenantTx, type TenantScope } from './scope.ts';

export async function getAgent(scope: TenantScope, id: string): Promise<AgentRow> {
  const agent = await inTenantTx(scope, (tx) => findAgent(tx, scope.tenantId, id));
  if (!agent) throw new NotFoundError('agent', id);
  return agent;
}

export async function listAgents(scope: TenantScope, filter: { teamId?: string | undefined }, page: PageRequest): Promise<Page<AgentRow>> {
  return inTenantTx(scope, (tx) => listAgentRows(tx, scope.tenantId, filter, page));
}

export async function getTeam(scope: TenantScope, id: string): Promise<TeamRow> {
  const team = await inTenantTx(scope, (tx) => findTeam(tx, scope.tenantId, id));
  if (!team) throw new NotFoundError('team', id);
  return team;
}

export async function listTeams(scope: TenantScope, page: PageRequest): Promise<Page<TeamRow>> {
  return inTenantTx(scope, (tx) => listTeamRows(tx, scope.tenantId, page));
}
