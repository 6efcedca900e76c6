import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cancelLoggedOut, reverseCancellation } from '../../app/cancel-logged-out.ts';
import { LoggedOutCancellationCreate } from '../../contracts/subscriptions.ts';
import { errorResponses } from './shared.ts';

const Slug = z.strictObject({ slug: z.string().max(60) });

/** The one answer of the logged-out route, whether or not the details matched. */
export const LOGGED_OUT_ANSWER = 'If the details match a subscription, it is cancelled and a confirmation has been sent to the e-mail address we have on file.';

/**
 * Cancelling without signing in, and undoing it from the confirmation e-mail. No credentials: the
 * e-mail on file is the proof (the confirmation goes there, with a single-use reversal link).
 */
export function publicCancellationRoutes(options: { publicUrl?: string | undefined; onOutbox?: () => void }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/public/:slug/cancellations', {
      // Like the portal's sign-in links: a few tries per address and client, so the route cannot be used to probe pairs.
      config: { rateLimit: { hook: 'preHandler', max: 5, timeWindow: '15 minutes', keyGenerator: (req) => `${req.ip}|${String((req.body as { email?: unknown } | undefined)?.email ?? '').toLowerCase()}` } },
      schema: {
        tags: ['cancellations'],
        summary: 'Cancel a subscription without signing in (e-mail + subscription reference)',
        description:
          'When the e-mail is the subscription holder’s, the cancellation is recorded and confirmed at once (channel logged_out, nothing shown) and the confirmation, ' +
          'with a single-use link to undo it, goes to the e-mail on file. The answer is the same 202 whether or not the details matched.',
        security: [],
        params: Slug,
        body: LoggedOutCancellationCreate,
        response: { 202: z.object({ message: z.string() }), 400: errorResponses[400] },
      },
      handler: async (req, reply) => {
        const baseUrl = options.publicUrl ?? `${req.protocol}://${req.headers.host ?? 'localhost'}`;
        await cancelLoggedOut(app.store.db, { slug: req.params.slug, ...req.body, baseUrl }, options.onOutbox);
        reply.code(202);
        return { message: LOGGED_OUT_ANSWER };
      },
    });

    app.post('/public/:slug/cancellations/reverse', {
      config: { rateLimit: { max: 20, timeWindow: '15 minutes' } },
      schema: {
        tags: ['cancellations'],
        summary: 'Undo a logged-out cancellation with the single-use token from its confirmation e-mail',
        description: 'Works once, until the cancellation’s effective date (at least 7 days). The subscription renews again at the end of the period already paid for.',
        security: [],
        params: Slug,
        body: z.strictObject({ token: z.string().min(10).max(200) }),
        response: { 200: z.object({ status: z.literal('reversed'), reference: z.string(), subscriptionReference: z.string() }), 404: errorResponses[404], 400: errorResponses[400], 409: errorResponses[409] },
      },
      handler: async (req) => {
        const reversed = await reverseCancellation(app.store.db, { slug: req.params.slug, token: req.body.token });
        return { status: 'reversed' as const, ...reversed };
      },
    });
  };
}
