import { z } from 'zod';
import { invalidAllowEntry } from './domain/webhooks.ts';

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
  webhookAllowPrivate: 'FAIRDESK_WEBHOOK_ALLOW_PRIVATE',
  webhookAllow: 'FAIRDESK_WEBHOOK_ALLOW',
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
    webhookAllowPrivate: env.FAIRDESK_WEBHOOK_ALLOW_PRIVATE || '0',
    webhookAllow: env.FAIRDESK_WEBHOOK_ALLOW ?? '',
  };
  const parsed = ConfigSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const key = issue.path[0] as keyof Config;
      return `${SOURCES[key] ?? String(key)}: ${issue.message}`;
    }),
  };
}
