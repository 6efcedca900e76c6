/**
 * Target rules in business minutes, and which rule applies to a conversation.
 * The most specific rule wins: exact channel + severity, then channel + "*", then "*" + severity,
 * then "*" + "*".
 */
import { parseDurationMinutes } from './duration.ts';
import { CHANNELS, type Channel, type Charter, type Tier } from './schema.ts';

/** A target in business minutes for the conversations it matches. */
export interface TargetRule {
  channel: Channel | '*';
  severity: string;
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

interface Matchable {
  channel: string;
  severity: string;
}

/** How specific a rule is (3 = channel and severity, 0 = "*" and "*"); -1 when it does not match. */
export function specificity(rule: Matchable, channel: string, severity: string): number {
  if (rule.channel !== '*' && rule.channel !== channel) return -1;
  if (rule.severity !== '*' && rule.severity !== severity) return -1;
  return (rule.channel === '*' ? 0 : 2) + (rule.severity === '*' ? 0 : 1);
}

/** The most specific rule matching channel × severity (the first written wins a tie), or undefined. */
export function mostSpecific<R extends Matchable>(rules: readonly R[], channel: string, severity: string): R | undefined {
  let best: R | undefined;
  let bestScore = -1;
  for (const r of rules) {
    const s = specificity(r, channel, severity);
    if (s > bestScore) {
      best = r;
      bestScore = s;
    }
  }
  return best;
}

/** What "1bd" is worth in this charter, in business minutes. */
export function businessDayMinutes(charter: Charter): number {
  return parseDurationMinutes(charter.businessHours.businessDayLength, 1);
}

/** The minimum for every customer, as written, in business minutes. */
export function minimumRules(charter: Charter): TargetRule[] {
  const day = businessDayMinutes(charter);
  return charter.minimum.targets.map((t) => ({
    channel: t.channel,
    severity: t.severity,
    firstResponseMinutes: parseDurationMinutes(t.firstResponse, day),
    resolutionMinutes: parseDurationMinutes(t.resolution, day),
  }));
}

/** Every channel × severity pair of the charter, channels in CHANNELS order, severities as written. */
export function allPairs(charter: Charter): Array<{ channel: Channel; severity: string }> {
  return CHANNELS.flatMap((channel) => charter.severities.map((s) => ({ channel, severity: s.id })));
}

/**
 * The full target table for a customer: one exact rule per channel × severity, each the minimum
 * tightened by the tier. Every tier rule is a ceiling on the conversations it matches, so the
 * customer gets the shortest of the minimum and all matching tier rules; a tier never lengthens a
 * target (and `validate.ts` rejects a tier rule that is longer than the minimum wherever it applies).
 */
export function effectiveTargets(charter: Charter, tier: Tier | null): TargetRule[] {
  const min = minimumRules(charter);
  const day = businessDayMinutes(charter);
  const tierRules = tier?.entitlements.targets ?? [];
  const out: TargetRule[] = [];
  for (const { channel, severity } of allPairs(charter)) {
    const base = mostSpecific(min, channel, severity);
    if (!base) continue; // the validator guarantees coverage; stay total anyway
    let firstResponseMinutes = base.firstResponseMinutes;
    let resolutionMinutes = base.resolutionMinutes;
    for (const r of tierRules) {
      if (specificity(r, channel, severity) < 0) continue;
      if (r.firstResponse !== undefined) firstResponseMinutes = Math.min(firstResponseMinutes, parseDurationMinutes(r.firstResponse, day));
      if (r.resolution !== undefined) resolutionMinutes = Math.min(resolutionMinutes, parseDurationMinutes(r.resolution, day));
    }
    out.push({ channel, severity, firstResponseMinutes, resolutionMinutes });
  }
  return out;
}
