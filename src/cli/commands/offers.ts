/**
 * `fairdesk offers fit-check FILE` (no store: validate a product's fit before publishing it, e.g. in
 * CI) and `fairdesk offers generate` (a generated sales history for the incentives report).
 */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { parseProductFit } from '../../domain/offers/fit.ts';
import { configOrExit, fail } from '../load-config.ts';

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function offersCommand(): Command {
  const offers = new Command('offers').description('Product fits and offers');
  offers
    .command('fit-check')
    .description("Validate a product's fit file; prints every error with its line and column")
    .argument('<file>', 'the fit YAML file')
    .action(async (file: string) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        process.stderr.write(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      const r = parseProductFit(text);
      if (!r.ok) {
        for (const e of r.errors) process.stderr.write(`${file}:${e.line}:${e.column}: ${e.path || '(document)'}: ${e.message}\n`);
        process.stderr.write(`${count(r.errors.length, 'error')}\n`);
        process.exitCode = 1;
        return;
      }
      const f = r.fit;
      process.stdout.write(
        `${file}: valid — ${count(f.targetMarket.length, 'target-market condition')}, ${count(f.exclusions.length, 'exclusion')}, ` +
          `fees ${f.fees.currency} ${(f.fees.yearlyMinor / 100).toFixed(2)} a year + ${count(Object.keys(f.fees.perUnitMinor).length, 'unit fee')}, ` +
          `${count(f.benefits.length, 'benefit')}, needs: ${f.needs.join(', ') || 'none'}; situations: ${f.situations.join(', ') || 'none'}\n`,
      );
    });
  offers
    .command('generate')
    .description('Generate a sales history (agents, campaigns, gated offers, outcomes) for the incentives report')
    .requiredOption('-t, --tenant <slug>', 'the tenant (slug or id), e.g. the demo tenant "northwind"')
    .option('-d, --data <dir>', 'data folder of the embedded store (default ./fairdesk-data)')
    .option('--seed <n>', 'random seed', '7')
    .action(async (opts: { tenant: string; data?: string; seed: string }) => {
      const config = configOrExit(opts);
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed)) fail(`--seed: must be a whole number, not ${opts.seed}`);
      const { runOp } = await import('../run-op.ts');
      const { progressBar } = await import('../progress.ts');
      const bar = progressBar('sales');
      const { result } = await runOp(config, 'offers.history', { tenant: opts.tenant, seed }, (done, total) => bar.update(done, total)).catch(fail);
      bar.stop();
      process.stdout.write(`Generated ${result.sales} sales by ${result.agents} agents under ${result.campaigns} campaigns; see GET /api/v1/reports/incentives.\n`);
    });
  return offers;
}
