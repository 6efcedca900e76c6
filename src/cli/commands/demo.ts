import { Command } from 'commander';
import type { DemoSeeded } from '../../app/seed-demo.ts';
import { configOrExit, fail } from '../load-config.ts';

export function demoCommand(): Command {
  return new Command('demo')
    .description('Seed the realistic demo tenant (idempotent) and print a fresh API token for it')
    .option('-d, --data <dir>', 'data folder of the embedded store (default ./fairdesk-data)')
    .option('--json', 'print only {"tenantId", "token"}')
    .action(async (opts: { data?: string; json?: boolean }) => {
      const config = configOrExit(opts);
      const { runOp } = await import('../run-op.ts');
      const { result } = await runOp(config, 'demo', {}).catch(fail);
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
    'Try:',
    `  curl -H "Authorization: Bearer ${demo.token}" ${url}/api/v1/conversations`,
    `  curl ${url}/api/v1/openapi.json`,
    '',
  ].join('\n');
}
