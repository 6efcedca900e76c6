import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../src/app/create-tenant.ts';
import { openStore } from '../../src/db/store.ts';
import { runCli, type CliEnv } from '../support/cli.ts';
import { freshStoreLocation, type TestStoreLocation } from '../support/store.ts';

let location: TestStoreLocation;
let env: CliEnv;
beforeAll(async () => {
  location = await freshStoreLocation();
  env = { dataDir: location.dataDir, databaseUrl: location.databaseUrl };
});
afterAll(async () => location?.dispose());

describe('fairdesk offers', () => {
  it('fit-check accepts the example and points at each problem of a broken fit', async () => {
    const good = await runCli(['offers', 'fit-check', 'examples/business-card.fit.yaml'], env);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/valid — 2 target-market conditions, 1 exclusion/);
    const file = join(location.dataDir, 'bad.fit.yaml');
    writeFileSync(file, 'keyFacts: too short\ntargetMarket:\n  - turnover: { atLeast: 1 }\nfees: { currency: gbp }\nneeds: [cashback]\n');
    const bad = await runCli(['offers', 'fit-check', file], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${file}:1:11: keyFacts: write the key-facts card in full`);
    expect(bad.stderr).toContain(`${file}:4:19: fees.currency: must be an ISO 4217 code`);
    expect(bad.stderr).toMatch(/2 errors/);
  });

  it('generate writes a gated sales history with progress', async () => {
    const store = await openStore({ dataDir: env.dataDir, databaseUrl: env.databaseUrl });
    const { tenant } = await createTenant(store.db, { name: 'Offers CLI', actor: 'test' });
    await store.close();
    const r = await runCli(['offers', 'generate', '--tenant', tenant.slug, '--data', env.dataDir], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Generated 128 sales by 7 agents under 2 campaigns/);
  }, 180_000);
});
