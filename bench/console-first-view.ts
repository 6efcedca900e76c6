/**
 * The agent console's first view (issue #8: "under 1 s on a demo tenant with 10,000 conversations"):
 * the demo tenant (`seedDemo`, as `fairdesk serve --demo`) plus 10,000 past conversations
 * (`generateHistory`, as `fairdesk demo --history 10000`), the real server (`startFairdesk`, as
 * `fairdesk serve`, listening on 127.0.0.1) and Debian's Chromium through playwright-core.
 *
 * Measured: from `page.goto('/inbox')` until the first row of the conversation list is in the DOM
 * (React renders the whole first page of 50 in one commit), signed in as a demo agent (signed in
 * through the API; the session cookie is put into the browser context).
 * - cold: a new browser context per run (empty HTTP cache, no compiled scripts);
 * - warm: one context, one unmeasured navigation first, then the same page navigated again.
 * Reference, in the same run: the same first page (`GET /api/v1/conversations?limit=50`, what the
 * inbox asks for) fetched directly with Node's `fetch` and the same cookie. ratio = reference median /
 * first-view median (the share of the first view that is the API call itself; 1 would mean the
 * browser adds nothing).
 * RSS is the bench's Node process, which runs the server (Chromium is a separate process and not
 * included), after the runs.
 *
 * Embedded PGlite in a temporary folder; with DATABASE_URL_BENCH also PostgreSQL, in a database of
 * its own (`fairdesk_bench_fv_<random>`, created via that URL and dropped at the end).
 *
 * Run alone: `npx tsx bench/console-first-view.ts [--quick] [--json] [--conversations N] [--runs N]`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { chromium, type Browser } from 'playwright-core';
import { generateHistory } from '../src/app/generate-history.ts';
import { seedDemo, type DemoSeeded } from '../src/app/seed-demo.ts';
import { loadConfig } from '../src/config.ts';
import { SESSION_COOKIE } from '../src/http/auth.ts';
import { startFairdesk } from '../src/start.ts';
import buildWebIfStale from '../test/e2e/support/build-web.ts';
import { percentile, type Record } from './record.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ROWS = 'ul[aria-label="Conversations"] > li';
const log = (line: string) => process.stderr.write(`${line}\n`);

export interface FirstViewOptions {
  quick?: boolean;
  /** PostgreSQL URL used only to create and drop the bench's own database; embedded store without. */
  databaseUrl?: string;
  /** Past conversations on top of the demo tenant (default 10,000; quick 2,000). */
  conversations?: number;
  /** Measured runs per case (default 10; quick 5). */
  runs?: number;
}

export interface FirstViewResult {
  records: Record[];
  /** Raw times in ms, for the docs. */
  runsMs: { cold: number[]; warm: number[]; fetch: number[] };
  /** Median browser-side milestones (ms since the navigation started). */
  phases: { cold: Phases; warm: Phases };
  seedS: number;
  conversationsInTenant: number;
}

/** Milestones of one navigation, ms since it started, from the page's own Performance API. */
export interface Phases {
  html: number;
  domContentLoaded: number;
  listRequested: number;
  listReceived: number;
  rendered: number;
}

function medianPhases(all: Phases[]): Phases {
  const m = (k: keyof Phases) => round1(percentile(all.map((p) => p[k]).sort((a, b) => a - b), 50));
  return { html: m('html'), domContentLoaded: m('domContentLoaded'), listRequested: m('listRequested'), listReceived: m('listReceived'), rendered: m('rendered') };
}

const median = (sorted: number[]) => percentile(sorted, 50);
const round1 = (x: number) => Math.round(x * 10) / 10;

