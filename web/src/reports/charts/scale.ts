/** Axis arithmetic of the report charts: pure, so it is tested without a browser. */

/** A round axis maximum at or above `value` (1, 2, 2.5 or 5 times a power of ten). */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** Gridlines at round values: fifths of a top of 2.5 or 5 (times a power of ten), else quarters. */
export function tickValues(top: number, integers = false): number[] {
  const leading = Math.round((top / 10 ** Math.floor(Math.log10(top))) * 10) / 10;
  const parts = leading === 2.5 || leading === 5 || (integers && leading === 1) ? 5 : 4;
  return Array.from({ length: parts + 1 }, (_, i) => Math.round(((top * i) / parts) * 1e6) / 1e6);
}
