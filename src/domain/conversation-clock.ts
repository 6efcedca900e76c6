/** The times a helpdesk keeps per conversation, stored rather than derived later. */
export interface ConversationClock {
  status: 'open' | 'pending' | 'resolved' | 'closed';
  firstReplyAt: Date | null;
  waitingSince: Date | null;
  lastCustomerMessageAt: Date | null;
}

export interface IncomingMessage {
  role: 'customer' | 'agent' | 'system';
  visibility: 'public' | 'internal';
  at: Date;
}

/**
 * How a new message moves a conversation's clock and status:
 * - a customer message starts the wait (if not already waiting), records the contact, and reopens
 *   a pending or resolved conversation — the customer is waiting again;
 * - an agent's public reply is the first reply (once) and ends the wait;
 * - internal notes and system messages change nothing the customer would notice.
 * Closed conversations take no customer messages; the caller refuses those before this runs.
 */
export function advanceClock(clock: ConversationClock, message: IncomingMessage): ConversationClock {
  if (message.role === 'customer') {
    return {
      status: clock.status === 'pending' || clock.status === 'resolved' ? 'open' : clock.status,
      firstReplyAt: clock.firstReplyAt,
      waitingSince: clock.waitingSince ?? message.at,
      lastCustomerMessageAt: message.at,
    };
  }
  if (message.role === 'agent' && message.visibility === 'public') {
    return {
      ...clock,
      firstReplyAt: clock.firstReplyAt ?? message.at,
      waitingSince: null,
    };
  }
  return clock;
}
