import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('has defaults for a laptop: embedded store, localhost, port 3000', () => {
    expect(loadConfig({})).toEqual({
      ok: true,
      config: expect.objectContaining({ port: 3000, host: '127.0.0.1', dataDir: './fairdesk-data', databaseUrl: undefined, logLevel: 'info' }),
    });
  });

  it('lets flags win over the environment', () => {
    const result = loadConfig({ PORT: '4000', FAIRDESK_DATA: '/env' }, { port: '5000', data: '/flag' });
    expect(result.ok && result.config).toMatchObject({ port: 5000, dataDir: '/flag' });
  });

  it('lists every error at once, naming where each setting comes from', () => {
    const result = loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SMTP_URL: 'http://mail', LOG_LEVEL: 'loud' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(4);
    expect(result.errors.join('\n')).toMatch(/--port \/ PORT/);
    expect(result.errors.join('\n')).toMatch(/DATABASE_URL: must be a postgres/);
    expect(result.errors.join('\n')).toMatch(/SMTP_URL/);
    expect(result.errors.join('\n')).toMatch(/LOG_LEVEL/);
  });

  it('reads the outbox lease (60 s by default; at least 1 s)', () => {
    expect(loadConfig({})).toMatchObject({ ok: true, config: { jobLeaseMs: 60_000 } });
    expect(loadConfig({ FAIRDESK_JOB_LEASE_MS: '3000' })).toMatchObject({ ok: true, config: { jobLeaseMs: 3000 } });
    const bad = loadConfig({ FAIRDESK_JOB_LEASE_MS: '10' });
    expect(bad.ok === false && bad.errors.join('\n')).toMatch(/FAIRDESK_JOB_LEASE_MS/);
  });

  it('refuses private webhook targets unless the operator allows them, and checks the allow list at boot', () => {
    expect(loadConfig({})).toMatchObject({ ok: true, config: { webhookAllowPrivate: false, webhookAllow: [] } });
    const allowed = loadConfig({ FAIRDESK_WEBHOOK_ALLOW_PRIVATE: '1', FAIRDESK_WEBHOOK_ALLOW: 'hooks.internal, 10.20.0.0/16' });
    expect(allowed).toMatchObject({ ok: true, config: { webhookAllowPrivate: true, webhookAllow: ['hooks.internal', '10.20.0.0/16'] } });
    const bad = loadConfig({ FAIRDESK_WEBHOOK_ALLOW_PRIVATE: 'yes', FAIRDESK_WEBHOOK_ALLOW: '10.0.0.0/40' });
    expect(bad.ok === false && bad.errors).toEqual([
      'FAIRDESK_WEBHOOK_ALLOW_PRIVATE: must be 1 or 0',
      'FAIRDESK_WEBHOOK_ALLOW: 10.0.0.0/40 is not a CIDR range such as 10.20.0.0/16 or fd00::/8',
    ]);
  });

  it('reads the inbound mail settings, and refuses a listener with no address to receive at', () => {
    const result = loadConfig({ SMTP_LISTEN: '127.0.0.1:2525', FAIRDESK_INBOUND_DOMAIN: 'help.example.com', FAIRDESK_INBOUND_ADDRESSES: 'Help@Acme.com=acme' });
    expect(result.ok && result.config).toMatchObject({
      smtpListen: '127.0.0.1:2525',
      inboundDomain: 'help.example.com',
      inboundAddresses: { 'help@acme.com': 'acme' },
      smtpMaxBytes: 10 * 1024 * 1024,
    });
    const bad = loadConfig({ SMTP_LISTEN: 'localhost', FAIRDESK_INBOUND_ADDRESSES: 'help@acme.com', SMTP_MAX_BYTES: '10' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.join('\n')).toMatch(/SMTP_LISTEN: must be host:port/);
    expect(bad.errors.join('\n')).toMatch(/FAIRDESK_INBOUND_ADDRESSES: "help@acme.com" is not address=tenant-slug/);
    expect(bad.errors.join('\n')).toMatch(/SMTP_MAX_BYTES/);
    const alone = loadConfig({ SMTP_LISTEN: '127.0.0.1:2525' });
    expect(!alone.ok && alone.errors).toEqual(['SMTP_LISTEN: needs FAIRDESK_INBOUND_DOMAIN or FAIRDESK_INBOUND_ADDRESSES to know which tenant a mail is for']);
  });
});
