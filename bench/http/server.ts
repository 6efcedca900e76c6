/**
 * The real server for the HTTP benchmarks: `fairdesk serve` (bin/fairdesk.js) in a child process,
 * listening on 127.0.0.1 with a port of its own, and its RSS read from /proc while load runs.
 * Also the bench's own databases: the embedded store in a temporary folder, or a PostgreSQL
 * database created (and dropped) through DATABASE_URL_BENCH.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const BIN = fileURLToPath(new URL('../../bin/fairdesk.js', import.meta.url));

export interface BenchStore {
  kind: 'pglite' | 'postgres';
  /** The data folder (the PGlite store, or only the lock, mail and audit key on PostgreSQL). */
  dataDir: string;
  /** The bench's own database on PostgreSQL. */
  databaseUrl?: string;
  /** Drops the database and removes the folder. */
  dispose(): Promise<void>;
}

/** A fresh store: a temporary folder, plus a database `fairdesk_bench_http_<random>` with a URL. */
export async function benchStore(adminUrl?: string, prefix = 'fairdesk_bench_http'): Promise<BenchStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fairdesk-bench-http-'));
  if (!adminUrl) return { kind: 'pglite', dataDir, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    dataDir,
    databaseUrl: url.toString(),
    dispose: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** Resident set size of the server process now, in MB (10^6 bytes). */
  rssMb(): number;
  /** The last lines the server wrote (stdout and stderr), for diagnosing a failed run. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `fairdesk serve --port 0` on the store and resolves when it prints where it listens.
 * Rate limits are lifted (the load comes from one token), request logs are off (LOG_LEVEL=warn),
 * and webhooks may target 127.0.0.1 (the bench's own receiver).
 */
export async function startServer(store: BenchStore, extraEnv: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'warn',
    FAIRDESK_RATE_LIMIT: '1000000000',
    FAIRDESK_WEBHOOK_ALLOW: '127.0.0.1',
    DATABASE_URL: store.databaseUrl ?? '',
    ...extraEnv,
  };
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', store.dataDir], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const keep = (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  };
  child.stderr!.on('data', keep);
  child.stdout!.on('data', keep);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`fairdesk serve did not start in 60 s: ${stderr}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fairdesk serve exited with ${code}: ${stderr}`));
    });
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    output: () => stderr,
    rssMb() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return Math.round((kb * 1024) / 1e6);
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Samples a process's RSS every 250 ms until stopped; returns the peak and the last sample. */
export function sampleRss(read: () => number): { stop(): { peakMb: number; lastMb: number } } {
  let peak = read();
  let last = peak;
  const timer = setInterval(() => {
    try {
      last = read();
      peak = Math.max(peak, last);
    } catch {
      // the process is gone; keep what was seen
    }
  }, 250);
  return {
    stop() {
      clearInterval(timer);
      try {
        last = read();
        peak = Math.max(peak, last);
      } catch {
        /* gone */
      }
      return { peakMb: peak, lastMb: last };
    },
  };
}
