/**
 * The period of a report, kept in the address (`?from=2026-10-01&to=2026-10-31`, whole days in UTC,
 * both included) so a report can be shared and reloaded, and carried from one report to the next.
 */
export interface DayRange {
  from: string;
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (v: string | null): v is string => !!v && DAY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

/** The days named in the query string (a malformed one is ignored: the API's default applies). */
export function rangeFrom(search: URLSearchParams): DayRange {
  const from = search.get('from');
  const to = search.get('to');
  return { from: isDay(from) ? from : '', to: isDay(to) ? to : '' };
}

/** The API's query: from the start of the first day to the end of the last (the API's `to` is exclusive). */
export function apiQuery(range: DayRange): string {
  const q = new URLSearchParams();
  if (range.from) q.set('from', `${range.from}T00:00:00.000Z`);
  if (range.to) q.set('to', new Date(Date.parse(`${range.to}T00:00:00Z`) + 86_400_000).toISOString());
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The app's query string for a range (empty days left out). */
export function pageQuery(range: DayRange): string {
  const q = new URLSearchParams();
  if (range.from) q.set('from', range.from);
  if (range.to) q.set('to', range.to);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The day of an instant the API answered with, as YYYY-MM-DD (UTC). */
export const dayOf = (iso: string): string => iso.slice(0, 10);

/** The last day a report covers, given the API's exclusive `to`. */
export const lastDayOf = (isoTo: string): string => new Date(Date.parse(isoTo) - 1).toISOString().slice(0, 10);
