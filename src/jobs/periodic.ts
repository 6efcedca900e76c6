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
