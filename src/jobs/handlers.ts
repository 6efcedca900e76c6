import type { Mailer } from './mailer.ts';
import type { JobHandler } from './worker.ts';

/** The job kinds `fairdesk serve` knows how to run. */
export function jobHandlers(deps: { mailer: Mailer; mailFrom: string }): Record<string, JobHandler> {
  return {
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
