import { describe, expect, it } from 'vitest';
import { can, invalidScopes, PERMISSIONS, type Permission, type Principal } from '../../src/domain/policy.ts';

const agent = (role: 'agent' | 'lead' | 'compliance' | 'admin'): Principal => ({ kind: 'agent', tenantId: 't', agentId: 'a', role, sessionId: 's' });
const token = (scopes: string[]): Principal => ({ kind: 'token', tenantId: 't', tokenId: 'k', scopes });
const customer: Principal = { kind: 'customer', tenantId: 't', customerId: 'c', sessionId: 's' };

// Each row: permission, then who holds it among agent, lead, compliance, admin.
const table: Array<[Permission, boolean, boolean, boolean, boolean]> = [
  ['customers:read', true, true, true, true],
  ['customers:write', true, true, true, true],
  ['conversations:read', true, true, true, true],
  ['conversations:write', true, true, true, true],
  ['agents:read', true, true, true, true],
  ['agents:write', false, false, false, true],
  ['charter:read', true, true, true, true],
  ['charter:publish', false, false, false, true],
  ['exceptions:grant', false, true, true, true],
  ['closures:request', true, true, true, true],
  ['closures:approve', false, true, true, false],
  ['reports:read', false, true, true, true],
  ['audit:read', false, false, true, true],
  ['tokens:manage', false, false, false, true],
  ['spend:write', false, false, false, true],
  ['customers:erase', false, false, true, true],
  ['billing:write', false, false, false, true],
  ['cancellations:manage', true, true, true, true],
  // Every agent may present an offer (the gates decide); leads review extra care and outcomes; leads and admins run campaigns.
  ['offers:make', true, true, true, true],
  ['offers:review', false, true, true, true],
  ['campaigns:manage', false, true, false, true],
  // The consent ledger across customers: leads, compliance and admins; an agent reads one customer's at a time.
  ['consents:review', false, true, true, true],
  // Where events go, and the secrets that sign them: admins only.
  ['webhooks:manage', false, false, false, true],
  // Exports of personal data in bulk: compliance (access requests) and admins.
  ['data:export', false, false, true, true],
  // Importing writes customers and history in bulk: admins only.
  ['imports:run', false, false, false, true],
];

describe('the permission policy', () => {
  it('covers every permission in the table', () => {
    expect(table.map((r) => r[0]).sort()).toEqual([...PERMISSIONS].sort());
  });

  it.each(table)('%s: agent %s, lead %s, compliance %s, admin %s', (permission, a, l, c, ad) => {
    expect([can(agent('agent'), permission), can(agent('lead'), permission), can(agent('compliance'), permission), can(agent('admin'), permission)]).toEqual([a, l, c, ad]);
  });

  it.each(PERMISSIONS.map((p) => [p]))('a customer session never holds %s', (permission) => {
    expect(can(customer, permission)).toBe(false);
  });

  it('gives tokens exactly their scopes, or everything with *', () => {
    expect(can(token(['customers:read']), 'customers:read')).toBe(true);
    expect(can(token(['customers:read']), 'customers:write')).toBe(false);
    expect(can(token(['*']), 'tokens:manage')).toBe(true);
    expect(can(token([]), 'customers:read')).toBe(false);
  });

  it('names unknown scopes', () => {
    expect(invalidScopes(['*', 'customers:read', 'root', 'customers:delete'])).toEqual(['root', 'customers:delete']);
  });
});
