import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, retryDelayMs } from '../../src/jobs/backoff.ts';

describe('retryDelayMs', () => {
  it.each([
    [1, 2000],
    [2, 4000],
    [5, 32000],
    [11, 2_048_000],
  ])('after attempt %i waits about %i ms', (attempts, base) => {
    expect(retryDelayMs(attempts, () => 0.5)).toBe(base);
    expect(retryDelayMs(attempts, () => 0)).toBe(base * 0.75);
    expect(retryDelayMs(attempts, () => 1)).toBe(base * 1.25);
  });

  it('gives up after the last attempt', () => {
    expect(retryDelayMs(MAX_ATTEMPTS)).toBeNull();
  });
});
