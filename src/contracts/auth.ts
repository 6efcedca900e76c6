import { z } from 'zod';
import { Id, Timestamp } from './common.ts';
import { Agent, AgentRole } from './agents.ts';

export const SignIn = z.strictObject({
  tenant: z.string().trim().min(1).max(60).describe('The tenant’s slug'),
  email: z.email().max(254),
  password: z.string().min(1).max(1000),
});

export const SessionInfo = z
  .object({ agent: Agent, expiresAt: Timestamp.nullable() })
  .meta({ id: 'Session' });

export const PasswordSet = z.strictObject({
  password: z.string().max(1000),
  currentPassword: z.string().max(1000).optional(),
});

export const TokenCreate = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.string().max(50)).min(1).max(30).describe('Permissions (see GET /api/v1/openapi.json tags) or "*" for all'),
  expiresAt: Timestamp.optional(),
});

export const ApiToken = z
  .object({
    id: Id,
    name: z.string(),
    scopes: z.array(z.string()),
    createdBy: z.string(),
    createdAt: Timestamp,
    expiresAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ApiToken' });

export const ApiTokenCreated = ApiToken.extend({ token: z.string().describe('Shown once; only its hash is stored') }).meta({ id: 'ApiTokenCreated' });
export const ApiTokenList = z.object({ data: z.array(ApiToken), nextCursor: z.null() });

export { AgentRole };
