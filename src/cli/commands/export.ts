import { resolve } from 'node:path';
import { Command } from 'commander';
import { configOrExit, fail } from '../load-config.ts';

/** `fairdesk export conversations`: a tenant's conversations as JSONL, also beside a running server. */
export function exportCommand(): Command {
  const exp = new Command('export').description('Export data (personal data: keep the files safe)');
  exp
    .command('conversations')
    .description("A tenant's conversations with their messages as JSON Lines (the lines of GET /conversations/export), with a progress bar")
    .requiredOption('--tenant <slug>', 'the tenant (slug or id)')
    .requiredOption('-o, --out <file>', 'the .jsonl file to write')
    .option('--from <iso>', 'opened at or after this instant')
    .option('--to <iso>', 'opened before this instant')
    .option('--status <status>', 'open, pending, resolved or closed')
    .option('--json', 'print {"path", "conversations", "messages", "bytes"}')
    .option('-d, --data <dir>', 'data folder of the embedded store (default ./fairdesk-data)')
    .action(async (opts: { tenant: string; out: string; from?: string; to?: string; status?: string; json?: boolean; data?: string }) => {
      const config = configOrExit(opts);
      if (opts.status && !['open', 'pending', 'resolved', 'closed'].includes(opts.status)) fail(`--status: must be open, pending, resolved or closed, not ${opts.status}`);
      for (const [flag, value] of [['--from', opts.from], ['--to', opts.to]] as const) {
        if (value !== undefined && (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value)))) fail(`${flag}: must be an ISO-8601 date-time such as 2026-01-01T00:00:00Z, not ${value}`);
      }
      const { runOp } = await import('../run-op.ts');
      const { progressBar } = await import('../progress.ts');
      const bar = progressBar('export');
      const args = {
        tenant: opts.tenant,
        out: resolve(opts.out),
        ...(opts.from ? { from: opts.from } : {}),
        ...(opts.to ? { to: opts.to } : {}),
        ...(opts.status ? { status: opts.status } : {}),
      };
      const { result } = await runOp(config, 'export.conversations', args, (done, total) => bar.update(done, total)).catch((error: unknown) => {
        bar.stop();
        return fail(error);
      });
      bar.stop();
      if (opts.json) return void process.stdout.write(`${JSON.stringify(result)}\n`);
      process.stdout.write(`Exported ${result.conversations} conversations (${result.messages} messages, ${(result.bytes / 1024).toFixed(0)} KB) to ${result.path}.\n`);
    });
  return exp;
}
