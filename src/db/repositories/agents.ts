import { sql } from 'kysely';
import type { Insertable, Updateable } from 'kysely';
import type { AgentRow, AgentsTable, TeamRow, TeamsTable } from '../schema.ts';
import type { Tx } from '../with-tenant.ts';
import { pageQuery, type Page, type PageRequest } from './paging.ts';

export async function insertAgent(tx: Tx, values: Insertable<AgentsTable>): Promise<AgentRow> {
  return tx.insertInto('agents').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findAgent(tx: Tx, tenantId: string, id: string): Promise<AgentRow | undefined> {
  return tx.selectFrom('agents').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function findAgentByEmail(tx: Tx, tenantId: string, email: string): Promise<AgentRow | undefined> {
  return tx
    .selectFrom('agents')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export async function updateAgent(tx: Tx, tenantId: string, id: string, changes: Updateable<AgentsTable>): Promise<AgentRow> {
  return tx
    .updateTable('agents')
    .set({ ...changes, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listAgents(tx: Tx, tenantId: string, filter: { teamId?: string | undefined }, page: PageRequest): Promise<Page<AgentRow>> {
  let query = tx.selectFrom('agents').selectAll().where('tenant_id', '=', tenantId);
  if (filter.teamId) query = query.where('team_id', '=', filter.teamId);
  return pageQuery(query, page);
}

export async function insertTeam(tx: Tx, values: Insertable<TeamsTable>): Promise<TeamRow> {
  return tx.insertInto('teams').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findTeam(tx: Tx, tenantId: string, id: string): Promise<TeamRow | undefined> {
  return tx.selectFrom('teams').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function findTeamByName(tx: Tx, tenantId: string, name: string): Promise<TeamRow | undefined> {
  return tx
    .selectFrom('teams')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
}

export async function updateTeam(tx: Tx, tenantId: string, id: string, changes: Updateable<TeamsTable>): Promise<TeamRow> {
  return tx
    .updateTable('teams')
    .set({ ...changes, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listTeams(tx: Tx, tenantId: string, page: PageRequest): Promise<Page<TeamRow>> {
  return pageQuery(tx.selectFrom('teams').selectAll().where('tenant_id', '=', tenantId), page);
}
