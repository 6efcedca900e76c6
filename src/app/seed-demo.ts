import type { Kysely } from 'kysely';
import { findAgentByEmail, findTeamByName } from '../db/repositories/agents.ts';
import { findCustomerByExternalId } from '../db/repositories/customers.ts';
import { findTenantBySlug } from '../db/repositories/tenants.ts';
import type { DB } from '../db/schema.ts';
import { withTenant } from '../db/with-tenant.ts';
import { createAgent } from './create-agent.ts';
import { createConversation } from './create-conversation.ts';
import { createCustomer } from './create-customer.ts';
import { createTeam } from './create-team.ts';
import { createTenant, issueToken } from './create-tenant.ts';
import { postMessage } from './post-message.ts';
import { updateConversation } from './update-conversation.ts';
import { DEMO_AGENTS, DEMO_CONVERSATIONS, DEMO_CUSTOMERS, DEMO_TEAMS, DEMO_TENANT } from './demo-data.ts';
import type { TenantScope } from './scope.ts';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { setPassword } from './set-password.ts';
import { charterInEffect } from '../db/repositories/charters.ts';
import { publishCharter } from './publish-charter.ts';
import { recordSpend } from './record-spend.ts';
import { seedDemoCatalog, seedDemoSubscription } from './seed-demo-subscriptions.ts';
import { generateOfferHistory } from './generate-offer-history.ts';

const EXAMPLE_CHARTER = new URL('../../examples/charter.yaml', import.meta.url);

export interface DemoSeeded {
  tenantId: string;
  slug: string;
  /** A fresh API token for the demo tenant (tokens are stored hashed, so each run issues one). */
  token: string;
  created: { agents: number; customers: number; conversations: number };
  /** A sign-in for each role; fresh passwords every run (only their hashes are stored). */
  signIns: Array<{ role: string; name: string; email: string; password: string }>;
  /** A customer to try the portal with (sign-in link by e-mail) and the reference of their subscription. */
  portal: { email: string; reference: string | null };
}

/**
 * Seeds the demo tenant through the same use-cases the API uses. Idempotent: records are found by
 * their natural keys (team name, agent e-mail, customer external id) and only missing ones are made.
 */
