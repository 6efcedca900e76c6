/**
 * Two `fairdesk serve` processes on one PostgreSQL database, requests spread across both: every outbox
 * job runs once, Idempotency-Key holds across processes, and `kill -9` of one loses nothing it
 * acknowledged (its leased jobs go to the other once the lease runs out). PostgreSQL only: the
 * embedded store is one process by design (its data folder is locked, docs/scaling.md).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli, startServe, type CliEnv, type ServeProcess } from '../support/cli.ts';
import { freshStoreLocation, onPostgres, type TestStoreLocation } from '../support/store.ts';

vi.setConfig({ testTimeout: 120_000 });

/** Short, so a killed server's jobs come back within the test (the default is 60 s). */
const LEASE_MS = 3000;

/** A webhook receiver on loopback that counts, per endpoint path and `webhook-id`, what it received and acknowledged. */
class Receiver {
  server: Server;
  received = new Map<string, number>();
  acked = new Map<string, { type: string; conversationId: string; count: number }>();
  /** While true, requests get no answer (a slow receiver): the sending worker keeps its lease. */
  holding = false;
  held: Array<{ key: string; body: string; res: ServerResponse; aborted: boolean }> = [];

  constructor() {
    this.server = createServer((req, res) => this.take(req, res));
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  private take(req: IncomingMessage, res: ServerResponse): void {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const key = `${req.url} ${String(req.headers['webhook-id'])}`;
      this.received.set(key, (this.received.get(key) ?? 0) + 1);
      if (!this.holding) return this.ack(key, body, res);
      const entry = { key, body, res, aborted: false };
      // The sender's socket closing before we answered: its process is gone.
      res.on('close', () => (entry.aborted = !res.writableEnded));
      this.held.push(entry);
    });
  }

  private ack(key: string, body: string, res: ServerResponse): void {
    const { type, data } = JSON.parse(body) as { type: string; data: { conversationId: string } };
    const seen = this.acked.get(key);
    this.acked.set(key, { type, conversationId: data.conversationId, count: (seen?.count ?? 0) + 1 });
    res.writeHead(204).end();
  }

  /** Answers every held request whose sender is still there, and stops holding. */
  release(): void {
    this.holding = false;
    for (const h of this.held) if (!h.aborted && !h.res.destroyed) this.ack(h.key, h.body, h.res);
  }

  /** The held requests still waiting (their workers are each stuck on one). */
  waiting(): number {
    return this.held.filter((h) => !h.aborted && !h.res.writableEnded).length;
  }
}