export async function benchConsoleFirstView(opts: FirstViewOptions = {}): Promise<FirstViewResult> {
  const history = opts.conversations ?? (opts.quick ? 2_000 : 10_000);
  const runs = opts.runs ?? (opts.quick ? 5 : 10);
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (sudo apt-get install -y chromium, or set CHROMIUM_PATH)`);
  buildWebIfStale();

  const dataDir = mkdtempSync(join(tmpdir(), 'fairdesk-bench-first-view-'));
  let admin: pg.Client | null = null;
  let dbName: string | null = null;
  let databaseUrl: string | undefined;
  if (opts.databaseUrl) {
    dbName = `fairdesk_bench_fv_${randomBytes(6).toString('hex')}`;
    admin = new pg.Client({ connectionString: opts.databaseUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    const url = new URL(opts.databaseUrl);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  const loaded = loadConfig(
    { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', FAIRDESK_RATE_LIMIT: '100000' },
    { port: 0, host: '127.0.0.1', data: dataDir },
  );
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));

  let running: Awaited<ReturnType<typeof startFairdesk>> | null = null;
  let browser: Browser | null = null;
  try {
    let demo: DemoSeeded | null = null;
    let seedS = 0;
    running = await startFairdesk(loaded.config, {
      logger: false,
      beforeListen: async (store) => {
        const t0 = performance.now();
        demo = await seedDemo(store.db);
        await generateHistory(store.db, demo.tenantId, { conversations: history });
        seedS = (performance.now() - t0) / 1000;
      },
    });
    const seeded = demo as DemoSeeded | null;
    if (!seeded) throw new Error('the demo tenant was not seeded');
    const base = running.url;
    const { count } = await running.store.db
      .selectFrom('conversations')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('tenant_id', '=', seeded.tenantId)
      .executeTakeFirstOrThrow();
    const conversationsInTenant = Number(count);
    log(`  seeded the demo tenant and ${history} past conversations in ${seedS.toFixed(1)} s (${conversationsInTenant} in the tenant)`);

    // Sign in as a demo agent through the API; the browser and fetch use the same session cookie.
    const agent = seeded.signIns.find((s) => s.role === 'agent') ?? seeded.signIns[0]!;
    const signIn = await fetch(`${base}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: seeded.slug, email: agent.email, password: agent.password }),
    });
    if (signIn.status !== 200) throw new Error(`sign-in answered ${signIn.status}: ${await signIn.text()}`);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (!cookie) throw new Error('sign-in set no session cookie');
    const cookieValue = cookie.slice(SESSION_COOKIE.length + 1);
    const sessionCookie = { name: SESSION_COOKIE, value: cookieValue, domain: '127.0.0.1', path: '/', httpOnly: true, secure: true, sameSite: 'Lax' as const };

    // Reference: the first page the inbox asks for, over HTTP without a browser.
    const firstPage = `${base}/api/v1/conversations?limit=50`;
    const fetchOnce = async (): Promise<number> => {
      const t0 = performance.now();
      const res = await fetch(firstPage, { headers: { cookie } });
      const body = (await res.json()) as { data?: unknown[] };
      const ms = performance.now() - t0;
      if (res.status !== 200 || !Array.isArray(body.data) || body.data.length !== 50) throw new Error(`first page: ${res.status}, ${body.data?.length ?? 'no'} rows`);
      return ms;
    };

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    const newContext = async () => {
      const context = await browser!.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
      await context.addCookies([sessionCookie]);
      return context;
    };
    const firstView = async (page: import('playwright-core').Page): Promise<number> => {
      const t0 = performance.now();
      await page.goto('/inbox', { waitUntil: 'commit' });
      await page.locator(ROWS).first().waitFor({ state: 'attached', timeout: 30_000 });
      const ms = performance.now() - t0;
      const rows = await page.locator(ROWS).count();
      if (rows !== 50) throw new Error(`the inbox showed ${rows} rows, not 50 (url ${page.url()})`);
      lastPhases = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        const list = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) => e.name.includes('/api/v1/conversations'));
        return {
          html: nav ? nav.responseEnd : 0,
          domContentLoaded: nav ? nav.domContentLoadedEventEnd : 0,
          listRequested: list ? list.startTime : 0,
          listReceived: list ? list.responseEnd : 0,
          rendered: performance.now(),
        };
      });
      return ms;
    };
    // Browser-side milestones of the last navigation (ms since its start), for "where the time goes".
    let lastPhases: Phases = { html: 0, domContentLoaded: 0, listRequested: 0, listReceived: 0, rendered: 0 };
    const coldPhases: Phases[] = [];
    const warmPhases: Phases[] = [];

    // Warm-up of the server and the browser process (not measured): one of each.
    await fetchOnce();
    {
      const context = await newContext();
      await firstView(await context.newPage());
      await context.close();
    }

    // Cold and fetch interleaved, so both see the same machine state.
    const cold: number[] = [];
    const fetched: number[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await newContext();
      const page = await context.newPage();
      cold.push(await firstView(page));
      coldPhases.push(lastPhases);
      await context.close();
      fetched.push(await fetchOnce());
    }
    const warm: number[] = [];
    {
      const context = await newContext();
      const page = await context.newPage();
      await firstView(page);
      for (let i = 0; i < runs; i++) {
        warm.push(await firstView(page));
        warmPhases.push(lastPhases);
        fetched.push(await fetchOnce());
      }
      await context.close();
    }
    const rssMb = Math.round(process.memoryUsage().rss / 1e6);
    const ref = [...fetched].sort((a, b) => a - b);
    const refMedian = median(ref);
    const rec = (label: string, times: number[]): Record => {
      const sorted = [...times].sort((a, b) => a - b);
      const value = median(sorted);
      return {
        name: `console first view, ${label} (inbox, first 50 of ${conversationsInTenant} conversations) vs fetch of the page`,
        store: running!.store.kind,
        unit: 'ms (median)',
        value: round1(value),
        reference: round1(refMedian),
        ratio: Number((refMedian / value).toFixed(3)),
        p50Ms: round1(value),
        p99Ms: round1(percentile(sorted, 99)),
        rssMb,
      };
    };
    return {
      records: [rec('cold', cold), rec('warm', warm)],
      runsMs: { cold: cold.map(round1), warm: warm.map(round1), fetch: fetched.map(round1) },
      phases: { cold: medianPhases(coldPhases), warm: medianPhases(warmPhases) },
      seedS: round1(seedS),
      conversationsInTenant,
    };
  } finally {
    await browser?.close();
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (admin) {
      await admin.query(`drop database if exists ${dbName} with (force)`).catch((error: unknown) => log(`could not drop ${dbName}: ${String(error)}`));
      await admin.end();
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? Number(process.argv[at + 1]) : undefined;
  };
  const opts = { quick: process.argv.includes('--quick'), conversations: arg('--conversations'), runs: arg('--runs') };
  const results: FirstViewResult[] = [];
  log('console first view on the embedded store …');
  results.push(await benchConsoleFirstView(opts));
  if (process.env.DATABASE_URL_BENCH) {
    log('console first view on PostgreSQL …');
    results.push(await benchConsoleFirstView({ ...opts, databaseUrl: process.env.DATABASE_URL_BENCH }));
  }
  const records = results.flatMap((r) => r.records);
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(records)}\n`);
  else {
    console.table(records);
    for (const r of results) {
      log(`${r.records[0]!.store}: seeding ${r.seedS} s; runs (ms): ${JSON.stringify(r.runsMs)}`);
      log(`  browser milestones, medians (ms since navigation start): ${JSON.stringify(r.phases)}`);
    }
  }
}
