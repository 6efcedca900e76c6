/**
 * `npm run bench [-- --quick] [-- --json] [-- --only CASES]`: every benchmark, each as a ratio
 * against a reference measured in the same run (timing on shared machines is noisy; ratios much
 * less so). With DATABASE_URL_BENCH set, store-backed cases also run on PostgreSQL, each in a
 * database of its own that is dropped at the end.
 *
 * --json prints ONE JSON array of records (bench/record.ts) on stdout; progress goes to stderr.
 * --only takes a comma-separated list of: listening, offer-gates, check-reply, first-view, parity,
 * http (all four below), http-ingest, http-list, http-entitlements, http-parity.
 */
import { benchCheckReply } from './check-reply.ts';
import { benchConsoleFirstView } from './console-first-view.ts';
import { benchHttp } from './http-load.ts';
import { benchListening } from './listening.ts';
import { benchOfferGates } from './offer-gates.ts';
import { benchParity } from './parity.ts';
import { recordProblems, type Record } from './record.ts';

const quick = process.argv.includes('--quick');
const json = process.argv.includes('--json');
const log = (line: string) => process.stderr.write(`${line}\n`);
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? '').split(',').filter((s) => s !== '') : null;
const HTTP_KEYS = ['ingest', 'list', 'entitlements', 'parity'];
const wanted = (name: string) => only === null || only.includes(name);
const httpKeys = HTTP_KEYS.filter((k) => wanted('http') || wanted(`http-${k}`));
const pgUrl = process.env.DATABASE_URL_BENCH;

const records: Record[] = [];
if (wanted('listening')) {
  log('listening analysis throughput …');
  records.push(...((await benchListening({ quick })) as Record[]));
}
if (wanted('offer-gates')) {
  log(`offer gates for ${quick ? '10,000' : '100,000'} customers, in-process …`);
  records.push(...(await benchOfferGates({ quick })));
}
if (wanted('check-reply')) {
  log('check-reply latency on the embedded store …');
  records.push(...(await benchCheckReply({ quick })));
  if (pgUrl) {
    log('check-reply latency on PostgreSQL …');
    records.push(...(await benchCheckReply({ quick, databaseUrl: pgUrl })));
  }
}
if (httpKeys.length > 0) {
  log(`HTTP load (autocannon → fairdesk serve) on the embedded store: ${httpKeys.join(', ')} …`);
  records.push(...(await benchHttp({ quick, only: httpKeys })).records);
  if (pgUrl) {
    log(`HTTP load (autocannon → fairdesk serve) on PostgreSQL: ${httpKeys.join(', ')} …`);
    records.push(...(await benchHttp({ quick, only: httpKeys, databaseUrl: pgUrl })).records);
  }
}
if (wanted('first-view')) {
  log(`console first view in Chromium on the embedded store (demo tenant + ${quick ? '2,000' : '10,000'} conversations) …`);
  records.push(...(await benchConsoleFirstView({ quick })).records);
  if (pgUrl) {
    log(`console first view in Chromium on PostgreSQL (demo tenant + ${quick ? '2,000' : '10,000'} conversations) …`);
    records.push(...(await benchConsoleFirstView({ quick, databaseUrl: pgUrl })).records);
  }
}
if (wanted('parity') && pgUrl) {
  // In its own database (created and dropped via this URL): 1,000,000 conversations, quick 100,000.
  log(`parity report on PostgreSQL (${quick ? '100,000' : '1,000,000'} conversations) …`);
  records.push(...(await benchParity({ quick, databaseUrl: pgUrl })));
}

// A record that does not conform is a bug in its benchmark: say which, and fail.
const bad = records.map((r, i) => ({ i, name: r.name, problems: recordProblems(r) })).filter((b) => b.problems.length > 0);
for (const b of bad) log(`record ${b.i} (${b.name}) does not conform: ${b.problems.join('; ')}`);
if (json) process.stdout.write(`${JSON.stringify(records)}\n`);
else console.table(records);
if (bad.length > 0) process.exitCode = 1;
