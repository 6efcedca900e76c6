import { createHmac } from 'node:crypto';
import ipaddr from 'ipaddr.js';

/**
 * Webhooks, the pure part: which events exist, which endpoint wants which, how a delivery is signed
 * (Standard Webhooks), and which target addresses a delivery may reach (no server-side request
 * forgery: loopback, private, link-local … only when an operator allows them).
 */

export { WEBHOOK_EVENT_TYPES, eventMatches, normalizeEventFilter, type WebhookEventType } from './webhook-events.ts';

/** The `webhook-id` of a delivery: one per (event, endpoint), the same on every retry and replay. */
export function webhookMessageId(deliveryId: string): string {
  return `msg_${deliveryId.replaceAll('-', '')}`;
}

/**
 * The `webhook-signature` header as the Standard Webhooks specification prescribes: for each secret,
 * `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed with the base64-decoded secret (after the
 * `whsec_` prefix); several signatures are separated by spaces (during a secret rotation).
 */
export function signWebhook(secrets: readonly string[], id: string, timestampSeconds: number, body: string): string {
  return secrets
    .map((secret) => {
      const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
      return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
    })
    .join(' ');
}

/** The body every delivery carries: `{type, timestamp, data}` (Standard Webhooks' recommended shape). */
export function webhookBody(type: string, at: Date, data: unknown): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

// ---------------------------------------------------------------------------------------------
// Target addresses

/** What kind of address a target resolves to. Only `public` is reachable without the operator's say. */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'uniqueLocal'
  | 'linkLocal'
  | 'carrierGradeNat'
  | 'reserved'
  | 'unspecified'
  | 'multicast'
  | 'broadcast';

/** Never a target, whatever the operator allows: 0.0.0.0 reaches the local host, the rest is not one host. */
const NEVER: ReadonlySet<AddressClass> = new Set(['unspecified', 'multicast', 'broadcast']);

const DESCRIBE: Record<AddressClass, string> = {
  public: 'a public address',
  loopback: 'a loopback address',
  private: 'a private address (RFC 1918)',
  uniqueLocal: 'a unique local address (fc00::/7)',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a shared (carrier-grade NAT) address (100.64.0.0/10)',
  reserved: 'a reserved or special-purpose address',
  unspecified: 'the unspecified address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
};

const IPV4_CLASSES: Record<string, AddressClass> = {
  unicast: 'public',
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'linkLocal',
  carrierGradeNat: 'carrierGradeNat',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
};

const IPV6_CLASSES: Record<string, AddressClass> = {
  unicast: 'public',
  loopback: 'loopback',
  uniqueLocal: 'uniqueLocal',
  linkLocal: 'linkLocal',
  // fec0::/10, deprecated but still routed inside some sites.
  deprecatedSiteLocal: 'private',
  unspecified: 'unspecified',
  multicast: 'multicast',
};

/** Strips the brackets a URL puts around an IPv6 host. */
const unbracket = (host: string) => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

/** Whether a host (as a URL gives it) is an IP address literal. */
export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(unbracket(host)) && (ipaddr.IPv4.isValidFourPartDecimal(unbracket(host)) || unbracket(host).includes(':'));
}

/**
 * Classifies an IP address. Anything ipaddr.js does not call plain unicast is refused unless mapped
 * here; addresses that embed an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, IPv4-translated, NAT64
 * 64:ff9b::/96, 6to4 2002::/16, the old IPv4-compatible ::a.b.c.d) are judged by the IPv4 address,
 * since that is where the packets end up.
 */
export function classifyAddress(address: string): AddressClass {
  const parsed = ipaddr.parse(unbracket(address));
  if (parsed.kind() === 'ipv4') return IPV4_CLASSES[parsed.range()] ?? 'reserved';
  const v6 = parsed as ipaddr.IPv6;
  const range = v6.range();
  const bytes = v6.toByteArray();
  const v4At = (offset: number) => classifyAddress(bytes.slice(offset, offset + 4).join('.'));
  if (range === 'ipv4Mapped' || range === 'rfc6145') return v4At(12);
  if (range === 'rfc6052' && v6.parts[1] === 0xff9b && v6.parts[2] === 0) return v4At(12); // 64:ff9b::/96 (well-known NAT64 prefix)
  if (range === '6to4') return v4At(2);
  // ::a.b.c.d (IPv4-compatible, deprecated); :: and ::1 are classified as themselves by ipaddr.js.
  if (range === 'unicast' && v6.parts.slice(0, 6).every((p) => p === 0)) return 'reserved';
  return IPV6_CLASSES[range] ?? 'reserved';
}

