import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedTarget } from './webhook-target.ts';

/** What one HTTP attempt came to: a status code, or an error before one arrived. */
export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** Sends one webhook POST; injectable so tests can count or fail attempts without a network. */
export type WebhookPoster = (target: CheckedTarget, headers: Record<string, string>, body: string, timeoutMs: number) => Promise<AttemptOutcome>;

/** Read at most this much of a receiver's answer (it is not kept; reading lets the connection finish). */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs the body to the checked target. The connection goes to the address that was checked (a
 * lookup that answers only with it), while the Host header and TLS name stay the URL's host, so
 * certificates are verified as usual. Redirects are not followed (a 3xx is a failed attempt), and the
 * whole attempt — connect, send, answer — is bounded by `timeoutMs`.
 */
export const postWebhook: WebhookPoster = (target, headers, body, timeoutMs) =>
  new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    const finish = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ statusCode, error, durationMs: Math.round(performance.now() - started) });
    };
    const pinned: LookupFunction = (_host, options, callback) => {
      if (options.all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    const client = target.url.protocol === 'https:' ? https : http;
    const req = client.request(target.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      lookup: pinned,
      agent: false,
    });
    const timer = setTimeout(() => {
      finish(null, `timed out after ${timeoutMs} ms`);
      req.destroy();
    }, timeoutMs);
    req.on('error', (error) => finish(null, error.message || String(error)));
    req.on('response', (res) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) {
          finish(res.statusCode ?? null, null);
          res.destroy();
        }
      });
      res.on('end', () => finish(res.statusCode ?? null, null));
      // The status line is what counts; a connection cut while the rest of the answer streams changes nothing.
      res.on('error', () => finish(res.statusCode ?? null, null));
    });
    req.end(body);
  });
