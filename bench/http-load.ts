/**
 * HTTP load (issue 9, part 3): autocannon in this process drives `fairdesk serve`, running in a
 * child process on 127.0.0.1, through four cases — message ingest, the conversation list,
 * entitlements and the parity report. Each case:
 *   1. the reference: the same work in-process on the same store (the app function, through the
 *      same driver and tenant transaction, no HTTP), run by `connections` concurrent loops, before the
 *      server starts (the embedded store has one owner at a time);
 *   2. the maximum: autocannon with `connections` connections, no rate limit;
 *   3. 70% load: autocannon with overallRate = 70% of the maximum just measured, p99 reported.
 * ratio = HTTP req/s ÷ reference ops/s (target ≥ 0.5). The server's RSS is sampled from /proc every
 * 250 ms; the peak over the case is reported.
 *
 * The tenant: the demo tenant + `history` past conversations (10,000; quick 2,000), a webhook
 * endpoint on a loopback receiver in this process (so every message also writes an outbox row that
 * the server's worker delivers), and 1,000 open conversations that receive the messages round robin.
 *
 * Run alone: `npx tsx bench/http-load.ts [--quick] [--json] [--only ingest,list,entitlements,parity]`
 * (with DATABASE_URL_BENCH also on PostgreSQL, in a database of its own that is dropped at the end).
 */
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { openStore } from '../src/db/store.ts';
import type { TenantScope } from '../src/app/scope.ts';
import { drainOutbox, httpCases, seedFixture, webhookReceiver, type Fixture, type HttpCase } from './http/cases.ts';
import { benchStore, sampleRss, startServer, type BenchStore, type ServerProcess } from './http/server.ts';
import { percentile, type Record } from './record.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);
const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

export interface HttpBenchOptions {
  quick?: boolean;
  /** PostgreSQL URL used only to create and drop the bench's own database; embedded store without. */
  databaseUrl?: string;
  /** Case keys to run (default all). */
  only?: string[];
  connections?: number;
  /** Seconds per phase (defaults: reference 10, max 20, 70% 20; quick 3, 5, 5). */
  seconds?: { reference: number; max: number; load: number };
  history?: number;
  /** Open conversations that receive the messages (default 1,000; quick 200). */
  openConversations?: number;
}

export interface HttpCaseResult {
  key: string;
  store: 'pglite' | 'postgres';
  reference: { perSecond: number; p50Ms: number; p99Ms: number; ops: number };
  max: LoadResult;
  load: LoadResult & { targetRate: number };
  rssPeakMb: number;
  loadAverage: [number, number];
}

