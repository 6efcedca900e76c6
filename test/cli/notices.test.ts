import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillingRunResult } from '../../src/app/billing-run.ts';
import { createCustomer } from '../../src/app/create-customer.ts';
import { createPlan } from '../../src/app/create-plan.ts';
import { createProduct } from '../../src/app/create-product.ts';
import { createSubscription } from '../../src/app/create-subscription.ts';
import { createTenant } from '../../src/app/create-tenant.ts';
import type { TenantScope } from '../../src/app/scope.ts';
import { CustomerCreate } from '../../src/contracts/customers.ts';
import { PlanCreate, ProductCreate, SubscriptionCreate } from '../../src/contracts/subscriptions.ts';
import { openStore } from '../../src/db/store.ts';
import { runCli, type CliEnv } from '../support/cli.ts';
import { freshStoreLocation, onPostgres, type TestStoreLocation } from '../support/store.ts';

let location: TestStoreLocation;
let env: CliEnv;
beforeAll(async () => {
  location = await freshStoreLocation();
  env = { dataDir: location.dataDir, databaseUrl: location.databaseUrl };
});
afterAll(async () => location?.dispose());

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY);

describe(`fairdesk billing run sends the notices due at --until (${onPostgres ? 'PostgreSQL' : 'embedded store'})`, () => {
  it('sends a trial reminder on the simulated clock, once, with the cancel link at the public URL, then bills from the trial end', async () => {
    const store = await openStore({ dataDir: env.dataDir, databaseUrl: env.databaseUrl });
    let ids: { tenantId: string; slug: string; sub: string; reference: string };
    try {
      const { tenant } = await createTenant(store.db, { name: 'Notice CLI', actor: 'test' });
      const scope: TenantScope = { db: store.db, tenantId: tenant.id, actor: 'test' };
      const product = await createProduct(scope, ProductCreate.parse({ name: 'Fax Line' }));
      const plan = await createPlan(scope, PlanCreate.parse({ productId: product.id, name: 'Pro', priceMinor: 1999, currency: 'EUR', interval: 'month' }));
      const customer = await createCustomer(scope, CustomerCreate.parse({ name: 'Tia Trial', emails: ['tia@example.com'] }));
      const sub = await createSubscription(scope, SubscriptionCreate.parse({ customerId: customer.id, planId: plan.id, trialEndsAt: at(14).toISOString() }));
      ids = { tenantId: tenant.id, slug: tenant.slug, sub: sub.id, reference: sub.reference };
    } finally {
      await store.close();
    }

    const publicUrl = { FAIRDESK_PUBLIC_URL: 'https://help.example.com' };
    const run = await runCli(['billing', 'run', '--until', at(8).toISOString(), '--json', '--data', env.dataDir], env, publicUrl);
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    expect((JSON.parse(run.stdout) as BillingRunResult).notices).toMatchObject({ trialReminder: 1 });
    const again = await runCli(['billing', 'run', '--until', at(9).toISOString(), '--data', env.dataDir], env, publicUrl);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('notices sent: 0 price change, 0 terms change, 0 annual reminder, 0 trial reminder');
    const paid = await runCli(['billing', 'run', '--until', at(15).toISOString(), '--json', '--data', env.dataDir], env, publicUrl);
    const mine = (JSON.parse(paid.stdout) as BillingRunResult).tenants.find((t) => t.tenantId === ids.tenantId)!;
    expect(mine.charged).toEqual([expect.objectContaining({ subscriptionId: ids.sub, amountMinor: 1999 })]);

    const check = await openStore({ dataDir: env.dataDir, databaseUrl: env.databaseUrl });
    try {
      const notices = await check.db.selectFrom('notices').selectAll().where('subscription_id', '=', ids.sub).execute();
      expect(notices.map((n) => [n.kind, n.to_address, n.sent_at.getTime() > Date.now() + 7 * DAY])).toEqual([['trial_reminder', 'tia@example.com', true]]);
      expect(notices[0]!.figures).toMatchObject({ priceMinor: 1999, cancelUrl: `https://help.example.com/portal/${ids.slug}/cancel?reference=${ids.reference}` });
    } finally {
      await check.close();
    }
  });
});
