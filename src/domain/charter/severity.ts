/**
 * A conversation's severity, set by what the customer needs — channel, tags/topics, outage — and
 * never by who the customer is. Severities are listed most urgent first; the first whose `when`
 * matches wins, else the charter's default.
 */
import type { Channel, Charter, SeverityWhen } from './schema.ts';

/** What a conversation needs, as far as severity is concerned. */
export interface NeedFacts {
  channel: Channel;
  tags: readonly string[];
  outage?: boolean;
}

/** Whether every condition given in `when` holds (a list matches any of its items; tags ignore case). */
export function whenMatches(when: SeverityWhen, need: NeedFacts): boolean {
  if (when.channels && !when.channels.includes(need.channel)) return false;
  if (when.tags) {
    const tags = new Set(need.tags.map((t) => t.toLowerCase()));
    if (!when.tags.some((t) => tags.has(t.toLowerCase()))) return false;
  }
  if (when.outage !== undefined && when.outage !== (need.outage ?? false)) return false;
  return true;
}

/**
 * The severity id for a conversation.
 * @example severityFor(charter, { channel: 'phone', tags: [], outage: true }) // 'outage'
 */
export function severityFor(charter: Charter, need: NeedFacts): string {
  for (const s of charter.severities) {
    if (s.when && whenMatches(s.when, need)) return s.id;
  }
  return charter.defaultSeverity;
}