/** What an operator allows beyond public addresses. */
export interface TargetPolicy {
  /** Allow loopback, private, link-local, unique-local, CGNAT and reserved targets (never unspecified, multicast or broadcast). */
  allowPrivate: boolean;
  /** Host names (exact, case-insensitive) and IP addresses or CIDR ranges allowed although not public. */
  allow: readonly string[];
}

export const DEFAULT_TARGET_POLICY: TargetPolicy = { allowPrivate: false, allow: [] };

/** Checks an allow-list entry (for configuration errors at boot): a host name, an IP address or a CIDR range. */
export function invalidAllowEntry(entry: string): string | null {
  if (entry.includes('/')) {
    try {
      ipaddr.parseCIDR(entry);
      return null;
    } catch {
      return `${entry} is not a CIDR range such as 10.20.0.0/16 or fd00::/8`;
    }
  }
  if (ipaddr.isValid(unbracket(entry))) return null;
  return /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i.test(entry) ? null : `${entry} is not a host name, IP address or CIDR range`;
}

function allowListed(host: string, address: string, allow: readonly string[]): boolean {
  const name = unbracket(host).toLowerCase().replace(/\.$/, '');
  const ip = ipaddr.process(unbracket(address));
  for (const entry of allow) {
    if (entry.includes('/')) {
      const [range, bits] = ipaddr.parseCIDR(entry);
      const candidate = range.kind() === ip.kind() ? ip : range.kind() === 'ipv6' ? (ip as ipaddr.IPv4).toIPv4MappedAddress() : null;
      if (candidate && candidate.match(range, bits)) return true;
    } else if (ipaddr.isValid(unbracket(entry))) {
      if (ipaddr.process(unbracket(entry)).toNormalizedString() === ip.toNormalizedString()) return true;
    } else if (entry.toLowerCase().replace(/\.$/, '') === name) return true;
  }
  return false;
}

export type AddressVerdict = { ok: true; class: AddressClass } | { ok: false; class: AddressClass; detail: string };

/** Whether a delivery for `host` may connect to `address` under the operator's policy. */
export function judgeAddress(host: string, address: string, policy: TargetPolicy): AddressVerdict {
  const kind = classifyAddress(address);
  if (kind === 'public') return { ok: true, class: kind };
  const shown = unbracket(address);
  const where = unbracket(host) === shown ? `${shown} is` : `${unbracket(host)} resolves to ${shown},`;
  if (NEVER.has(kind)) return { ok: false, class: kind, detail: `${where} ${DESCRIBE[kind]}, which is never a webhook target` };
  if (policy.allowPrivate || allowListed(host, address, policy.allow)) return { ok: true, class: kind };
  return {
    ok: false,
    class: kind,
    detail: `${where} ${DESCRIBE[kind]}; webhooks go to public addresses unless the operator allows it (FAIRDESK_WEBHOOK_ALLOW or FAIRDESK_WEBHOOK_ALLOW_PRIVATE=1)`,
  };
}

export type UrlVerdict = { ok: true; url: URL; host: string; ipLiteral: boolean } | { ok: false; detail: string };

/** The checks that need no DNS: a well-formed http(s) URL without credentials. */
export function checkWebhookUrl(raw: string): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, detail: 'is not a valid absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, detail: `must be an http or https URL (not ${url.protocol.replace(/:$/, '')})` };
  if (url.username !== '' || url.password !== '') return { ok: false, detail: 'must not carry credentials (user:password@); receivers verify the signature instead' };
  if (url.hostname === '') return { ok: false, detail: 'has no host' };
  return { ok: true, url, host: url.hostname, ipLiteral: isIpLiteral(url.hostname) };
}