export async function seedDemo(db: Kysely<DB>): Promise<DemoSeeded> {
  let tenant = await findTenantBySlug(db, DEMO_TENANT.slug);
  if (!tenant) tenant = (await createTenant(db, { name: DEMO_TENANT.name, slug: DEMO_TENANT.slug, actor: 'demo' })).tenant;
  const scope: TenantScope = { db, tenantId: tenant.id, actor: 'demo' };
  const find = <T>(work: Parameters<typeof withTenant<T>>[2]) => withTenant(db, tenant.id, work);
  const created = { agents: 0, customers: 0, conversations: 0 };

  // The charter first, so every demo conversation opens with an SLA clock. In effect from now:
  // the example's own effective date lies in the future (it announces next year's charter).
  if (!(await find((tx) => charterInEffect(tx, tenant.id, new Date())))) {
    await publishCharter(scope, { source: readFileSync(EXAMPLE_CHARTER, 'utf8'), effectiveAt: new Date().toISOString(), changeNote: 'Demo charter' });
  }

  const teamIds = new Map<string, string>();
  for (const name of DEMO_TEAMS) {
    const team = (await find((tx) => findTeamByName(tx, tenant.id, name))) ?? (await createTeam(scope, { name }));
    teamIds.set(name, team.id);
  }

  const agentIds: string[] = [];
  for (const a of DEMO_AGENTS) {
    let agent = await find((tx) => findAgentByEmail(tx, tenant.id, a.email));
    if (!agent) {
      agent = await createAgent(scope, { name: a.name, email: a.email, role: a.role, teamId: a.team ? teamIds.get(a.team)! : null, available: true, maxOpen: 20 });
      created.agents++;
    }
    agentIds.push(agent.id);
  }

  const plans = await seedDemoCatalog(scope);
  const references = new Map<string, string>();
  for (const [index, c] of DEMO_CUSTOMERS.entries()) {
    const externalId = `demo-${c.key}`;
    if (await find((tx) => findCustomerByExternalId(tx, tenant.id, externalId))) continue;
    const customer = await createCustomer(scope, {
      name: c.name,
      emails: [c.email],
      phones: [c.phone],
      externalId,
      timeZone: c.tz,
      locale: c.locale,
      customerSince: c.since,
      attributes: { plan: c.plan },
    });
    created.customers++;
    // Before the conversations, so a customer's request to cancel finds the subscription it means.
    const reference = await seedDemoSubscription(scope, plans, { id: customer.id, key: c.key, plan: c.plan, since: c.since }, index);
    if (reference) references.set(c.key, reference);
    if (c.spendMinor > 0) {
      await recordSpend(scope, customer.id, {
        amountMinor: c.spendMinor,
        currency: 'GBP',
        at: new Date(Date.now() - 40 * 86_400_000).toISOString(),
        source: 'demo',
        externalId: `demo-spend-${c.key}`,
      });
    }
    for (const conv of DEMO_CONVERSATIONS.filter((d) => d.customer === c.key)) {
      const agentId = conv.agent === null ? null : agentIds[conv.agent]!;
      const [first, ...rest] = conv.messages;
      const { conversation } = await createConversation(scope, {
        customerId: customer.id,
        channel: conv.channel,
        subject: conv.subject,
        severity: conv.severity,
        status: 'open',
        assigneeId: agentId,
        teamId: teamIds.get(conv.team)!,
        tags: conv.tags,
        ...(first && { message: { role: first[0], text: first[1], visibility: 'public' as const, author: authorOf(first[0], customer.id, agentId) } }),
      });
      for (const [role, text] of rest) {
        await postMessage(scope, conversation.id, { role, text, visibility: 'public', author: authorOf(role, customer.id, agentId) });
      }
      if (conv.status !== 'open') await updateConversation(scope, conversation.id, { status: conv.status });
      created.conversations++;
    }
  }

  // A year of card sales by seven agents, one selling with high harm, so the incentives report and the
  // offer decisions have something true to show (once: the history is not idempotent).
  if (!(await find((tx) => tx.selectFrom('offers').select('id').where('tenant_id', '=', tenant.id).where('campaign_id', 'is not', null).executeTakeFirst()))) {
    await generateOfferHistory(scope, { seed: 7, suffix: '' });
  }

  const { token } = await issueToken(db, tenant.id, 'demo', 'demo');
  const signIns: DemoSeeded['signIns'] = [];
  for (const [i, a] of DEMO_AGENTS.entries()) {
    if (signIns.some((s) => s.role === a.role)) continue;
    const password = `demo-${randomBytes(9).toString('base64url')}`;
    await setPassword(scope, agentIds[i]!, { password }, { isAdmin: true });
    signIns.push({ role: a.role, name: a.name, email: a.email, password });
  }
  const margaret = DEMO_CUSTOMERS.find((c) => c.key === 'c02')!;
  const portal = { email: margaret.email, reference: references.get('c02') ?? (await subscriptionReference(scope, `demo-${margaret.key}`)) };
  return { tenantId: tenant.id, slug: tenant.slug, token, created, signIns, portal };
}

/** The reference of a demo customer's first subscription (a second run finds what the first made). */
async function subscriptionReference(scope: TenantScope, externalId: string): Promise<string | null> {
  return withTenant(scope.db, scope.tenantId, async (tx) => {
    const row = await tx
      .selectFrom('subscriptions')
      .innerJoin('customers', (j) => j.onRef('customers.tenant_id', '=', 'subscriptions.tenant_id').onRef('customers.id', '=', 'subscriptions.customer_id'))
      .select('subscriptions.reference')
      .where('subscriptions.tenant_id', '=', scope.tenantId)
      .where('customers.external_id', '=', externalId)
      .orderBy('subscriptions.id')
      .executeTakeFirst();
    return row?.reference ?? null;
  });
}

function authorOf(role: 'customer' | 'agent', customerId: string, agentId: string | null): string | null {
  return role === 'customer' ? customerId : agentId;
}
