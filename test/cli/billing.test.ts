import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillingRunResult } from '../../src/app/billing-run.ts';
import { confirmCancellation } from '../../src/app/confirm-cancellation.ts';
import { createCustomer } from '../../src/app/create-customer.ts';
import { createPlan } from '../../src/app/create-plan.ts';
import { createProduct } from '../../src/app/create-product.ts';
import { createSubscription } from '../../src/app/create-subscription.ts';
import { createTenant } from '../../src/app/create-tenant.ts';
import { requestCancellation } from '../../src/app/request-cancellation.ts';
import type { TenantScope } from '../../src/app/scope.ts';
import { CancellationCreate, PlanCreate, ProductCreate, SubscriptionCreate } from '../../src/contracts/subscriptions.ts';
import { CustomerCreate } from '../../src/contracts/customers.ts';
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

/** A tenant with two monthly subscriptions renewing in 20 days; the second cancelled at period end. */
async function seed(): Promise<{ tenantId: string; kept: string; cancelled: string }> {
  const store = await openStore({ dataDir: env.dataDir, databaseUrl: env.databaseUrl });
  try {
    const { tenant } = await createTenant(store.db, { name: 'Billing CLI', actor: 'test' });
    const scope: TenantScope = { db: store.db, tenantId: tenant.id, actor: 'test' };
    const product = await createProduct(scope, ProductCreate.parse({ name: 'Fax Line' }));
    const plan = await createPlan(scope, PlanCreate.parse({ productId: product.id, name: 'Pro', priceMinor: 1999, currency: 'EUR', interval: 'month' }));
    const customer = await createCustomer(scope, CustomerCreate.parse({ name: 'Cleo Client' }));
    const sub = () =>
      createSubscription(
        scope,
        SubscriptionCreate.parse({ customerId: customer.id, planId: plan.id, startedAt: at(-400).toISOString(), currentPeriodStart: at(-10).toISOString(), currentPeriodEnd: at(20).toISOString() }),
      );
    const kept = await sub();
    const cancelled = await sub();
    const attempt = await requestCancellation(scope, cancelled.id, CancellationCreate.parse({ channel: 'portal', timing: 'period_end' }));
    await confirmCancellation(scope, attempt.row.id);
    return { tenantId: tenant.id, kept: kept.id, cancelled: cancelled.id };
  } finally {
    await store.close();
  }
}

describe(`fairdesk billing run (${onPostgres ? 'PostgreSQL' : 'embedded store'})`, () => {
  it('charges the due renewal, not the cancelled subscription, prints JSON, and a rerun charges nothing', async () => {
    const { tenantId, kept, cancelled } = await seed();
    const until = at(25).toISOString();
    const run = await runCli(['billing', 'run', '--until', until, '--json', '--data', env.dataDir], env);
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stderr).toMatch(/billing \[/); // progress on stderr
    const result = JSON.parse(run.stdout) as BillingRunResult;
    expect(result.until).toBe(until);
    const mine = result.tenants.find((t) => t.tenantId === tenantId)!;
    expect(mine.charged).toEqual([expect.objectContaining({ subscriptionId: kept, amountMinor: 1999, currency: 'EUR' })]);
    expect(mine.ended.map((e) => e.subscriptionId)).toEqual([cancelled]);

    const again = await runCli(['billing', 'run', '--until', until, '--json', '--data', env.dataDir], env);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as BillingRunResult).tenants.find((t) => t.tenantId === tenantId)).toEqual({ tenantId, charged: [], ended: [] });

    const human = await runCli(['billing', 'run', '--until', at(60).toISOString(), '--data', env.dataDir], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^Billing run up to .*: 1 charge\(s\), 0 subscription\(s\) ended/);
    expect(human.stdout).toContain(`charged 1999 EUR (minor units) to subscription ${kept}`);

    const bad = await runCli(['billing', 'run', '--until', 'not-a-date', '--data', env.dataDir], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--until: not a date');
  });
});
