/** `fairdesk import KIND FILE --tenant SLUG`: import Zendesk exports, customers, transcripts, usage and billing (docs/import.md). */
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { ImportRunResult } from '../../app/run-import.ts';
import { IMPORT_KINDS } from '../../domain/imports.ts';
import { configOrExit, fail } from '../load-config.ts';

export function importCommand(): Command {
  return new Command('import')
    .description('Import a file: resumable (a re-run continues after the last committed batch), idempotent on external ids, ending with a summary')
    .addArgument(new Command().createArgument('<kind>', 'what the file holds').choices(IMPORT_KINDS))
    .argument('<file>', 'the file (zendesk: a JSON document or a folder of per-section files)')
    .requiredOption('-t, --tenant <slug-or-id>', 'the tenant to import into')
    .option('--rejected <file>', 'customers-csv: write rejected rows here (default FILE.rejected.csv)')
    .option('--fresh', 'start a new run even if an unfinished run of the same file exists')
    .option('--json', 'print the summary as JSON')
    .addOption(new Option('-d, --data <dir>', 'data folder of the embedded store (default ./fairdesk-data)'))
    .action(async (kind: (typeof IMPORT_KINDS)[number], file: string, opts: { tenant: string; rejected?: string; fresh?: boolean; json?: boolean; data?: string }) => {
      const config = configOrExit(opts);
      const { runOp } = await import('../run-op.ts');
      const { progressBar } = await import('../progress.ts');
      const bar = progressBar(`import ${kind}`);
      // The store's process (perhaps the running server) reads the file itself: paths are absolute.
      const args = { tenant: opts.tenant, kind, path: resolve(file), ...(opts.rejected && { rejectedPath: resolve(opts.rejected) }), ...(opts.fresh && { fresh: true }) };
      const { result } = await runOp(config, 'import.run', args, (done, total) => bar.update(done, total)).catch((error: unknown) => {
        bar.stop();
        return fail(error);
      });
      bar.stop();
      process.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : describeImport(result));
    });
}

export function describeImport(r: ImportRunResult): string {
  const lines = [
    `Imported ${r.kind} from ${r.source}${r.resumedFrom !== null ? ` (resumed after record ${r.resumedFrom})` : ''}: ${r.records} record(s) — ${r.imported} imported, ${r.updated} updated, ${r.skipped} skipped, ${r.rejected} rejected.`,
  ];
  for (const [entity, c] of Object.entries(r.byEntity)) lines.push(`  ${entity}: ${c.imported} imported, ${c.updated} updated, ${c.skipped} skipped, ${c.rejected} rejected`);
  for (const [reason, n] of Object.entries(r.skippedReasons)) lines.push(`  skipped ${n}: ${reason}`);
  if (r.rejections.length) lines.push('Rejected:');
  for (const x of r.rejections) lines.push(`  record ${x.record} (${x.ref}): ${x.reason}`);
  if (r.rejectionsTruncated) lines.push(`  … and ${r.rejected - r.rejections.length} more`);
  if (r.rejectedFile) lines.push(`Rejected rows written to ${r.rejectedFile} (with an errors column).`);
  lines.push(`Run ${r.runId}.`);
  return `${lines.join('\n')}\n`;
}
