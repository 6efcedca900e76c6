import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { APP_PATHS } from '../../web/src/app-paths.ts';
import { problem, sendProblem } from './problem.ts';

/** Where `npm run build:web` writes the app (web/dist in the checkout). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Vite names built files `name-<hash>.ext`: a changed file has a new name, so they may be kept a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** A built file's name: no directories, no dot files. */
const AssetName = z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}$/, { error: 'not an asset name' });

const notBuilt = problem(503, 'web-not-built', 'Web app not built', 'the web app has not been built: run `npm run build:web`');

/**
 * Serves the built web app: its hashed assets under /assets (cached for a year) and index.html for
 * the app's own paths (APP_PATHS), so a reload or a shared link opens the right page. Nothing else
 * falls back to the app: an unknown path or anything under /api stays a problem+json 404.
 */
export function webAppRoutes(options: { root?: string } = {}): FastifyPluginAsyncZod {
  const root = options.root ?? DEFAULT_WEB_ROOT;
  return async (app) => {
    const page = async (_req: unknown, reply: FastifyReply) => {
      let html: string;
      try {
        html = await readFile(join(root, 'index.html'), 'utf8');
      } catch {
        return sendProblem(reply, notBuilt);
      }
      // index.html names the current assets: always revalidated, never kept stale.
      return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').header('Referrer-Policy', 'no-referrer').send(html);
    };
    for (const [name, path] of Object.entries(APP_PATHS)) {
      const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      app.get(path, {
        schema: {
          tags: ['web'],
          summary: `Web app page: ${name} (HTML)`,
          security: [],
          ...(params.length > 0 ? { params: z.strictObject(Object.fromEntries(params.map((p) => [p, z.string().max(200)]))) } : {}),
        },
        handler: page,
      });
    }

    app.get('/assets/:file', {
      schema: { tags: ['web'], summary: 'A built file of the web app (script, style, image)', security: [], params: z.strictObject({ file: AssetName }) },
      handler: async (req, reply) => {
        const file = join(root, 'assets', req.params.file);
        const info = await stat(file).catch(() => null);
        if (!info?.isFile()) return sendProblem(reply, problem(404, 'not-found', 'Not found', `no asset ${req.params.file}`));
        return reply
          .type(TYPES[extname(file)] ?? 'application/octet-stream')
          .header('Cache-Control', IMMUTABLE)
          .header('Content-Length', info.size)
          .send(createReadStream(file));
      },
    });
  };
}
