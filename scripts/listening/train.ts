/**
 * `npm run train:listening [-- --data DIR] [--out FILE] [--no-fixture]`
 * Trains the listening models on labelled conversations (default: ../shared/data plus the
 * hand-labelled twitter-care fixture) and writes src/domain/listening/model.json.
 * Deterministic: the same data gives the same file.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Command } from 'commander';
import { DEFAULT_DATA, FIXTURE, PROJECT_ROOT, fixtureConversations, loadCorpora, loadFixture } from './data.ts';
import { DEFAULT_FIT, fitModel } from './fit.ts';

const program = new Command('train:listening')
  .description('Train the listening analysis models from gold-labelled JSONL conversations')
  .option('--data <dir>', 'folder of *.jsonl conversations with per-message "gold" labels', DEFAULT_DATA)
  .option('--out <file>', 'where to write the model', join(PROJECT_ROOT, 'src', 'domain', 'listening', 'model.json'))
  .option('--no-fixture', 'do not add the hand-labelled twitter-care fixture')
  .option('--train-rule-labels', 'also train models for labels otherwise left to rules (cancel_request, …)', false)
  .option('--min-positives <n>', 'train a label only with at least this many positives', '30');
program.parse();
const opts = program.opts<{ data: string; out: string; fixture: boolean; trainRuleLabels: boolean; minPositives: string }>();

if (!existsSync(opts.data)) {
  process.stderr.write(`No training data at ${opts.data}. Pass --data DIR (JSONL conversations with per-message "gold" labels).\n`);
  process.exit(1);
}
const t0 = Date.now();
const convs = loadCorpora(opts.data);
const sources = [`${relative(PROJECT_ROOT, opts.data) || opts.data}: ${convs.length} conversations`];
if (opts.fixture) {
  const fx = fixtureConversations(loadFixture(FIXTURE));
  convs.push(...fx);
  sources.push(`${relative(PROJECT_ROOT, FIXTURE)}: ${fx.length} messages`);
}
process.stderr.write(`loaded ${convs.length} conversations in ${Date.now() - t0} ms\n`);
const model = fitModel(convs, sources, {
  ...DEFAULT_FIT,
  trainRuleLabels: opts.trainRuleLabels,
  minPositives: Number(opts.minPositives),
  progress: (m) => process.stderr.write(`  ${m}…\n`),
});
const json = JSON.stringify(model);
writeFileSync(opts.out, json + '\n');
const summary = Object.entries(model.labels).map(([l, m]) => `${l}: ${Object.keys(m?.weights ?? {}).length} weights, threshold ${m?.threshold}`);
process.stderr.write(`wrote ${opts.out} (${(json.length / 1024).toFixed(0)} KiB) in ${((Date.now() - t0) / 1000).toFixed(1)} s\n  ${summary.join('\n  ')}\n`);
