import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createAgent } from '../../app/create-agent.ts';
import { createTeam } from '../../app/create-team.ts';
import { getAgent, getTeam, listAgents, listTeams } from '../../app/read-agents.ts';
import { updateAgent } from '../../app/update-agent.ts';
import { updateTeam } from '../../app/update-team.ts';
import { assignTeamQueue } from '../../app/assign-team-queue.ts';
import { TeamAssignments, Agent, AgentCreate, AgentList, AgentListQuery, AgentPatch, Team, TeamCreate, TeamList, TeamListQuery, TeamPatch } from '../../contracts/agents.ts';
import { IdParams } from '../../contracts/common.ts';
import { pageRequest, presentPage } from '../cursor.ts';
import { idempotentCreate } from '../idempotency.ts';
import { presentAgent, presentTeam } from '../presenters/index.ts';
import { errorResponses } from './shared.ts';

export const agentRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/agents', {
    config: { permission: 'agents:write' },
    schema: { tags: ['agents'], summary: 'Add an agent', body: AgentCreate, response: { 201: Agent, ...errorResponses } },
    handler: (req, reply) => idempotentCreate(req, reply, 'agents.create', (hooks) => createAgent(req.scope, req.body, hooks), presentAgent),
  });
  app.get('/agents', {
    config: { permission: 'agents:read' },
    schema: { tags: ['agents'], summary: 'List agents', querystring: AgentListQuery, response: { 200: AgentList, ...errorResponses } },
    handler: async (req) => presentPage(await listAgents(req.scope, { teamId: req.query.teamId }, pageRequest(req.query)), presentAgent),
  });
  app.get('/agents/:id', {
    config: { permission: 'agents:read' },
    schema: { tags: ['agents'], summary: 'Get an agent', params: IdParams, response: { 200: Agent, ...errorResponses } },
    handler: async (req) => presentAgent(await getAgent(req.scope, req.params.id)),
  });
  app.patch('/agents/:id', {
    config: { permission: 'agents:write' },
    schema: { tags: ['agents'], summary: 'Change an agent', params: IdParams, body: AgentPatch, response: { 200: Agent, ...errorResponses } },
    handler: async (req) => presentAgent(await updateAgent(req.scope, req.params.id, req.body)),
  });

  app.post('/teams', {
    config: { permission: 'agents:write' },
    schema: { tags: ['teams'], summary: 'Add a team', body: TeamCreate, response: { 201: Team, ...errorResponses } },
    handler: (req, reply) => idempotentCreate(req, reply, 'teams.create', (hooks) => createTeam(req.scope, req.body, hooks), presentTeam),
  });
  app.post('/teams/:id/assign', {
    config: { permission: 'conversations:write' },
    schema: {
      tags: ['teams'],
      summary: "Assign the team's unassigned conversations fairly",
      description:
        'Conversations at risk of breaking the minimum commitment first (earliest due), then the longest waiting; round robin over available agents under their cap. Customer value never changes the order.',
      params: IdParams,
      response: { 200: TeamAssignments, ...errorResponses },
    },
    handler: async (req) => ({ assignments: await assignTeamQueue(req.scope, req.params.id) }),
  });

  app.get('/teams', {
    config: { permission: 'agents:read' },
    schema: { tags: ['teams'], summary: 'List teams', querystring: TeamListQuery, response: { 200: TeamList, ...errorResponses } },
    handler: async (req) => presentPage(await listTeams(req.scope, pageRequest(req.query)), presentTeam),
  });
  app.get('/teams/:id', {
    config: { permission: 'agents:read' },
    schema: { tags: ['teams'], summary: 'Get a team', params: IdParams, response: { 200: Team, ...errorResponses } },
    handler: async (req) => presentTeam(await getTeam(req.scope, req.params.id)),
  });
  app.patch('/teams/:id', {
    config: { permission: 'agents:write' },
    schema: { tags: ['teams'], summary: 'Rename a team', params: IdParams, body: TeamPatch, response: { 200: Team, ...errorResponses } },
    handler: async (req) => presentTeam(await updateTeam(req.scope, req.params.id, req.body)),
  });
};
