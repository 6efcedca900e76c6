import { outgoingMessageId } from '../domain/email.ts';
import type { Mailer } from './mailer.ts';
import type { JobHandler } from './worker.ts';

/** The job kinds `fairdesk serve` knows how to run. */
export function jobHandlers(deps: { mailer: Mailer; mailFrom: string }): Record<string, JobHandler> {
  return {
    // An SLA breach event (today: cancel requests not acted on by the end of the business day). It is
    // kept in the outbox as the record a webhook delivery will read; until webhooks exist, there is
    // nothing further to do with it, so it completes at once.
    'sla.breached': async () => {},
    // An offer was presented, refused by a gate, accepted or declined: likewise kept for webhooks.
    'offer.decided': async () => {},
    // A consent was recorded ({customerId, purpose, status, consentId}): kept for webhooks, like sla.breached.
    'consent.changed': async () => {},
    'email.send': async (job) => {
      const p = job.payload as {
        to: string;
        subject: string;
        text: string;
        conversationId?: string;
        /** Threading of an agent's reply (src/app/post-message.ts): the customer's last mail, the thread's chain, our inbound address. */
        inReplyTo?: string;
        references?: string[];
        replyTo?: string | null;
      };
      await deps.mailer.send({
        messageId: outgoingMessageId(job.id),
        from: deps.mailFrom,
        to: p.to,
        subject: p.subject,
        text: p.text,
        ...(p.conversationId ? { headers: { 'X-Fairdesk-Conversation': p.conversationId } } : {}),
        ...(p.inReplyTo ? { inReplyTo: p.inReplyTo } : {}),
        ...(p.references?.length ? { references: p.references } : {}),
        ...(p.replyTo ? { replyTo: p.replyTo } : {}),
      });
    },
  };
}
