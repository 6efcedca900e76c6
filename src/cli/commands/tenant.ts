import { Command } from 'commander';
import { configOrExit, fail } from '../load-config.ts';

export function tenantCommand(): Command {
  const tenant = new Command('tenant').description('Manage tenants (companies using this Fairdesk)');
  tenant
    .command('create')
    .description('Create a tenant and its first API token')
    .requiredOption('--name <name>', 'the company name')
    .option('--slug <slug>', 'URL slug (default: made from the name)')
    .option('-d, --data <dir>', 'data folder of the embedded store (default ./fairdesk-data)')
    .option('--json', 'print only {"tenantId", "token"}')
    .action(async (opts: { name: string; slug?: string; data?: string; json?: boolean }) => {
      const config = configOrExit(opts);
      const { runOp } = await import('../run-op.ts');
      const { result } = await runOp(config, 'tenant.create', { name: opts.name, ...(opts.slug ? { slug: opts.slug } : {}) }).catch(fail);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ tenantId: result.tenantId, token: result.token })}\n`);
      } else {
        process.stdout.write(`Created tenant "${result.name}" (slug ${result.slug}, id ${result.tenantId}).\nAPI token (shown once; keep it):\n  ${result.token}\n`);
      }
    });
  return tenant;
}
