import { describe, expect, it } from 'vitest';
import { advanceClock, type ConversationClock, type IncomingMessage } from '../../src/domain/conversation-clock.ts';

const t0 = new Date('2026-03-01T09:00:00Z');
const t1 = new Date('2026-03-01T09:05:00Z');
const fresh: ConversationClock = { status: 'open', firstReplyAt: null, waitingSince: null, lastCustomerMessageAt: null };
const msg = (role: IncomingMessage['role'], visibility: IncomingMessage['visibility'] = 'public', at = t1): IncomingMessage => ({ role, visibility, at });

const cases: Array<{ name: string; clock: ConversationClock; message: IncomingMessage; expected: ConversationClock }> = [
  {
    name: 'a first customer message starts the wait',
    clock: fresh,
    message: msg('customer'),
    expected: { status: 'open', firstReplyAt: null, waitingSince: t1, lastCustomerMessageAt: t1 },
  },
  {
    name: 'a second customer message keeps the original wait',
    clock: { ...fresh, waitingSince: t0, lastCustomerMessageAt: t0 },
    message: msg('customer'),
    expected: { status: 'open', firstReplyAt: null, waitingSince: t0, lastCustomerMessageAt: t1 },
  },
  {
    name: 'a public agent reply is the first reply and ends the wait',
    clock: { ...fresh, waitingSince: t0, lastCustomerMessageAt: t0 },
    message: msg('agent'),
    expected: { status: 'open', firstReplyAt: t1, waitingSince: null, lastCustomerMessageAt: t0 },
  },
  {
    name: 'a later reply keeps the first reply time',
    clock: { ...fresh, firstReplyAt: t0, waitingSince: t0 },
    message: msg('agent'),
    expected: { status: 'open', firstReplyAt: t0, waitingSince: null, lastCustomerMessageAt: null },
  },
  {
    name: 'an internal note is not a reply',
    clock: { ...fresh, waitingSince: t0, lastCustomerMessageAt: t0 },
    message: msg('agent', 'internal'),
    expected: { ...fresh, waitingSince: t0, lastCustomerMessageAt: t0 },
  },
  {
    name: 'a system message changes nothing',
    clock: { ...fresh, waitingSince: t0 },
    message: msg('system'),
    expected: { ...fresh, waitingSince: t0 },
  },
  {
    name: 'the customer writing again reopens a resolved conversation',
    clock: { ...fresh, status: 'resolved', firstReplyAt: t0 },
    message: msg('customer'),
    expected: { status: 'open', firstReplyAt: t0, waitingSince: t1, lastCustomerMessageAt: t1 },
  },
  {
    name: 'and a pending one',
    clock: { ...fresh, status: 'pending' },
    message: msg('customer'),
    expected: { status: 'open', firstReplyAt: null, waitingSince: t1, lastCustomerMessageAt: t1 },
  },
  {
    name: 'an agent reply does not change the status',
    clock: { ...fresh, status: 'pending' },
    message: msg('agent'),
    expected: { status: 'pending', firstReplyAt: t1, waitingSince: null, lastCustomerMessageAt: null },
  },
];

describe('advanceClock', () => {
  it.each(cases)('$name', ({ clock, message, expected }) => {
    expect(advanceClock(clock, message)).toEqual(expected);
  });
});
