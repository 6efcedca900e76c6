/**
 * Fair routing within a team: the order to serve waiting conversations, and who takes them.
 *
 * Order: first every conversation at risk of breaking the MINIMUM commitment (risk fraction ≥ the
 * charter's `atRisk`, including those already past it), earliest minimum due time first; then the
 * rest, longest waiting first. Customer value is never used, not even to break ties: exact ties go
 * to the earlier due time / wait, then to the id, so the order is deterministic.
 */

export interface RoutingItem {
  id: string;
  /** When the conversation's MINIMUM target (not its tier's) falls due; null when nothing is pending. */
  minimumDueAt: Date | null;
  /** Share of the minimum target's business time already used. */
  minimumRiskFraction: number;
  /** When the customer started waiting for us; null when not waiting. */
  waitingSince: Date | null;
  /** Accepted so callers can pass their rows as they are; deliberately ignored. */
  customerValueMinor: number;
}

const time = (d: Date | null) => (d ? d.getTime() : Number.POSITIVE_INFINITY);
const byId = (a: RoutingItem, b: RoutingItem) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Ids in the order to serve them.
 * @example routingOrder(items, 0.75) // an at-risk €0 customer before a long-waiting €50,000 one
 */
export function routingOrder(items: readonly RoutingItem[], atRisk: number): string[] {
  const isAtRisk = (i: RoutingItem) => i.minimumDueAt !== null && i.minimumRiskFraction >= atRisk;
  const risky = items.filter(isAtRisk).sort((a, b) => time(a.minimumDueAt) - time(b.minimumDueAt) || time(a.waitingSince) - time(b.waitingSince) || byId(a, b));
  const rest = items.filter((i) => !isAtRisk(i)).sort((a, b) => time(a.waitingSince) - time(b.waitingSince) || time(a.minimumDueAt) - time(b.minimumDueAt) || byId(a, b));
  return [...risky, ...rest].map((i) => i.id);
}

export interface RoutingAgent {
  id: string;
  /** Conversations the agent has open now. */
  open: number;
  /** Most conversations the agent may have open. */
  cap: number;
  available: boolean;
}

/**
 * Assign conversations in order, round robin over available agents under their cap, starting at
 * `cursor` (an index into `agents`). Conversations left when every agent is full stay unassigned.
 * Returns the next cursor to persist (the agent after the last one assigned).
 */
export function assignRoundRobin(
  orderedIds: readonly string[],
  agents: readonly RoutingAgent[],
  cursor: number,
): { assignments: Array<{ conversationId: string; agentId: string }>; cursor: number } {
  const n = agents.length;
  const assignments: Array<{ conversationId: string; agentId: string }> = [];
  if (n === 0) return { assignments, cursor: 0 };
  const load = agents.map((a) => a.open);
  let next = ((Math.trunc(cursor) % n) + n) % n;
  for (const conversationId of orderedIds) {
    let chosen = -1;
    for (let k = 0; k < n; k++) {
      const i = (next + k) % n;
      const a = agents[i]!;
      if (a.available && load[i]! < a.cap) {
        chosen = i;
        break;
      }
    }
    if (chosen < 0) break;
    load[chosen]! += 1;
    assignments.push({ conversationId, agentId: agents[chosen]!.id });
    next = (chosen + 1) % n;
  }
  return { assignments, cursor: next };
}
