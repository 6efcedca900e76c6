import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.ts';
import { DataFolderLockedError, liveLockHolder } from '../db/data-lock.ts';
import { openStore } from '../db/store.ts';
import { callAdminServer } from './admin-socket.ts';
import { runAdminOp, type AdminOpName, type AdminOpResult, type Progress } from './admin-ops.ts';

/** How the operation was carried out, for tests and for `--verbose`. */
export type OpRoute = 'postgres' | 'admin-socket' | 'embedded';

/**
 * Runs a CLI operation wherever the store is: straight on PostgreSQL (many connections are fine);
 * through the running server's admin socket when `fairdesk serve` holds the embedded folder;
 * otherwise by opening the embedded folder itself.
 */
export async function runOp<N extends AdminOpName>(
  config: Config,
  name: N,
  args: unknown,
  progress?: Progress,
): Promise<{ result: AdminOpResult<N>; route: OpRoute }> {
  if (config.databaseUrl) {
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      return { result: (await runAdminOp(store, name, args, progress)) as AdminOpResult<N>, route: 'postgres' };
    } finally {
      await store.close();
    }
  }
  const deadline = Date.now() + 30_000;
  for (;;) {
    const holder = liveLockHolder(config.dataDir);
    if (holder?.adminSocket) {
      return { result: (await callAdminServer(holder.adminSocket, name, args, progress)) as AdminOpResult<N>, route: 'admin-socket' };
    }
    if (!holder) {
      try {
        const store = await openStore({ dataDir: config.dataDir });
        try {
          return { result: (await runAdminOp(store, name, args, progress)) as AdminOpResult<N>, route: 'embedded' };
        } finally {
          await store.close();
        }
      } catch (error) {
        if (!(error instanceof DataFolderLockedError)) throw error;
        // A server took the folder between our look and our open: ask it instead.
      }
    }
    // The holder is starting (no socket yet) or is another CLI command: wait for it.
    if (Date.now() > deadline) {
      throw new Error(`the data folder ${config.dataDir} is held by process ${holder?.pid ?? '?'}, which does not accept commands`);
    }
    await sleep(200);
  }
}
