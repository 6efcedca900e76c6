import { lookup as dnsLookup } from 'node:dns/promises';
import { checkWebhookUrl, DEFAULT_TARGET_POLICY, judgeAddress, type TargetPolicy } from '../domain/webhooks.ts';

/** Resolves a host name to every address it has (like dns.lookup with `all`). */
export type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;

/** Where webhooks may go and how the network is reached: the operator's policy, and (for tests) the resolver. */
export interface WebhookNetwork {
  policy: TargetPolicy;
  resolve?: Resolver;
  /** Whole HTTP attempt, connect to last byte (default 10 s). */
  timeoutMs?: number;
  /** DNS resolution (default 5 s). */
  dnsTimeoutMs?: number;
}

export const DEFAULT_NETWORK: WebhookNetwork = { policy: DEFAULT_TARGET_POLICY };

/** A target that passed every check: connect to `address`, never to whatever the name resolves to later. */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** A target the checks refuse; `detail` says why, for the `/url` field of a problem or the delivery log. */
export class TargetRefused extends Error {}

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TargetRefused(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Checks a webhook URL and resolves its host: http(s) only, no credentials, and EVERY address the name
 * resolves to must be allowed (one private answer among public ones is refused, so a round-robin name
 * cannot smuggle one in). Returns the first address, which the delivery then connects to directly, so
 * a name that changes its answer between this check and the connection (DNS rebinding) gains nothing.
 */
export async function checkTarget(raw: string, network: WebhookNetwork = DEFAULT_NETWORK): Promise<CheckedTarget> {
  const verdict = checkWebhookUrl(raw);
  if (!verdict.ok) throw new TargetRefused(verdict.detail);
  const host = verdict.ipLiteral ? verdict.host.replace(/^\[|\]$/g, '') : verdict.host;
  let answers: Array<{ address: string; family: number }>;
  if (verdict.ipLiteral) answers = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  else {
    try {
      answers = await withTimeout((network.resolve ?? systemResolver)(host), network.dnsTimeoutMs ?? 5000, `resolving ${host}`);
    } catch (error) {
      if (error instanceof TargetRefused) throw error;
      const code = (error as { code?: string }).code;
      throw new TargetRefused(`${host} does not resolve${code ? ` (${code})` : ''}`);
    }
    if (answers.length === 0) throw new TargetRefused(`${host} does not resolve`);
  }
  for (const answer of answers) {
    const judged = judgeAddress(verdict.host, answer.address, network.policy);
    if (!judged.ok) throw new TargetRefused(judged.detail);
  }
  const first = answers[0]!;
  return { url: verdict.url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
