import { describe, expect, it } from 'vitest';
import { assignRoundRobin, routingOrder, type RoutingAgent, type RoutingItem } from '../../../src/domain/charter/routing.ts';

const at = (hhmm: string) => new Date(`2026-01-05T${hhmm}:00Z`);
const item = (id: string, o: Partial<RoutingItem>): RoutingItem => ({
  id,
  minimumDueAt: at('17:00'),
  minimumRiskFraction: 0,
  waitingSince: at('09:00'),
  customerValueMinor: 0,
  ...o,
});

describe('routingOrder', () => {
  it.each([
    {
      name: 'an at-risk low-value conversation beats a high-value one that has waited longer',
      items: [
        item('whale', { waitingSince: at('08:00'), customerValueMinor: 5_000_000, minimumRiskFraction: 0.2 }),
        item('small', { waitingSince: at('10:00'), customerValueMinor: 0, minimumRiskFraction: 0.8, minimumDueAt: at('11:00') }),
      ],
      order: ['small', 'whale'],
    },
    {
      name: 'among at-risk conversations the earliest minimum due time goes first (breached ones included)',
      items: [
        item('risk-late', { minimumRiskFraction: 0.9, minimumDueAt: at('12:00') }),
        item('breached', { minimumRiskFraction: 1.4, minimumDueAt: at('10:00') }),
        item('risk-soon', { minimumRiskFraction: 0.75, minimumDueAt: at('11:00') }),
      ],
      order: ['breached', 'risk-soon', 'risk-late'],
    },
    {
      name: 'the rest by longest waiting, not waiting last',
      items: [item('b', { waitingSince: at('09:30') }), item('idle', { waitingSince: null }), item('a', { waitingSince: at('09:00') })],
      order: ['a', 'b', 'idle'],
    },
    {
      name: 'customer value never breaks a tie: the id does',
      items: [item('y', { customerValueMinor: 9_999_999 }), item('x', { customerValueMinor: 1 })],
      order: ['x', 'y'],
    },
    {
      name: 'no pending minimum target is never at risk',
      items: [item('none', { minimumDueAt: null, minimumRiskFraction: 2, waitingSince: at('10:00') }), item('w', { waitingSince: at('09:00') })],
      order: ['w', 'none'],
    },
  ])('$name', ({ items, order }) => {
    expect(routingOrder(items, 0.75)).toEqual(order);
  });

  it('gives the same order whatever the customer values are', () => {
    const items = Array.from({ length: 20 }, (_, i) =>
      item(`c${i}`, { waitingSince: at(`09:${String(i * 2).padStart(2, '0')}`), minimumRiskFraction: (i % 5) / 4, minimumDueAt: at(`1${i % 7}:00`) }),
    );
    const richest = items.map((x, i) => ({ ...x, customerValueMinor: i * 1_000_000 }));
    const poorest = items.map((x, i) => ({ ...x, customerValueMinor: (20 - i) * 1_000_000 }));
    expect(routingOrder(richest, 0.75)).toEqual(routingOrder(poorest, 0.75));
  });
});

describe('assignRoundRobin', () => {
  const agents: RoutingAgent[] = [
    { id: 'ana', open: 0, cap: 2, available: true },
    { id: 'ben', open: 2, cap: 2, available: true }, // full
    { id: 'cai', open: 0, cap: 3, available: false }, // away
    { id: 'dee', open: 1, cap: 3, available: true },
  ];

  it.each([
    { name: 'round robin skipping full and unavailable agents', ids: ['1', '2', '3'], cursor: 0, expected: [['1', 'ana'], ['2', 'dee'], ['3', 'ana']], next: 1 },
    { name: 'starts at the cursor', ids: ['1'], cursor: 3, expected: [['1', 'dee']], next: 0 },
    { name: 'stops when every agent is at their cap', ids: ['1', '2', '3', '4', '5', '6'], cursor: 0, expected: [['1', 'ana'], ['2', 'dee'], ['3', 'ana'], ['4', 'dee']], next: 0 },
    { name: 'a cursor past the end wraps', ids: ['1'], cursor: 9, expected: [['1', 'dee']], next: 0 },
  ])('$name', ({ ids, cursor, expected, next }) => {
    const r = assignRoundRobin(ids, agents, cursor);
    expect(r.assignments.map((a) => [a.conversationId, a.agentId])).toEqual(expected);
    expect(r.cursor).toBe(next);
  });

  it('assigns nothing without agents', () => {
    expect(assignRoundRobin(['1'], [], 5)).toEqual({ assignments: [], cursor: 0 });
  });
});
