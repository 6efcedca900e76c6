/**
 * Soak (issue 9, part 5): `npm run soak [-- --minutes 10] [-- --rate N] [-- --postgres]`.
 * Message ingest — a customer message with its analysis, SLA update, audit row, and an outbox row
 * delivered by the server's worker to a loopback receiver — against `fairdesk serve` in a child
 * process, for `minutes` at 70% of the maximum measured first (20 s, 10 connections), unless
 * `--rate` gives the rate. Reports every error (non-2xx, socket errors, timeouts: must be 0) and the
 * server's RSS: "start" is taken 60 s into the soak (after JIT and caches settle), "end" at the end;
 * target growth < 10%. A by-hand run, not a test: nothing here runs in CI.
 *
 * Embedded store in a temporary folder; with --postgres, a database of its own created and dropped
 * through DATABASE_URL_BENCH (default postgres://postgres@127.0.0.1:5432/test).
 */
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { openStore } from '../src/db/store.ts';
import { drainOutbox, httpCases, seedFixture, webhookReceiver } from './http/cases.ts';
import { benchStore, sampleRss, startServer, type ServerProcess } from './http/server.ts';
import { runAutocannon } from './http-load.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);
const arg = (name: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};

const minutes = Number(arg('--minutes') ?? 10);
const givenRate = arg('--rate') ? Number(arg('--rate')) : undefined;
const connections = 10;
const postgres = process.argv.includes('--postgres');
const adminUrl = postgres ? (process.env.DATABASE_URL_BENCH ?? 'postgres://postgres@127.0.0.1:5432/test') : undefined;
// About 20 messages per conversation over the whole soak (an estimate of the rate until it is measured).
const openConversations = Math.max(200, Math.ceil(((givenRate ?? 40) * minutes * 60) / 20));

const receiver = await webhookReceiver();
const bs = await benchStore(adminUrl, 'fairdesk_soak');
let server: ServerProcess | null = null;
try {
  const t0 = performance.now();
  const store = await openStore({ dataDir: bs.dataDir, databaseUrl: bs.databaseUrl });
  const fx = await seedFixture(store, { history: 2_000, openConversations, webhookUrl: receiver.url })
    .then(async (seeded) => (await drainOutbox(store, bs.dataDir), seeded))
    .finally(() => store.close());
  log(`[${bs.kind}] seeded ${fx.conversationsInTenant} conversations (${openConversations} open for the soak) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  server = await startServer(bs);
  const running = server;
  const ingest = httpCases(fx).find((c) => c.key === 'ingest')!;
  const counter = { i: 0 };
  await runAutocannon(running.url, fx.token, ingest, { seconds: 5, connections, counter }); // warm-up
  let rate = givenRate;
  if (rate === undefined) {
    const max = await runAutocannon(running.url, fx.token, ingest, { seconds: 20, connections, counter });
    if (max.non2xx + max.errors > 0) throw new Error(`the maximum run had ${max.non2xx} non-2xx answers and ${max.errors} errors`);
    rate = Math.max(1, Math.round(max.perSecond * 0.7));
    log(`[${bs.kind}] maximum ${max.perSecond.toFixed(1)} req/s (p50 ${max.p50Ms} ms, p99 ${max.p99Ms} ms): soaking at ${rate} req/s for ${minutes} min`);
  }
  const load = [loadavg()[0]!];
  const rss = sampleRss(() => running.rssMb());
  const rssAtStart = { mb: running.rssMb() };
  const statuses = new Map<number, number>();
  let reqErrors = 0;
  const started = Date.now();
  const startTimer = setTimeout(() => (rssAtStart.mb = running.rssMb()), 60_000);
  const progress = setInterval(() => {
    load.push(loadavg()[0]!);
    log(`  ${((Date.now() - started) / 60_000).toFixed(1)} min: ${[...statuses].map(([s, n]) => `${n} × ${s}`).join(', ') || 'no'} responses, ${reqErrors} errors, RSS ${running.rssMb()} MB, webhooks received ${receiver.received()}, load ${loadavg()[0]!.toFixed(1)}`);
  }, 60_000);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: running.url,
        connections,
        duration: minutes * 60,
        overallRate: rate,
        headers: { authorization: `Bearer ${fx.token}`, 'content-type': 'application/json' },
        requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, path: ingest.path(counter.i), body: ingest.body!(counter.i++) }) }],
      },
      (error, r) => (error ? reject(error) : resolve(r)),
    );
    instance.on('response', (_client, statusCode) => statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1));
    instance.on('reqError', () => reqErrors++);
  });
  clearTimeout(startTimer);
  clearInterval(progress);
  const { peakMb, lastMb } = rss.stop();
  load.push(loadavg()[0]!);
  await receiver.quiet(3_000, 60_000);
  const errors = result.non2xx + result.errors + result.timeouts;
  const growth = (lastMb - rssAtStart.mb) / rssAtStart.mb;
  const summary = {
    store: bs.kind,
    minutes,
    rate,
    requests: result.requests.total,
    achievedPerSecond: Math.round((result.requests.total / result.duration) * 10) / 10,
    errors,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    rssStartMb: rssAtStart.mb,
    rssEndMb: lastMb,
    rssPeakMb: peakMb,
    rssGrowth: Math.round(growth * 1000) / 1000,
    webhooksReceived: receiver.received(),
    loadAverage: { min: Math.min(...load), max: Math.max(...load) },
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  log(`[${bs.kind}] ${errors === 0 ? 'no errors' : `${errors} ERRORS`}; RSS ${rssAtStart.mb} → ${lastMb} MB (${(growth * 100).toFixed(1)}%, target < 10%), peak ${peakMb} MB`);
  process.exitCode = errors === 0 && growth < 0.1 ? 0 : 1;
} finally {
  await server?.stop();
  await receiver.close();
  await bs.dispose();
}
