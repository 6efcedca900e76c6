import { DELIVER_JOB, deliverWebhook } from '../app/deliver-webhook.ts';
import { fanOutWebhookEvent } from '../app/fan-out-webhook-event.ts';
import { DEFAULT_NETWORK, type WebhookNetwork } from '../app/webhook-target.ts';
import type { WebhookPoster } from '../app/webhook-sender.ts';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhooks.ts';
import { MAX_ATTEMPTS } from './backoff.ts';
import { outgoingMessageId } from '../domain/email.ts';
import type { Mailer } from './mailer.ts';
import type { DetachedJobHandler, JobHandler } from './worker.ts';

/** The job kinds `fairdesk serve` knows how to run. */
export function jobHandlers(deps: { mailer: Mailer; mailFrom: string; webhooks?: WebhookNetwork; postWebhook?: WebhookPoster }): Record<string, JobHandler | DetachedJobHandler> {
  // Each event (docs/webhooks.md) fans out into one delivery job per endpoint that wants it.
  const events = Object.fromEntries(WEBHOOK_EVENT_TYPES.map((type): [string, JobHandler] => [type, async (job, tx) => void (await fanOutWebhookEvent(tx, job))]));
  return {
    ...events,
    [DELIVER_JOB]: {
      detached: (job, db) => deliverWebhook(db, job, { network: deps.webhooks ?? DEFAULT_NETWORK, maxAttempts: MAX_ATTEMPTS, ...(deps.postWebhook && { post: deps.postWebhook }) }),
    },
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
