/**
 * Rules across fields that a shape schema cannot state. Each problem names the path of the value
 * to fix, so `parseCharter` can point at its line and column.
 */
import { formatBusinessMinutes, parseDurationMinutes } from './duration.ts';
import { parseInterval } from './business-hours.ts';
import { WEEKDAYS, type Charter } from './schema.ts';
import { allPairs, businessDayMinutes, effectiveTargets, minimumRules, mostSpecific } from './targets.ts';

export type CharterPath = Array<string | number>;
export interface CharterProblem {
  path: CharterPath;
  message: string;
}

const pairName = (channel: string, severity: string) => `${channel} × ${severity}`;

/** Every cross-field problem of a charter that passed the schema; empty when it is consistent. */
export function crossFieldProblems(charter: Charter): CharterProblem[] {
  const problems: CharterProblem[] = [];
  const add = (path: CharterPath, message: string) => problems.push({ path, message });
  const day = businessDayMinutes(charter);
  const words = (m: number) => formatBusinessMinutes(m, day);

  // Business hours: some open time, no overlapping intervals.
  const weekly = charter.businessHours.weekly;
  if (WEEKDAYS.every((d) => (weekly[d] ?? []).length === 0)) {
    add(['businessHours', 'weekly'], 'the calendar has no open hours at all; give at least one interval (e.g. mon: ["09:00-17:00"])');
  }
  for (const d of WEEKDAYS) {
    const ivs = (weekly[d] ?? []).map((t, i) => ({ i, iv: parseInterval(t) })).sort((a, b) => a.iv[0] - b.iv[0]);
    for (let k = 1; k < ivs.length; k++) {
      const prev = ivs[k - 1]!;
      const cur = ivs[k]!;
      if (cur.iv[0] < prev.iv[1]) add(['businessHours', 'weekly', d, cur.i], `overlaps ${weekly[d]![prev.i]} on the same day`);
    }
  }
  const holidayDates = new Map<string, number>();
  charter.businessHours.holidays.forEach((h, i) => {
    if (holidayDates.has(h.date)) add(['businessHours', 'holidays', i, 'date'], `${h.date} is listed twice`);
    holidayDates.set(h.date, i);
  });

  // Severities.
  const severityIds = new Set<string>();
  charter.severities.forEach((s, i) => {
    if (severityIds.has(s.id)) add(['severities', i, 'id'], `severity "${s.id}" is defined twice`);
    severityIds.add(s.id);
  });
  const known = [...severityIds].map((s) => `"${s}"`).join(', ');
  if (!severityIds.has(charter.defaultSeverity)) {
    add(['defaultSeverity'], `"${charter.defaultSeverity}" is not one of the severities (${known})`);
  }

  // Minimum targets: known severities, no duplicates, first response not after resolution, full coverage.
  const seen = new Set<string>();
  charter.minimum.targets.forEach((t, i) => {
    if (t.severity !== '*' && !severityIds.has(t.severity)) add(['minimum', 'targets', i, 'severity'], `unknown severity "${t.severity}" (known: ${known})`);
    const key = `${t.channel}\u0000${t.severity}`;
    if (seen.has(key)) add(['minimum', 'targets', i], `a second rule for ${pairName(t.channel, t.severity)}; each channel and severity may have one rule`);
    seen.add(key);
    if (parseDurationMinutes(t.firstResponse, day) > parseDurationMinutes(t.resolution, day)) {
      add(['minimum', 'targets', i, 'firstResponse'], `first response (${t.firstResponse}) is later than resolution (${t.resolution})`);
    }
  });
  const min = minimumRules(charter);
  const missing = allPairs(charter).filter((p) => !mostSpecific(min, p.channel, p.severity));
  if (missing.length > 0 && severityIds.size > 0) {
    add(
      ['minimum', 'targets'],
      `no minimum target for ${missing.map((p) => pairName(p.channel, p.severity)).join(', ')}; add rules or a "*" fallback (channel: "*", severity: "*")`,
    );
  }

  // Tiers: unique ids, known severities, only shorter than the minimum, never less than a lower tier.
  const tierIds = new Set<string>();
  charter.tiers.forEach((tier, ti) => {
    if (tierIds.has(tier.id)) add(['tiers', ti, 'id'], `tier "${tier.id}" is defined twice`);
    tierIds.add(tier.id);
    const rules = tier.entitlements.targets;
    rules.forEach((r, ri) => {
      if (r.severity !== '*' && !severityIds.has(r.severity)) add(['tiers', ti, 'entitlements', 'targets', ri, 'severity'], `unknown severity "${r.severity}" (known: ${known})`);
    });
    // A tier rule caps the targets it matches; one that is longer than the minimum everywhere it
    // applies caps nothing and reads as if it lengthened the minimum, so it is refused.
    rules.forEach((r, ri) => {
      for (const field of ['firstResponse', 'resolution'] as const) {
        const text = r[field];
        if (text === undefined) continue;
        const value = parseDurationMinutes(text, day);
        const minField = field === 'firstResponse' ? 'firstResponseMinutes' : 'resolutionMinutes';
        const applies = allPairs(charter)
          .map((p) => ({ ...p, base: mostSpecific(min, p.channel, p.severity) }))
          .filter((p) => p.base && (r.channel === '*' || r.channel === p.channel) && (r.severity === '*' || r.severity === p.severity));
        if (applies.length > 0 && applies.every((p) => value > p.base![minField])) {
          const shown = applies.slice(0, 3).map((p) => `${pairName(p.channel, p.severity)} (minimum ${words(p.base![minField])})`);
          const more = applies.length > 3 ? ` and ${applies.length - 3} more` : '';
          add(
            ['tiers', ti, 'entitlements', 'targets', ri, field],
            `${tier.name}'s ${field === 'firstResponse' ? 'first response' : 'resolution'} ${text} is longer than the minimum for ${shown.join(', ')}${more}; a tier may only shorten targets`,
          );
        }
      }
    });
    if (ti > 0) {
      const lower = charter.tiers[ti - 1]!;
      const mine = effectiveTargets(charter, tier);
      const theirs = effectiveTargets(charter, lower);
      const worse = mine.filter((t, k) => {
        const o = theirs[k]!;
        return t.firstResponseMinutes > o.firstResponseMinutes || t.resolutionMinutes > o.resolutionMinutes;
      });
      if (worse.length > 0) {
        add(
          ['tiers', ti, 'entitlements', 'targets'],
          `${tier.name} is listed above ${lower.name} but has longer targets for ${worse.map((t) => pairName(t.channel, t.severity)).join(', ')}; tiers are lowest first and a customer gets only the highest one they qualify for`,
        );
      }
      if (lower.entitlements.callback && !tier.entitlements.callback) {
        add(['tiers', ti, 'entitlements'], `${tier.name} is listed above ${lower.name} but drops its callback; a customer gets only the highest tier they qualify for`);
      }
    }
  });
  return problems;
}
