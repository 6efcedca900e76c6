/**
 * Who may do what: the one place permissions are decided. Routes name a permission; a principal —
 * an agent with a role, an API token with scopes, or a signed-in customer — either holds it or not.
 */

export const AGENT_ROLES = ['agent', 'lead', 'compliance', 'admin'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

/** Every permission a route can require. A token scope is one of these, or `*` for all. */
export const PERMISSIONS = [
  'customers:read',
  'customers:write',
  'conversations:read',
  'conversations:write',
  'agents:read',
  'agents:write',
  'charter:read',
  'charter:publish',
  'exceptions:grant',
  'closures:request',
  'closures:approve',
  'reports:read',
  'audit:read',
  'tokens:manage',
  'spend:write',
  'customers:erase',
  'billing:write',
  'cancellations:manage',
  'offers:make',
  'offers:review',
  'campaigns:manage',
  // The consent ledger across customers (per customer, any agent reads it with customers:read).
  'consents:review',
  // Webhook endpoints: where the tenant's events go, and their signing secrets.
  'webhooks:manage',
  // Bulk disclosure of personal data: a customer's whole record (an access request), conversations as JSONL.
  'data:export',
  // Bulk writes of customers and history from files (importers).
  'imports:run',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const AGENT_BASE: Permission[] = [
  'customers:read',
  'customers:write',
  'conversations:read',
  'conversations:write',
  'agents:read',
  'charter:read',
  'closures:request',
  // Every agent may carry out a customer's cancellation: leaving must never wait for a supervisor.
  'cancellations:manage',
  // Offers pass the gates whoever presents them; reviewing (extra care, outcomes) is a lead's job.
  'offers:make',
];

/**
 * What each role may do. Agents work conversations; leads also grant exceptions, approve closures
 * and read reports; compliance audits and approves but does not administer; admins administer.
 */
export const ROLE_PERMISSIONS: Record<AgentRole, readonly Permission[]> = {
  agent: AGENT_BASE,
  lead: [...AGENT_BASE, 'exceptions:grant', 'closures:approve', 'reports:read', 'offers:review', 'campaigns:manage', 'consents:review'],
  compliance: [...AGENT_BASE, 'exceptions:grant', 'closures:approve', 'reports:read', 'audit:read', 'customers:erase', 'offers:review', 'consents:review', 'data:export'],
  admin: [...AGENT_BASE, 'agents:write', 'charter:publish', 'exceptions:grant', 'reports:read', 'audit:read', 'tokens:manage', 'spend:write', 'customers:erase', 'billing:write', 'offers:review', 'campaigns:manage', 'consents:review', 'webhooks:manage', 'data:export', 'imports:run'],
};

export type Principal =
  | { kind: 'agent'; tenantId: string; agentId: string; role: AgentRole; sessionId: string }
  | { kind: 'token'; tenantId: string; tokenId: string; scopes: readonly string[] }
  | { kind: 'customer'; tenantId: string; customerId: string; sessionId: string };

/**
 * Whether the principal holds the permission. Customers hold none of these: the portal has its own
 * routes, each reading only the signed-in customer's records.
 */
export function can(principal: Principal, permission: Permission): boolean {
  switch (principal.kind) {
    case 'agent':
      return ROLE_PERMISSIONS[principal.role].includes(permission);
    case 'token':
      return principal.scopes.includes('*') || principal.scopes.includes(permission);
    case 'customer':
      return false;
  }
}

/** Scopes a token may be given: `*` or known permissions. */
export function invalidScopes(scopes: readonly string[]): string[] {
  return scopes.filter((s) => s !== '*' && !(PERMISSIONS as readonly string[]).includes(s));
}
