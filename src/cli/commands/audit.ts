import { readFile, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { ExportedLine } from '../../app/audit-checkpoints.ts';
import type { AuditVerifyReport } from '../../app/verify-audit-log.ts';
import { configOrExit, fail } from '../load-config.ts';

const DATA_OPTION = ['-d, --data <dir>', 'data folder of the embedded store (default ./fairdesk-data)'] as const;

/** `fairdesk audit …`: verify the tamper-evident audit log, sign checkpoints now, export them. */
export function auditCommand(): Command {
  const audit = new Command('audit').description('The tamper-evident audit log: verify its hash chains, sign and export checkpoints');
  audit
    .command('verify')
    .description("Walk every tenant's audit chain against its head and signed checkpoints; name the first broken link (exit 1)")
    .option('--tenant <slug>', 'only this tenant (slug or id)')
    .option('--checkpoints <file>', 'also check the chain against exported checkpoints kept elsewhere (JSONL)')
    .option('--json', 'print {"ok", "tenants": [{"tenantId", "rows", "head", "checkpoints", "firstBroken"}]}')
    .option(...DATA_OPTION)
    .action(async (opts: { tenant?: string; checkpoints?: string; json?: boolean; data?: string }) => {
      const config = configOrExit(opts);
      const checkpoints = opts.checkpoints ? await readCheckpointsFile(opts.checkpoints).catch(fail) : undefined;
      const { runOp } = await import('../run-op.ts');
      const { progressBar } = await import('../progress.ts');
      const bar = progressBar('verify');
      const started = performance.now();
      const { result } = await runOp(
        config,
        'audit.verify',
        { ...(opts.tenant ? { tenant: opts.tenant } : {}), ...(checkpoints ? { checkpoints } : {}) },
        (done, total) => bar.update(done, total),
      ).catch((error: unknown) => {
        bar.stop();
        return fail(error);
      });
      bar.stop();
      const seconds = (performance.now() - started) / 1000;
      if (opts.json) process.stdout.write(`${JSON.stringify({ ok: result.ok, tenants: result.tenants })}\n`);
      else process.stdout.write(describeReport(result, seconds));
      if (!result.ok) process.exitCode = 1;
    });
  audit
    .command('checkpoint')
    .description("Sign each tenant's chain head now (where it moved since the last checkpoint); `serve` does this every 10 minutes")
    .option('--tenant <slug>', 'only this tenant (slug or id)')
    .option('--json', 'print {"keyId", "tenants": [{"tenantId", "seq", "written"}]}')
    .option(...DATA_OPTION)
    .action(async (opts: { tenant?: string; json?: boolean; data?: string }) => {
      const config = configOrExit(opts);
      const { runOp } = await import('../run-op.ts');
      const { result } = await runOp(config, 'audit.checkpoint', opts.tenant ? { tenant: opts.tenant } : {}).catch(fail);
      if (opts.json) return void process.stdout.write(`${JSON.stringify(result)}\n`);
      const written = result.tenants.filter((t) => t.written);
      process.stdout.write(`Signed ${written.length} checkpoint(s) with key ${result.keyId}; ${result.tenants.length - written.length} tenant(s) had nothing new.\n`);
      for (const t of written) process.stdout.write(`  ${t.tenantId} at seq ${t.seq}\n`);
    });
  audit
    .command('export-checkpoints')
    .description('Export the signed checkpoints with their public key (JSONL) to keep somewhere the database cannot reach')
    .option('--tenant <slug>', 'only this tenant (slug or id)')
    .option('--out <file>', 'write to this file (default: standard output)')
    .option(...DATA_OPTION)
    .action(async (opts: { tenant?: string; out?: string; data?: string }) => {
      const config = configOrExit(opts);
      const { runOp } = await import('../run-op.ts');
      const { result } = await runOp(config, 'audit.exportCheckpoints', opts.tenant ? { tenant: opts.tenant } : {}).catch(fail);
      const text = result.lines.map((l) => JSON.stringify(l)).join('\n') + (result.lines.length ? '\n' : '');
      const count = result.lines.filter((l) => l.kind === 'checkpoint').length;
      if (!opts.out) return void process.stdout.write(text);
      await writeFile(opts.out, text).catch(fail);
      process.stderr.write(`Exported ${count} checkpoint(s) to ${opts.out}.\n`);
    });
  return audit;
}

/** Parses an exported checkpoints file, naming the line of any error. */
async function readCheckpointsFile(file: string): Promise<ExportedLine[]> {
  const { exportedLineSchema } = await import('../../app/audit-checkpoints.ts');
  const lines: ExportedLine[] = [];
  const text = await readFile(file, 'utf8');
  for (const [index, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new Error(`${file}:${index + 1}: not JSON`);
    }
    const parsed = exportedLineSchema.safeParse(value);
    if (!parsed.success) throw new Error(`${file}:${index + 1}: not an exported checkpoint or key (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    lines.push(parsed.data);
  }
  return lines;
}

function describeReport(report: AuditVerifyReport, seconds: number): string {
  const rows = report.tenants.reduce((n, t) => n + t.rows, 0);
  const out = report.tenants.map((t) => {
    const name = t.slug ? `${t.slug} (${t.tenantId})` : t.tenantId;
    const summary = `${t.rows} rows, head seq ${t.head}, ${t.checkpoints} checkpoint(s)`;
    if (!t.firstBroken) return `  ${name}: ${summary}: intact\n`;
    const at = `seq ${t.firstBroken.seq}${t.firstBroken.id ? ` (row ${t.firstBroken.id})` : ''}`;
    return `  ${name}: ${summary}: BROKEN at ${at}: ${t.firstBroken.problem}\n`;
  });
  const rate = seconds > 0 ? Math.round(rows / seconds) : rows;
  const broken = report.tenants.filter((t) => t.firstBroken).length;
  const head = report.ok
    ? `Audit log intact: ${report.tenants.length} tenant(s), ${rows} rows verified in ${seconds.toFixed(1)} s (${rate} rows/s).\n`
    : `Audit log BROKEN in ${broken} of ${report.tenants.length} tenant(s) (${rows} rows read in ${seconds.toFixed(1)} s).\n`;
  return head + out.join('');
}
