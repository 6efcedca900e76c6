import { sql } from 'kysely';
import type { Store } from '../db/store.ts';
import type { Logger } from 'pino';

export interface PeriodicTask {
  /** Stops the timer and waits for a run in progress, so the store can close after it. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `ms` in the server: never two runs at once (a slow run delays the next rather
 * than overlapping it), failures logged and retried at the next tick, and a timer that never keeps
 * the process alive.
 */
export function every(name: string, ms: number, task: () => Promise<unknown>, logger: Logger | false): PeriodicTask {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    running ??= task()
      .catch((error: unknown) => logger && logger.warn({ err: error }, `${name} failed`))
      .finally(() => (running = null));
  }, ms);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** The first key of the two-key advisory locks Fairdesk takes (the second names the task). */
const ADVISORY_LOCK_SPACE = 0x46445348; // 'FDSH'

/**
 * Runs `task` unless another server on the same PostgreSQL database is running the task of that
 * name right now (then returns `skipped`): periodic work is done once per tick, not once per server.
 * A session-level advisory lock on one held connection: a server that dies lets go with its
 * connection. Correctness does not rest on it — each task is safe to run twice at once (unique keys,
 * row locks) — it saves the second server the work. The embedded store is one process: no lock.
 */
export async function onOneServer<T>(store: Pick<Store, 'db' | 'kind'>, name: string, task: () => Promise<T>): Promise<T | 'skipped'> {
  if (store.kind !== 'postgres') return task();
  return store.db.connection().execute(async (held) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${ADVISORY_LOCK_SPACE}, hashtext(${name})) as locked`.execute(held);
    if (!rows[0]?.locked) return 'skipped';
    try {
      return await task();
    } finally {
      await sql`select pg_advisory_unlock(${ADVISORY_LOCK_SPACE}, hashtext(${name}))`.execute(held);
    }
  });
}
