import { resolve } from 'node:path';
import { Command } from 'commander';
import { configOrExit, fail } from '../load-config.ts';

const DATA_OPTION = ['-d, --data <dir>', 'data folder of the embedded store (default ./fairdesk-data, or FAIRDESK_DATA)'] as const;

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** `fairdesk backup --out FILE`: a consistent copy of the embedded store, also while `serve` runs. */
export function backupCommand(): Command {
  return new Command('backup')
    .description('Back up the embedded store to one file (consistent while the server runs; on PostgreSQL use pg_dump)')
    .requiredOption('-o, --out <file>', 'the backup file to write (a tar archive: manifest.json, pgdata.tar.gz, the audit signing key)')
    .option('--json', 'print the manifest as JSON')
    .option(...DATA_OPTION)
    .action(async (opts: { out: string; json?: boolean; data?: string }) => {
      const config = configOrExit(opts);
      const { USE_PG_DUMP } = await import('../../app/backup-store.ts');
      if (config.databaseUrl) fail(USE_PG_DUMP);
      const { runOp } = await import('../run-op.ts');
      const started = performance.now();
      // Resolved here: the server that may write the file has its own working directory.
      const { result, route } = await runOp(config, 'store.backup', { out: resolve(opts.out) }).catch(fail);
      const seconds = (performance.now() - started) / 1000;
      if (opts.json) return void process.stdout.write(`${JSON.stringify({ ...result, seconds, route })}\n`);
      const rows = Object.values(result.tables).reduce((a, b) => a + b, 0);
      process.stdout.write(
        `Backed up ${rows} rows in ${Object.keys(result.tables).length} tables (migration ${result.migration}) to ${result.path}: ${mb(result.bytes)} in ${seconds.toFixed(1)} s` +
          `${route === 'admin-socket' ? ', taken by the running server' : ''}.\n`,
      );
    });
}

/** `fairdesk restore FILE`: into an empty or new data folder, checked against the backup's manifest. */
export function restoreCommand(): Command {
  return new Command('restore')
    .description('Restore a backup into an empty or new data folder, checking its sha256 and row counts (never while a server holds the folder)')
    .argument('<file>', 'a file written by `fairdesk backup`')
    .option('--force', 'replace the store of a data folder that is not empty')
    .option('--json', 'print the result as JSON')
    .option(...DATA_OPTION)
    .action(async (file: string, opts: { force?: boolean; json?: boolean; data?: string }) => {
      const config = configOrExit(opts);
      if (config.databaseUrl) fail('restore is for the embedded store; DATABASE_URL is set (on PostgreSQL use pg_restore)');
      const { restoreBackup } = await import('../../app/backup-store.ts');
      const started = performance.now();
      const result = await restoreBackup({ file, dataDir: config.dataDir, force: Boolean(opts.force) }).catch(fail);
      const seconds = (performance.now() - started) / 1000;
      if (opts.json) return void process.stdout.write(`${JSON.stringify({ ...result, seconds })}\n`);
      process.stdout.write(
        `Restored ${result.rows} rows in ${result.tables} tables (migration ${result.manifest.migration}, backed up ${result.manifest.createdAt} by Fairdesk ${result.manifest.fairdeskVersion}) ` +
          `into ${result.dataDir} in ${seconds.toFixed(1)} s; row counts match the manifest${result.auditKey ? '; audit signing key restored' : ''}.\n`,
      );
    });
}

