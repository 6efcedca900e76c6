import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readAttachment } from '../../app/read-attachment.ts';
import { IdParams } from '../../contracts/common.ts';
import { attachmentDisposition, servedContentType } from '../../domain/email.ts';
import { errorResponses } from './shared.ts';

export const attachmentRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/attachments/:id', {
    // Whoever may read a conversation may read the files that came with it.
    config: { permission: 'conversations:read' },
    schema: {
      tags: ['conversations'],
      summary: 'Download a file that came with a message',
      description:
        'Always a download (Content-Disposition: attachment), never rendered inline: HTML, SVG, XML and other active or unknown types are ' +
        'served as application/octet-stream, and the answer carries a sandboxing Content-Security-Policy. `ETag` is the SHA-256 of the bytes.',
      params: IdParams,
      response: { ...errorResponses },
    },
    handler: async (req, reply) => {
      const file = await readAttachment(req.scope, req.params.id);
      return reply
        .type(servedContentType(file.contentType))
        .header('content-disposition', attachmentDisposition(file.filename))
        .header('content-security-policy', "sandbox; default-src 'none'")
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('etag', `"${file.sha256}"`)
        // Bytes bypass the JSON response schema; the typed reply only knows the problem shapes.
        .send(file.content as never);
    },
  });
};
