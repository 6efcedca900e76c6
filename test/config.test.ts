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
});