/** `fairdesk migrate-store --to postgres://…`: copy the embedded store into PostgreSQL and verify it. */
export function migrateStoreCommand(): Command {
  return new Command('migrate-store')
    .description('Copy the embedded data folder into a PostgreSQL database (migrated first), then verify row counts and audit chains')
    .requiredOption('--to <url>', 'postgres:// URL of the target database, as a role that may bypass row-level security')
    .option('--force', 'copy although the target already holds tenants (rows already there are kept)')
    .option('--batch <n>', 'rows per batch (default 1000)')
    .option('--json', 'print the summary as JSON')
    .option(...DATA_OPTION)
    .action(async (opts: { to: string; force?: boolean; batch?: string; json?: boolean; data?: string }) => {
      const config = configOrExit(opts);
      if (!/^postgres(ql)?:\/\//.test(opts.to)) fail('--to: must be a postgres:// or postgresql:// URL');
      const batch = opts.batch === undefined ? 1000 : Number(opts.batch);
      if (!Number.isInteger(batch) || batch < 1) fail(`--batch: must be a whole number above 0, not ${opts.batch}`);
      const [{ openStore, redactUrl }, { DataFolderLockedError }, { migrateStore }, { verifyAuditLog }, { loadAuditSigningKey }, { progressBar }] = await Promise.all([
        import('../../db/store.ts'),
        import('../../db/data-lock.ts'),
        import('../../app/migrate-store.ts'),
        import('../../app/verify-audit-log.ts'),
        import('../../app/audit-signing-key.ts'),
        import('../progress.ts'),
      ]);
      // The folder is opened, not asked through a running server: a move is a cut-over, and
      // writes made to the old store during the copy would be lost.
      const source = await openStore({ dataDir: config.dataDir }).catch((error: unknown) =>
        fail(error instanceof DataFolderLockedError ? new Error(`${error.message} (stop the server before moving its store)`) : error),
      );
      let target;
      try {
        target = await openStore({ databaseUrl: opts.to, dataDir: config.dataDir, poolSize: 2 });
      } catch (error) {
        await source.close();
        fail(error);
      }
      const bar = progressBar('copy');
      try {
        const result = await migrateStore(source, target, { force: Boolean(opts.force), batchSize: batch, onProgress: (d, t) => bar.update(d, t) });
        bar.stop();
        const key = loadAuditSigningKey({ dataDir: config.dataDir, env: process.env, create: false });
        const audit = await verifyAuditLog(target.db, { trustedKeys: key ? [key] : [] });
        const ok = result.ok && audit.ok;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ ...result, ok, audit: { ok: audit.ok, tenants: audit.tenants } })}\n`);
        } else {
          const rate = result.seconds > 0 ? Math.round(result.rows / result.seconds) : result.rows;
          const lines = result.tables.filter((t) => t.source > 0).map((t) => `  ${t.table.padEnd(28)} ${String(t.copied).padStart(9)}${t.skipped ? ` (${t.skipped} already there)` : ''}`);
          const broken = audit.tenants.filter((t) => t.firstBroken);
          process.stdout.write(
            [
              `Copied ${result.rows} rows in ${result.tables.length} tables from ${config.dataDir} to ${redactUrl(opts.to)} in ${result.seconds.toFixed(1)} s (${rate} rows/s); row counts match.`,
              ...lines,
              audit.ok
                ? `Audit chains intact on the target: ${audit.tenants.length} tenant(s), ${audit.tenants.reduce((n, t) => n + t.rows, 0)} rows.`
                : `Audit chains BROKEN on the target in ${broken.length} tenant(s): ${broken.map((t) => `${t.tenantId} at seq ${t.firstBroken!.seq}: ${t.firstBroken!.problem}`).join('; ')}`,
              key ? `Set FAIRDESK_AUDIT_KEY to the contents of ${config.dataDir}/audit-signing-key.pem on the servers, so they keep signing with the same key.` : '',
              `Now run: DATABASE_URL=${redactUrl(opts.to)} fairdesk serve`,
              '',
            ]
              .filter((l) => l !== '')
              .join('\n') + '\n',
          );
        }
        if (!ok) process.exitCode = 1;
      } catch (error) {
        bar.stop();
        await Promise.all([source.close(), target.close()]);
        fail(error);
      }
      await Promise.all([source.close(), target.close()]);
    });
}