export interface LoadResult {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/** Runs op with `concurrency` loops for `seconds`; ops/s and latencies. */
export async function runDirect(seconds: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<HttpCaseResult['reference']> {
  let i = 0;
  const times: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        await op(i++);
        times.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { perSecond: times.length / elapsed, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), ops: times.length };
}

/** One autocannon run of a case against the server; `rate` limits the requests per second overall. */
export async function runAutocannon(url: string, token: string, c: HttpCase, opts: { seconds: number; connections: number; rate?: number; counter?: { i: number } }): Promise<LoadResult> {
  const counter = opts.counter ?? { i: 0 };
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.seconds,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    requests: [
      {
        method: c.method,
        setupRequest: (req) => {
          const i = counter.i++;
          return { ...req, path: c.path(i), ...(c.body ? { body: c.body(i) } : {}) };
        },
      },
    ],
  });
  return {
    perSecond: result.requests.total / (result.duration || opts.seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export async function benchHttp(opts: HttpBenchOptions = {}): Promise<{ records: Record[]; results: HttpCaseResult[]; fixture: Omit<Fixture, 'token'> }> {
  const seconds = opts.seconds ?? (opts.quick ? { reference: 3, max: 5, load: 5 } : { reference: 10, max: 20, load: 20 });
  const defaultConnections = opts.connections ?? 10;
  const connections = defaultConnections;
  const receiver = await webhookReceiver();
  const bs: BenchStore = await benchStore(opts.databaseUrl);
  let server: ServerProcess | null = null;
  try {
    const t0 = performance.now();
    const store = await openStore({ dataDir: bs.dataDir, databaseUrl: bs.databaseUrl });
    let fx: Fixture;
    const references = new Map<string, HttpCaseResult['reference']>();
    let cases: HttpCase[];
    try {
      fx = await seedFixture(store, { history: opts.history ?? (opts.quick ? 2_000 : 10_000), openConversations: opts.openConversations ?? (opts.quick ? 200 : 1_000), webhookUrl: receiver.url });
      log(`  [${bs.kind}] seeded ${fx.conversationsInTenant.toLocaleString('en')} conversations in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      cases = httpCases(fx).filter((c) => !opts.only || opts.only.includes(c.key));
      const scope: TenantScope = { db: store.db, tenantId: fx.tenantId, actor: 'bench' };
      // References first: the embedded store has one owner, and the server takes it next.
      for (const c of cases) {
        const n = c.connections ?? connections;
        await runDirect(Math.min(1, seconds.reference), n, (i) => c.direct(scope, 1_000_000 + i)); // warm-up
        const ref = await runDirect(seconds.reference, n, (i) => c.direct(scope, i));
        references.set(c.key, ref);
        log(`  [${bs.kind}] ${c.key} reference (${c.reference}): ${ref.perSecond.toFixed(1)} ops/s, p50 ${ref.p50Ms.toFixed(1)} ms, p99 ${ref.p99Ms.toFixed(1)} ms`);
      }
      // What seeding and the references queued (e.g. the webhooks of the reference's messages), run
      // now with the server's own handlers, so the server starts with an empty outbox.
      const t1 = performance.now();
      const drained = await drainOutbox(store, bs.dataDir);
      log(`  [${bs.kind}] ran the ${drained} outbox jobs left by seeding and the references in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    } finally {
      await store.close();
    }

    server = await startServer(bs);
    const startRss = server.rssMb();
    log(`  [${bs.kind}] fairdesk serve (pid ${server.pid}) on ${server.url}, RSS ${startRss} MB`);
    const beforeLoad = receiver.received();
    const results: HttpCaseResult[] = [];
    const records: Record[] = [];
    for (const c of cases) {
      const counter = { i: 2_000_000 };
      const connections = c.connections ?? defaultConnections;
      await runAutocannon(server.url, fx.token, c, { seconds: opts.quick ? 2 : 5, connections, counter }); // warm-up (JIT, caches, pools)
      const load1 = loadavg()[0]!;
      const rss = sampleRss(() => server!.rssMb());
      const max = await runAutocannon(server.url, fx.token, c, { seconds: seconds.max, connections, counter });
      const targetRate = Math.max(1, Math.round(max.perSecond * 0.7));
      const load = await runAutocannon(server.url, fx.token, c, { seconds: seconds.load, connections, rate: targetRate, counter });
      const { peakMb } = rss.stop();
      const loadAverage: [number, number] = [round2(load1), round2(loadavg()[0]!)];
      const reference = references.get(c.key)!;
      for (const [label, r] of [['max', max], ['70%', load]] as const) {
        if (r.non2xx > 0 || r.errors > 0) log(`  [${bs.kind}] ${c.key} ${label}: ${r.non2xx} non-2xx answers and ${r.errors} errors/timeouts of ${r.requests} requests`);
      }
      if (max.non2xx + max.errors + load.non2xx + load.errors > 0) throw new Error(`${c.key} on ${bs.kind}: requests failed under load (see above)`);
      log(
        `  [${bs.kind}] ${c.key}: max ${max.perSecond.toFixed(1)} req/s (p50 ${max.p50Ms} ms, p99 ${max.p99Ms} ms), ratio ${(max.perSecond / reference.perSecond).toFixed(3)}; ` +
          `at 70% (${targetRate} req/s): ${load.perSecond.toFixed(1)} req/s, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms; server RSS peak ${peakMb} MB; load average ${loadAverage.join(' → ')}`,
      );
      results.push({ key: c.key, store: bs.kind, reference, max, load: { ...load, targetRate }, rssPeakMb: peakMb, loadAverage });
      records.push(
        {
          name: `HTTP ${c.name}, max (${connections} connections) vs in-process ${c.key}`,
          store: bs.kind,
          unit: 'req/s',
          value: round1(max.perSecond),
          reference: round1(reference.perSecond),
          ratio: Number((max.perSecond / reference.perSecond).toFixed(3)),
          p50Ms: max.p50Ms,
          p99Ms: max.p99Ms,
          rssMb: peakMb,
        },
        {
          name: `HTTP ${c.name}, at 70% of max (value: req/s achieved; reference: the max)`,
          store: bs.kind,
          unit: 'req/s',
          value: round1(load.perSecond),
          reference: round1(max.perSecond),
          ratio: max.perSecond > 0 ? Number((load.perSecond / max.perSecond).toFixed(3)) : 0,
          p50Ms: load.p50Ms,
          p99Ms: load.p99Ms,
          rssMb: peakMb,
        },
      );
    }
    log(`  [${bs.kind}] webhook deliveries received during the load: ${receiver.received() - beforeLoad}`);
    const { token: _token, ...fixture } = fx;
    return { records, results, fixture };
  } finally {
    await server?.stop();
    await receiver.close();
    await bs.dispose();
  }
}

function arg(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const only = arg('--only')?.split(',');
  const records: Record[] = [];
  log(`HTTP load on the embedded store${quick ? ' (quick)' : ''} …`);
  records.push(...(await benchHttp({ quick, ...(only ? { only } : {}) })).records);
  if (process.env.DATABASE_URL_BENCH) {
    log('HTTP load on PostgreSQL …');
    records.push(...(await benchHttp({ quick, databaseUrl: process.env.DATABASE_URL_BENCH, ...(only ? { only } : {}) })).records);
  }
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(records)}\n`);
  else console.table(records);
}
