import { Command } from 'commander';
import type { DemoSeeded } from '../../app/seed-demo.ts';
import { configOrExit, fail } from '../load-config.ts';

export function demoCommand(): Command {
  return new Command('demo')
    .description('Seed the realistic demo tenant (idempotent) and print a fresh API token for it')
    .option('-d, --data <dir>', 'data folder of the embedded store (default ./fairdesk-data)')
    .option('--json', 'print only {"tenantId", "token"}')
    .option('--history <n>', 'also generate N past conversations with SLA clocks (for reports)')
    .option('--starve-lowest-band', 'with --history: serve the lowest spend band late, as a parity test')
    .action(async (opts: { data?: string; json?: boolean; history?: string; starveLowestBand?: boolean }) => {
      const config = configOrExit(opts);
      const history = opts.history === undefined ? 0 : Number(opts.history);
      if (!Number.isInteger(history) || history < 0) fail(`--history: must be a whole number, not ${opts.history}`);
      const { runOp } = await import('../run-op.ts');
      const { result } = await runOp(config, 'demo', {}).catch(fail);
      if (history > 0) {
        const { progressBar } = await import('../progress.ts');
        const bar = progressBar('history');
        const { result: made } = await runOp(
          config,
          'demo.history',
          { tenant: result.tenantId, conversations: history, starveLowestBand: Boolean(opts.starveLowestBand) },
          (done, total) => bar.update(done, total),
        ).catch(fail);
        bar.stop();
        if (!opts.json) process.stderr.write(`Generated ${made.conversations} conversations for ${made.customers} customers${opts.starveLowestBand ? ` (${made.starvedConversations} served late on purpose)` : ''}.\n`);
      }
      if (opts.json) process.stdout.write(`${JSON.stringify({ tenantId: result.tenantId, token: result.token })}\n`);
      else process.stdout.write(demoInstructions(result, `http://${config.host}:${config.port}`));
    });
}

/** What a newcomer needs to try the demo tenant. */
export function demoInstructions(demo: DemoSeeded, url: string): string {
  const made = demo.created;
  const what =
    made.customers + made.agents + made.conversations === 0
      ? 'The demo tenant was already there; nothing new was added.'
      : `Added ${made.agents} agents, ${made.customers} customers and ${made.conversations} conversations.`;
  return [
    '',
    `Demo tenant "${demo.slug}" (${demo.tenantId}). ${what}`,
    'API token (shown once; keep it):',
    `  ${demo.token}`,
    `Sign in (tenant "${demo.slug}"; new passwords each run):`,
    ...demo.signIns.map((s) => `  ${s.role.padEnd(10)} ${s.email.padEnd(28)} ${s.password}`),
    `Customer portal: ${url}/portal/${demo.slug} (ask for a sign-in link as ${demo.portal.email}; without SMTP_URL`,
    "  e-mail is written as .eml files to the data folder's mail/ directory).",
    ...(demo.portal.reference ? [`Cancel without signing in: ${url}/portal/${demo.slug}/cancel?reference=${demo.portal.reference} (e-mail ${demo.portal.email}).`] : []),
    `Published charter: ${url}/charter/${demo.slug}`,
    'Try:',
    `  curl -H "Authorization: Bearer ${demo.token}" ${url}/api/v1/conversations`,
    `  curl ${url}/api/v1/openapi.json`,
    '',
  ].join('\n');
}
