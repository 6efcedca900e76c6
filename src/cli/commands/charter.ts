import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { configOrExit, fail } from '../load-config.ts';
import { charterCheckCommand, charterSchemaCommand } from './charter-offline.ts';

export function charterCommand(): Command {
  const charter = new Command('charter').description('The service charter: check, publish, and the schema for editors');
  charter.addCommand(charterCheckCommand());
  charter.addCommand(charterSchemaCommand());
  charter
    .command('publish')
    .description('Publish a charter file as the next version for a tenant (validated in full first)')
    .argument('<file>', 'the charter YAML file')
    .requiredOption('--tenant <slug>', 'the tenant (slug or id)')
    .option('--effective <iso-date>', "when it takes effect (default: the file's `effective`, else now)")
    .option('--note <text>', 'change note (default: the file’s `changeNote`)')
    .option('-d, --data <dir>', 'data folder of the embedded store (default ./fairdesk-data)')
    .option('--json', 'print {"version", "effectiveAt"}')
    .action(async (file: string, opts: { tenant: string; effective?: string; note?: string; data?: string; json?: boolean }) => {
      const config = configOrExit(opts);
      const source = await readFile(file, 'utf8').catch(fail);
      const { runOp } = await import('../run-op.ts');
      const effectiveAt = opts.effective ? new Date(opts.effective) : undefined;
      if (effectiveAt && Number.isNaN(effectiveAt.getTime())) fail(`--effective: not a date: ${opts.effective}`);
      const { result } = await runOp(config, 'charter.publish', {
        tenant: opts.tenant,
        source,
        ...(effectiveAt ? { effectiveAt: effectiveAt.toISOString() } : {}),
        ...(opts.note ? { changeNote: opts.note } : {}),
      }).catch(fail);
      if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else process.stdout.write(`Published version ${result.version} of the charter of ${opts.tenant}, in effect from ${result.effectiveAt}.\n`);
    });
  return charter;
}
