/**
 * `npm run bench [-- --quick] [-- --json]`: every benchmark, each as a ratio against a reference
 * measured in the same run (timing on shared machines is noisy; ratios much less so).
 * With DATABASE_URL_BENCH set, store-backed cases also run on that PostgreSQL database.
 */
import { benchCheckReply } from './check-reply.ts';
import { benchConsoleFirstView } from './console-first-view.ts';
import { benchListening } from './listening.ts';
import { benchOfferGates } from './offer-gates.ts';
import { benchParity } from './parity.ts';
import type { Record } from './record.ts';

const quick = process.argv.includes('--quick');
const json = process.argv.includes('--json');
const log = (line: string) => process.stderr.write(`${line}\n`);

const records: Record[] = [];
log('listening analysis throughput …');
records.push(...((await benchListening({ quick })) as Record[]));
log(`offer gates for ${quick ? '10,000' : '100,000'} customers, in-process …`);
records.push(...(await benchOfferGates({ quick })));
log('check-reply latency on the embedded store …');
records.push(...(await benchCheckReply({ quick })));
log(`console first view in Chromium on the embedded store (demo tenant + ${quick ? '2,000' : '10,000'} conversations) …`);
records.push(...(await benchConsoleFirstView({ quick })).records);
if (process.env.DATABASE_URL_BENCH) {
  log(`console first view in Chromium on PostgreSQL (demo tenant + ${quick ? '2,000' : '10,000'} conversations) …`);
  records.push(...(await benchConsoleFirstView({ quick, databaseUrl: process.env.DATABASE_URL_BENCH })).records);
  log('check-reply latency on PostgreSQL …');
  records.push(...(await benchCheckReply({ quick, databaseUrl: process.env.DATABASE_URL_BENCH })));
  // In its own database (created and dropped via this URL): 1,000,000 conversations, quick 100,000.
  log(`parity report on PostgreSQL (${quick ? '100,000' : '1,000,000'} conversations) …`);
  records.push(...(await benchParity({ quick, databaseUrl: process.env.DATABASE_URL_BENCH })));
}

if (json) process.stdout.write(`${JSON.stringify(records)}\n`);
else console.table(records);
