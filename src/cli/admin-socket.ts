import { createHash } from 'node:crypto';
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Store } from '../db/store.ts';
import { AppError, type FieldError } from '../app/errors.ts';
import { isAdminOp, runAdminOp, type Progress } from './admin-ops.ts';

/**
 * The admin channel: `fairdesk serve` listens on a Unix socket that only its own user may open
 * (mode 0600), and CLI commands send it operations while the server holds the embedded store.
 * The socket lives in the data folder, or in the temp folder when that path is too long for a
 * socket name; the lock file records where.
 */
export function adminSocketPath(dataDir: string): string {
  const inFolder = join(resolve(dataDir), 'admin.sock');
  if (Buffer.byteLength(inFolder) < 100) return inFolder;
  const hash = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  return join(tmpdir(), `fairdesk-${hash}.sock`);
}

export interface AdminServer {
  path: string;
  close(): Promise<void>;
}

export async function startAdminServer(store: Store, path: string): Promise<AdminServer> {
  // A socket file left by a killed server would make listen fail; the data lock says it is ours now.
  if (existsSync(path)) unlinkSync(path);
  const server = http.createServer((req, res) => {
    void handle(store, req, res);
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolvePromise());
  });
  chmodSync(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}

/**
 * Answers in NDJSON: `{"progress": [done, total]}` lines while a long operation runs, then one
 * `{"result": …}` or `{"error": …}` line, so the CLI can draw progress for work done in the server.
 */
async function handle(store: Store, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const name = decodeURIComponent((req.url ?? '').replace(/^\/ops\//, ''));
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const line = (body: unknown) => res.write(`${JSON.stringify(body)}\n`);
  if (req.method !== 'POST' || !isAdminOp(name)) {
    line({ error: `unknown operation ${name}` });
    return void res.end();
  }
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const args: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    line({ result: await runAdminOp(store, name, args, (done, total) => line({ progress: [done, total] })) });
  } catch (error) {
    const app = error instanceof AppError ? error : null;
    line({ error: error instanceof Error ? error.message : String(error), ...(app ? { status: app.status, kind: app.kind, title: app.title, errors: app.errors } : {}) });
  }
  res.end();
}

/** Sends one operation to a running server's admin socket, passing its progress on. */
export async function callAdminServer(path: string, name: string, args: unknown, progress?: Progress): Promise<unknown> {
  const body = JSON.stringify(args);
  return new Promise((resolvePromise, reject) => {
    const req = http.request(
      { socketPath: path, path: `/ops/${encodeURIComponent(name)}`, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let buffered = '';
        let settled = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          let newline: number;
          while ((newline = buffered.indexOf('\n')) >= 0) {
            const message = JSON.parse(buffered.slice(0, newline)) as {
              progress?: [number, number];
              result?: unknown;
              error?: string;
              status?: number;
              kind?: string;
              title?: string;
              errors?: FieldError[];
            };
            buffered = buffered.slice(newline + 1);
            if (message.progress) progress?.(message.progress[0], message.progress[1]);
            else if (message.error !== undefined) {
              settled = true;
              // Rebuild the server's error so the CLI reports it exactly as it would locally.
              reject(message.status ? new AppError(message.status, message.kind ?? 'error', message.title ?? 'Error', message.error, message.errors ?? []) : new Error(message.error));
            } else {
              settled = true;
              resolvePromise(message.result);
            }
          }
        });
        res.on('end', () => {
          if (!settled) reject(new Error('the server closed the admin connection without an answer'));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
