/**
 * Durations in the charter are business time: "30m" (business minutes), "4h" (business hours),
 * "2bd" (business days), or combinations written largest first, e.g. "1h30m" or "1bd4h".
 * A business day is a fixed amount of business time, `businessHours.businessDayLength`
 * (default "8h"), so every duration is a plain count of business minutes and one arithmetic
 * (`addBusinessMinutes`) serves all targets.
 */

/** Matches a duration's syntax; `parseDurationMinutes` gives its value. */
export const DURATION_PATTERN = /^(?=\d)(?:(\d+)bd)?(?:(\d+)h)?(?:(\d+)m)?$/;

/**
 * Business minutes in a duration. `businessDayMinutes` is what "1bd" is worth.
 * Throws on text that does not match {@link DURATION_PATTERN} (the schema rejects it first).
 * @example parseDurationMinutes('1h30m', 480) // 90
 */
export function parseDurationMinutes(text: string, businessDayMinutes: number): number {
  const m = DURATION_PATTERN.exec(text);
  if (!m) throw new Error(`not a duration: ${JSON.stringify(text)}`);
  const [, bd, h, min] = m;
  return Number(bd ?? 0) * businessDayMinutes + Number(h ?? 0) * 60 + Number(min ?? 0);
}

/**
 * A count of business minutes in words for customers and agents, using business days when the
 * amount is a whole number of them: 30 → "30 business minutes", 90 → "1 business hour 30 minutes",
 * 960 with 8-hour days → "2 business days".
 */
export function formatBusinessMinutes(minutes: number, businessDayMinutes: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (minutes > 0 && businessDayMinutes > 0 && minutes % businessDayMinutes === 0 && minutes >= businessDayMinutes) {
    return plural(minutes / businessDayMinutes, 'business day');
  }
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - h * 60);
  if (h === 0) return plural(m, 'business minute');
  if (m === 0) return plural(h, 'business hour');
  return `${plural(h, 'business hour')} ${plural(m, 'minute')}`;
}
