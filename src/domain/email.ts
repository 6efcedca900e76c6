/**
 * E-mail rules with no I/O: which tenant a recipient address belongs to, which stored Message-IDs a
 * mail refers to, the References chain and subject of a reply, what is kept of a reply's body, and how
 * an attachment may be served. See docs/email.md.
 */

/** How inbound addresses map to tenants: `<anything>+<slug>@<domain>`, or an explicit address → slug table. */
export interface InboundRouting {
  /** The domain of plus-addresses, e.g. `help.example.com` for `support+acme@help.example.com`. */
  domain?: string | undefined;
  /** Whole addresses (lower-case) mapped to tenant slugs, e.g. `help@acme.com` → `acme`. They win over plus-addresses. */
  addresses?: Readonly<Record<string, string>> | undefined;
}

/**
 * The tenant slug an envelope recipient routes to, or null when it is none of ours.
 *
 * @example tenantSlugFor('Support+Acme@help.example.com', { domain: 'help.example.com' }) // 'acme'
 */
export function tenantSlugFor(recipient: string, routing: InboundRouting): string | null {
  const address = recipient.trim().toLowerCase();
  const mapped = routing.addresses?.[address];
  if (mapped) return mapped;
  if (!routing.domain) return null;
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1) !== routing.domain.toLowerCase()) return null;
  const local = address.slice(0, at);
  const plus = local.indexOf('+');
  if (plus < 1) return null;
  const slug = local.slice(plus + 1);
  return /^[a-z0-9][a-z0-9-]{0,62}$/.test(slug) ? slug : null;
}

/** The address a tenant receives mail at under `routing` (for the Reply-To of our mail and for docs): mapped address first. */
export function inboundAddressFor(slug: string, routing: InboundRouting, localPart = 'support'): string | null {
  const mapped = Object.entries(routing.addresses ?? {}).find(([, s]) => s === slug);
  if (mapped) return mapped[0];
  return routing.domain ? `${localPart}+${slug}@${routing.domain.toLowerCase()}` : null;
}

/** Parses `a@b.c=slug, d@e.f=other` (FAIRDESK_INBOUND_ADDRESSES) into a table; throws naming the bad entry. */
export function parseAddressMap(value: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of value.split(/[,;\s]+/).filter(Boolean)) {
    const m = /^([^\s=@]+@[^\s=@]+)=([a-z0-9][a-z0-9-]{0,62})$/i.exec(entry);
    if (!m) throw new Error(`"${entry}" is not address=tenant-slug`);
    map[m[1]!.toLowerCase()] = m[2]!.toLowerCase();
  }
  return map;
}

/** A Message-ID as stored: trimmed, inside one pair of angle brackets. Null for nothing usable. */
export function normalizeMessageId(raw: string | null | undefined): string | null {
  const inner = (raw ?? '').trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  if (!inner || inner.length > 996 || /[\s<>]/.test(inner)) return null;
  return `<${inner}>`;
}

/**
 * The Message-IDs a mail says it answers, most telling first: In-Reply-To, then References from the
 * newest (last) to the oldest. Duplicates and malformed ids are dropped.
 */
export function referencedIds(inReplyTo: string | string[] | undefined, references: string | string[] | undefined): string[] {
  const all = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(' ') : (v ?? '')).match(/<[^<>\s]+>/g) ?? [];
  const ids = [...all(inReplyTo), ...all(references).reverse()].map(normalizeMessageId).filter((id): id is string => id !== null);
  return [...new Set(ids)];
}

/**
 * The References header of a reply: the thread's Message-IDs oldest first. Past `max`, the first
 * (the thread's root) and the newest `max - 1` are kept, as RFC 5322 §3.6.4 allows trimming.
 */
export function referencesChain(ids: readonly string[], max = 20): string[] {
  const unique = [...new Set(ids)];
  return unique.length <= max ? unique : [unique[0]!, ...unique.slice(unique.length - (max - 1))];
}

/** The Message-ID the email.send outbox job with this id goes out with: stable across retries. */
export function outgoingMessageId(jobId: string): string {
  return `<${jobId}@fairdesk>`;
}

/** `Re: <subject>`, without stacking prefixes. */
export function replySubject(subject: string): string {
  const s = subject.trim();
  return /^re:/i.test(s) ? s : `Re: ${s}`;
}

/** A new conversation's subject from a mail's: trimmed, one line, at most 500 characters. */
export function conversationSubject(subject: string | undefined): string {
  const s = (subject ?? '').replace(/\s+/g, ' ').trim();
  return s ? s.slice(0, 500) : '(no subject)';
}

/**
 * What the customer wrote in a reply, without the quoted earlier mail: lines starting with `>` and the
 * "On … wrote:" line before them are dropped, and everything from an "-----Original Message-----"
 * separator on. The listening analysis must not read our own quoted words as the customer's. When
 * nothing would be left, the text is kept whole.
 */
export function strippedReply(text: string, max = 100_000): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const quoted = (line: string | undefined) => line === undefined || /^\s*>/.test(line);
  const nextText = (from: number) => lines.slice(from).find((l) => l.trim() !== '');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^-{2,}\s*Original Message\s*-{2,}$/i.test(line.trim())) break;
    if (/^\s*>/.test(line)) continue;
    if (/^On\b/.test(line.trim())) {
      // The attribution that introduces a quoted block, on one line or wrapped onto two.
      if (/\bwrote:\s*$/.test(line) && quoted(nextText(i + 1))) continue;
      if (/\bwrote:\s*$/.test(lines[i + 1] ?? '') && quoted(nextText(i + 2))) {
        i++;
        continue;
      }
    }
    out.push(line);
  }
  const kept = out.join('\n').trim();
  return (kept || text.trim()).slice(0, max);
}

/** A file name safe to store and to put in a header: no path, no control characters, at most 255 characters. */
export function cleanFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 255);
  return cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned : 'attachment';
}

/**
 * Types served as themselves; everything else (HTML, SVG, XML, scripts, unknown) is served as
 * application/octet-stream, so a mailed file can never run as a page of ours.
 */
const SAFE_TYPES = new Set([
  'application/pdf',
  'application/zip',
  'application/json',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/csv',
  'audio/mpeg',
  'video/mp4',
]);

/** The Content-Type to serve a stored attachment with (see SAFE_TYPES). */
export function servedContentType(stored: string): string {
  const type = stored.split(';')[0]!.trim().toLowerCase();
  if (!SAFE_TYPES.has(type)) return 'application/octet-stream';
  return type.startsWith('text/') ? `${type}; charset=utf-8` : type;
}

/** A Content-Disposition that always downloads: an ASCII fallback name plus the UTF-8 one (RFC 6266 / 8187). */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
