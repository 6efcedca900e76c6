import { createHash } from 'node:crypto';
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Store } from '../db/store.ts';
import { AppError } from '../app/errors.ts';
import { isAdminOp, runAdminOp } from './admin-ops.ts';

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

async function handle(store: Store, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const answer = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const name = decodeURIComponent((req.url ?? '').replace(/^\/ops\//, ''));
  if (req.method !== 'POST' || !isAdminOp(name)) return answer(404, { error: `unknown operation ${name}` });
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const args: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    answer(200, { result: await runAdminOp(store, name, args) });
  } catch (error) {
    const status = error instanceof AppError ? error.status : 500;
    answer(status, { error: error instanceof Error ? error.message : String(error) });
  }
}

/** Sends one operation to a running server's admin socket. */
export async function callAdminServer(path: string, name: string, args: unknown): Promise<unknown> {
  const body = JSON.stringify(args);
  return new Promise((resolvePromise, reject) => {
    const req = http.request(
      { socketPath: path, path: `/ops/${encodeURIComponent(name)}`, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { result?: unknown; error?: string };
            if (res.statusCode === 200) resolvePromise(parsed.result);
            else reject(new Error(parsed.error ?? `the server answered ${res.statusCode}`));
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
