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
      const p = job.payload as { to: string; subject: string; text: string; conversationId?: string };
      await deps.mailer.send({
        messageId: `<${job.id}@fairdesk>`,
        from: deps.mailFrom,
        to: p.to,
        subject: p.subject,
        text: p.text,
        ...(p.conversationId ? { headers: { 'X-Fairdesk-Conversation': p.conversationId } } : {}),
      });
    },
  };
}