const until = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe.skipIf(!onPostgres)('two servers on one PostgreSQL database (skipped without DATABASE_URL: the embedded store is one process)', () => {
  let location: TestStoreLocation;
  let db: pg.Client;
  let servers: ServeProcess[] = [];
  let dataDirs: string[] = [];
  let token: string;
  let receiver: Receiver;
  let customerId: string;
  const endpoints = ['/one', '/two'];

  const api = async (server: ServeProcess, path: string, init: { method?: string; body?: unknown; key?: string } = {}) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.key ? { 'idempotency-key': init.key } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    return { status: res.status, replayed: res.headers.get('idempotent-replayed') === 'true', json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const openConversation = (server: ServeProcess, key: string, subject: string) =>
    api(server, '/conversations', { method: 'POST', key, body: { customerId, channel: 'email', subject, message: { role: 'customer', text: `About ${subject}` } } });

  /** The acknowledged deliveries about these conversations. */
  const ackedFor = (conversationIds: Set<string>) => [...receiver.acked.values()].filter((a) => conversationIds.has(a.conversationId));

  beforeAll(async () => {
    location = await freshStoreLocation();
    db = new pg.Client({ connectionString: location.databaseUrl });
    await db.connect();
    const env: CliEnv = { dataDir: location.dataDir, databaseUrl: location.databaseUrl };
    token = (JSON.parse((await runCli(['tenant', 'create', '--name', 'Two Servers', '--data', location.dataDir, '--json'], env)).stdout) as { token: string }).token;
    // One signing key for both, as docs/scaling.md asks; each server its own data folder (its own mail).
    const auditKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const extra = { FAIRDESK_WEBHOOK_ALLOW_PRIVATE: '1', FAIRDESK_JOB_LEASE_MS: String(LEASE_MS), FAIRDESK_AUDIT_KEY: auditKey };
    dataDirs = [mkdtempSync(join(tmpdir(), 'fairdesk-a-')), mkdtempSync(join(tmpdir(), 'fairdesk-b-'))];
    servers = await Promise.all(dataDirs.map((dataDir) => startServe({ dataDir, databaseUrl: location.databaseUrl }, [], extra)));
    receiver = new Receiver();
    const base = await receiver.listen();
    for (const [i, path] of endpoints.entries()) {
      const res = await api(servers[i]!, '/webhooks', { method: 'POST', body: { url: `${base}${path}`, events: ['conversation.created', 'message.created'] } });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
    }
    const customer = await api(servers[0]!, '/customers', { method: 'POST', body: { name: 'Two Servers Customer', emails: ['twice@example.com'] } });
    customerId = customer.json.id as string;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => (s.child.exitCode === null && s.child.signalCode === null ? s.stop() : undefined)));
    await new Promise((r) => receiver?.server.close(r));
    await db?.end();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    await location?.dispose();
  });

  it('spreads the load: each outbox job runs once, each event reaches each endpoint once, each e-mail goes once', async () => {
    const [a, b] = servers as [ServeProcess, ServeProcess];
    const N = 24;
    const ids: string[] = [];
    // Four at a time: conversation i opened on one server, the agent's e-mailed reply posted on the other.
    for (let start = 0; start < N; start += 4) {
      await Promise.all(
        Array.from({ length: 4 }, async (_, k) => {
          const i = start + k;
          const [first, second] = i % 2 === 0 ? [a, b] : [b, a];
          const opened = await openConversation(first, `load-${i}`, `Load ${i}`);
          expect(opened.status).toBe(201);
          const reply = await api(second, `/conversations/${opened.json.id}/messages`, { method: 'POST', key: `reply-${i}`, body: { role: 'agent', text: `Answer ${i}` } });
          expect(reply.status).toBe(201);
          ids[i] = opened.json.id as string;
        }),
      );
    }
    const mine = new Set(ids);
    // Three events each (opened, the customer's message, the reply) to two endpoints.
    await until('every delivery', () => ackedFor(mine).length === N * 3 * 2);
    await until('the outbox to drain', async () => (await db.query(`select count(*)::int as n from outbox where state <> 'done'`)).rows[0].n === 0);

    const delivered = ackedFor(mine);
    expect(delivered.every((d) => d.count === 1)).toBe(true);
    for (const path of endpoints) {
      const here = [...receiver.acked.entries()].filter(([key, d]) => key.startsWith(`${path} `) && mine.has(d.conversationId)).map(([, d]) => d);
      for (const id of ids) {
        expect(here.filter((d) => d.conversationId === id).map((d) => d.type).sort()).toEqual(['conversation.created', 'message.created', 'message.created']);
      }
    }
    // No webhook was sent twice (received = acknowledged, once), and no job was claimed twice.
    expect([...receiver.received.values()].every((n) => n === 1)).toBe(true);
    const jobs = (await db.query<{ kind: string; attempts: number }>(`select kind, attempts from outbox`)).rows;
    expect(jobs.length).toBeGreaterThanOrEqual(N * 3 * 3 + N); // events, their deliveries, the e-mails
    expect(jobs.filter((j) => j.attempts !== 1)).toEqual([]);
    // The e-mails: one file per reply, across the two servers' mail folders, and both servers sent some.
    const mails = dataDirs.map((dir) => readdirSync(join(dir, 'mail')).filter((f) => f.endsWith('.eml')));
    expect(mails.flat()).toHaveLength(N);
    expect(new Set(mails.flat().map((f) => f.replace(/^[^Z]*Z-/, ''))).size).toBe(N);
    expect(mails.map((m) => m.length > 0)).toEqual([true, true]);
  });

  it('holds Idempotency-Key across processes: retried on the other server, or sent to both at once, one record', async () => {
    const [a, b] = servers as [ServeProcess, ServeProcess];
    // One after the other: the second server replays the first's answer.
    for (let i = 0; i < 4; i++) {
      const [first, second] = i % 2 === 0 ? [a, b] : [b, a];
      const made = await openConversation(first, `idem-seq-${i}`, `Idem seq ${i}`);
      const again = await openConversation(second, `idem-seq-${i}`, `Idem seq ${i}`);
      expect([made.status, again.status, again.replayed]).toEqual([201, 201, true]);
      expect(again.json.id).toBe(made.json.id);
    }
    // At the same moment to both: one makes the record, the other replays it or is told it is in flight (409).
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const both = await Promise.all([a, b].map((s) => openConversation(s, `idem-race-${i}`, `Idem race ${i}`)));
      const made = both.filter((r) => r.status === 201 && !r.replayed);
      expect(made).toHaveLength(1);
      const other = both.find((r) => r !== made[0])!;
      outcomes.push(other.status === 409 ? 'in flight' : 'replayed');
      if (other.status === 409) {
        expect(other.json.type).toMatch(/idempotency-key-in-flight/);
        // The retry a client makes after Retry-After gets the stored answer.
        const retry = await openConversation(other === both[0] ? a : b, `idem-race-${i}`, `Idem race ${i}`);
        expect([retry.status, retry.replayed, retry.json.id]).toEqual([201, true, made[0]!.json.id]);
      } else {
        expect([other.status, other.replayed, other.json.id]).toEqual([201, true, made[0]!.json.id]);
      }
    }
    expect(outcomes).toHaveLength(8);
    const counts = await db.query<{ subject: string; n: number }>(`select subject, count(*)::int as n from conversations where subject like 'Idem %' group by subject`);
    expect(counts.rows).toHaveLength(12);
    expect(counts.rows.every((r) => r.n === 1)).toBe(true);
  });

  it('kill -9 of one server loses nothing it acknowledged; its leased jobs go to the other after the lease', async () => {
    const [a, b] = servers as [ServeProcess, ServeProcess];
    receiver.holding = true;
    receiver.held = [];
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const opened = await openConversation(i % 2 === 0 ? a : b, `kill-${i}`, `Kill ${i}`);
      expect(opened.status).toBe(201);
      ids.push(opened.json.id as string);
    }
    // Each server's worker runs one job at a time: two requests held means each server holds a
    // delivery in flight (and the rest of its claimed batch) under its lease.
    await until('both servers to be mid-delivery', () => receiver.waiting() >= 2, 20_000);

    // Writes to A right up to its death: every one it acknowledged must be there afterwards.
    const acknowledged: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await openConversation(a, `dying-${i}`, `Dying ${i}`);
          if (res.status === 201) acknowledged.push(res.json.id as string);
        } catch {
          return; // the connection died with the server
        }
      }
    })();
    await until('a few writes acknowledged by A', () => acknowledged.length >= 5);
    await a.kill9();
    stop = true;
    await writer;
    await until('the held request of A to be seen closed', () => receiver.held.some((h) => h.aborted), 5000);
    receiver.release();

    const all = new Set([...ids, ...acknowledged]);
    // A's leased jobs come back after LEASE_MS; B runs them. Two events each (opened, the customer's message) to two endpoints.
    await until('every delivery after the kill', () => ackedFor(all).length === all.size * 2 * 2, 45_000);
    await until('the outbox to drain', async () => (await db.query(`select count(*)::int as n from outbox where state <> 'done'`)).rows[0].n === 0, 30_000);

    for (const id of acknowledged) expect((await api(b, `/conversations/${id}`)).status).toBe(200);
    const delivered = ackedFor(all);
    expect(delivered.filter((d) => d.count !== 1)).toEqual([]);
    for (const id of all) {
      for (const path of endpoints) {
        const here = [...receiver.acked.entries()].filter(([key, d]) => key.startsWith(`${path} `) && d.conversationId === id).map(([, d]) => d.type);
        expect(here.sort()).toEqual(['conversation.created', 'message.created']);
      }
    }
    // What A was sending when it died was sent again by B (at-least-once, deduplicated by webhook-id) and acknowledged once.
    const resent = receiver.held.filter((h) => h.aborted).map((h) => h.key);
    expect(resent.length).toBeGreaterThanOrEqual(1);
    for (const key of resent) expect(receiver.acked.get(key)?.count).toBe(1);
    const taken = await db.query<{ n: number }>(`select count(*)::int as n from outbox where attempts > 1`);
    expect(taken.rows[0]!.n).toBeGreaterThanOrEqual(1);
    expect((await db.query(`select count(*)::int as n from webhook_deliveries where status <> 'succeeded'`)).rows[0].n).toBe(0);
  });
});
