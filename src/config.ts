import { z } from 'zod';
import { invalidAllowEntry } from './domain/webhooks.ts';
import { parseAddressMap } from './domain/email.ts';

const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const ConfigSchema = z.object({
  port: z.coerce.number({ error: 'must be a number' }).int().min(0).max(65535),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  smtpUrl: z
    .string()
    .regex(/^smtps?:\/\//, { error: 'must be an smtp:// or smtps:// URL' })
    .optional(),
  mailFrom: z.string().min(3),
  logLevel: LogLevel,
  /** The address people reach Fairdesk at (behind TLS or a TLS-terminating proxy), for links and origin checks. */
  publicUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://help.example.com' }).optional(),
  /** Redis that keeps rate-limit counters shared by several servers (docs/scaling.md); unset, each server counts alone. */
  rateLimitRedis: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'must be a redis:// or rediss:// URL' })
    .optional(),
  /** Requests per minute per API token or session (and per address without one). */
  rateLimit: z.coerce.number({ error: 'must be a number' }).int().min(1),
  /** Webhooks may target loopback, private, link-local, unique-local and CGNAT addresses (docs/webhooks.md). */
  webhookAllowPrivate: z.enum(['0', '1', 'true', 'false'], { error: 'must be 1 or 0' }).transform((v) => v === '1' || v === 'true'),
  /** Host names, addresses and CIDR ranges webhooks may target although not public. */
  webhookAllow: z
    .string()
    .transform((v) => v.split(',').map((e) => e.trim()).filter((e) => e !== ''))
    .superRefine((entries, ctx) => {
      for (const e of entries) {
        const error = invalidAllowEntry(e);
        if (error) ctx.addIssue({ code: 'custom', message: error });
      }
    }),
  /** Where the inbound SMTP listener binds (`host:port`); unset, no mail is received (docs/email.md). */
  smtpListen: z
    .string()
    .regex(/^(\[[0-9a-f:.]+\]|[^\s:]+):\d{1,5}$/i, { error: 'must be host:port, such as 127.0.0.1:2525' })
    .optional(),
  /** The domain of per-tenant inbound addresses `<anything>+<tenant-slug>@<domain>`. */
  inboundDomain: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z0-9-]+$/i, { error: 'must be a domain name such as help.example.com' })
    .optional(),
  /** Whole inbound addresses mapped to tenant slugs (`help@acme.com=acme, …`). */
  inboundAddresses: z.record(z.string(), z.string()).optional(),
  /** The largest message the listener accepts, in bytes as sent (attachments included, base64-encoded). */
  smtpMaxBytes: z.coerce.number({ error: 'must be a number' }).int().min(1024).max(100 * 1024 * 1024),
  /** How long a server holds a claimed outbox job before another may take it over (docs/scaling.md). */
  jobLeaseMs: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(1000).max(3_600_000),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Where each setting comes from, for error messages: a flag beats the environment. */
const SOURCES: Record<keyof Config, string> = {
  port: '--port / PORT',
  host: '--host / HOST',
  dataDir: '--data / FAIRDESK_DATA',
  databaseUrl: 'DATABASE_URL',
  smtpUrl: 'SMTP_URL',
  mailFrom: 'FAIRDESK_MAIL_FROM',
  logLevel: 'LOG_LEVEL',
  publicUrl: 'FAIRDESK_PUBLIC_URL',
  rateLimit: 'FAIRDESK_RATE_LIMIT',
  rateLimitRedis: 'FAIRDESK_RATE_LIMIT_REDIS',
  webhookAllowPrivate: 'FAIRDESK_WEBHOOK_ALLOW_PRIVATE',
  webhookAllow: 'FAIRDESK_WEBHOOK_ALLOW',
  smtpListen: 'SMTP_LISTEN',
  inboundDomain: 'FAIRDESK_INBOUND_DOMAIN',
  inboundAddresses: 'FAIRDESK_INBOUND_ADDRESSES',
  smtpMaxBytes: 'SMTP_MAX_BYTES',
  jobLeaseMs: 'FAIRDESK_JOB_LEASE_MS',
};

export interface ConfigFlags {
  port?: string | number | undefined;
  host?: string | undefined;
  data?: string | undefined;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/**
 * Reads configuration from flags and the environment and validates all of it at once, so a
 * misconfigured start lists every problem before it exits instead of failing on the first.
 */
export function loadConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): ConfigResult {
  const raw = {
    port: flags.port ?? env.PORT ?? 3000,
    host: flags.host ?? env.HOST ?? '127.0.0.1',
    dataDir: flags.data ?? env.FAIRDESK_DATA ?? './fairdesk-data',
    databaseUrl: env.DATABASE_URL || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.FAIRDESK_MAIL_FROM ?? 'Fairdesk <no-reply@fairdesk.localhost>',
    logLevel: env.LOG_LEVEL ?? 'info',
    publicUrl: env.FAIRDESK_PUBLIC_URL || undefined,
    rateLimit: env.FAIRDESK_RATE_LIMIT ?? 1200,
    rateLimitRedis: env.FAIRDESK_RATE_LIMIT_REDIS || undefined,
    webhookAllowPrivate: env.FAIRDESK_WEBHOOK_ALLOW_PRIVATE || '0',
    webhookAllow: env.FAIRDESK_WEBHOOK_ALLOW ?? '',
    smtpListen: env.SMTP_LISTEN || undefined,
    inboundDomain: env.FAIRDESK_INBOUND_DOMAIN || undefined,
    inboundAddresses: undefined as Record<string, string> | undefined,
    smtpMaxBytes: env.SMTP_MAX_BYTES ?? 10 * 1024 * 1024,
    jobLeaseMs: env.FAIRDESK_JOB_LEASE_MS ?? 60_000,
  };
  const errors: string[] = [];
  if (env.FAIRDESK_INBOUND_ADDRESSES) {
    try {
      raw.inboundAddresses = parseAddressMap(env.FAIRDESK_INBOUND_ADDRESSES);
    } catch (error) {
      errors.push(`${SOURCES.inboundAddresses}: ${(error as Error).message}`);
    }
  }
  // A listener with no address to receive at would accept nothing: say so at start.
  if (raw.smtpListen && !raw.inboundDomain && !env.FAIRDESK_INBOUND_ADDRESSES) {
    errors.push(`${SOURCES.smtpListen}: needs FAIRDESK_INBOUND_DOMAIN or FAIRDESK_INBOUND_ADDRESSES to know which tenant a mail is for`);
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (parsed.success && errors.length === 0) return { ok: true, config: parsed.data };
  return {
    ok: false,
    errors: [
      ...(parsed.success
        ? []
        : parsed.error.issues.map((issue) => {
            const key = issue.path[0] as keyof Config;
            return `${SOURCES[key] ?? String(key)}: ${issue.message}`;
          })),
      ...errors,
    ],
  };
}
