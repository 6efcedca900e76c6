import { z } from 'zod';
import { Id, PageQuery, Timestamp, listOf, text } from './common.ts';

export const AgentRole = z.enum(['agent', 'lead', 'compliance', 'admin']);

export const AgentCreate = z.strictObject({
  name: text(200),
  email: z.email({ error: 'must be an e-mail address' }).max(254),
  role: AgentRole.default('agent'),
  teamId: Id.nullable().optional(),
  /** Whether routing may assign them conversations now. */
  available: z.boolean().default(true),
  /** The most open conversations routing gives them. */
  maxOpen: z.number().int().min(1).max(1000).default(20),
});
export type AgentCreate = z.infer<typeof AgentCreate>;

export const AgentPatch = z.strictObject({
  name: text(200).optional(),
  email: z.email({ error: 'must be an e-mail address' }).max(254).optional(),
  role: AgentRole.optional(),
  teamId: Id.nullable().optional(),
  available: z.boolean().optional(),
  maxOpen: z.number().int().min(1).max(1000).optional(),
});
export type AgentPatch = z.infer<typeof AgentPatch>;

export const Agent = z
  .object({
    id: Id,
    name: z.string(),
    email: z.string(),
    role: AgentRole,
    teamId: Id.nullable(),
    available: z.boolean(),
    maxOpen: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Agent' });
export type Agent = z.infer<typeof Agent>;

export const AgentListQuery = z.strictObject({ ...PageQuery, teamId: Id.optional() });
export const AgentList = listOf(Agent);

export const TeamCreate = z.strictObject({ name: text(200) });
export type TeamCreate = z.infer<typeof TeamCreate>;
export const TeamPatch = z.strictObject({ name: text(200).optional() });
export type TeamPatch = z.infer<typeof TeamPatch>;

export const Team = z
  .object({ id: Id, name: z.string(), createdAt: Timestamp, updatedAt: Timestamp })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof Team>;

export const TeamListQuery = z.strictObject({ ...PageQuery });
export const TeamList = listOf(Team);

export const TeamAssignments = z
  .object({ assignments: z.array(z.object({ conversationId: Id, agentId: Id })) })
  .meta({ id: 'TeamAssignments' });
