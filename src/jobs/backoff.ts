/** The most attempts a job gets before it is marked dead and left for a person to look at. */
export const MAX_ATTEMPTS = 12;

/**
 * Exponential backoff with jitter: 2 s, 4 s, 8 s … capped at one hour; null after the last attempt.
 * `random` is injectable so tests are deterministic.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const base = Math.min(3_600_000, 1000 * 2 ** attempts);
  return Math.round(base * (0.75 + 0.5 * random()));
}
