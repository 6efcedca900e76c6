import { afterEach, describe, expect, it, vi } from 'vitest';
import { every } from '../../src/jobs/periodic.ts';

afterEach(() => vi.useRealTimers());

describe('every', () => {
  it('never overlaps runs, survives a failure, and stop() waits for the run in progress', async () => {
    vi.useFakeTimers();
    let started = 0;
    let finish: (() => void) | null = null;
    const task = every('test task', 1000, () => {
      started++;
      if (started === 1) return Promise.reject(new Error('boom'));
      return new Promise<void>((r) => (finish = r));
    }, false);
    await vi.advanceTimersByTimeAsync(1000); // run 1 fails
    await vi.advanceTimersByTimeAsync(1000); // run 2 starts and hangs
    await vi.advanceTimersByTimeAsync(3000); // ticks while run 2 is going start nothing
    expect(started).toBe(2);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish!();
    await stopping;
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(started).toBe(2);
  });
});
