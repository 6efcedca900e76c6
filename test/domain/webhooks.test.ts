import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  checkWebhookUrl,
  classifyAddress,
  eventMatches,
  invalidAllowEntry,
  judgeAddress,
  signWebhook,
  webhookMessageId,
  type AddressClass,
  type TargetPolicy,
} from '../../src/domain/webhooks.ts';

// Each row: an address, and what it is.
const addresses: Array<[string, AddressClass]> = [
  ['93.184.215.14', 'public'],
  ['8.8.8.8', 'public'],
  ['2606:4700:4700::1111', 'public'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['::1', 'loopback'],
  ['10.0.0.1', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.1', 'public'],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'carrierGradeNat'],
  ['100.127.255.255', 'carrierGradeNat'],
  ['100.128.0.1', 'public'],
  ['169.254.169.254', 'linkLocal'], // cloud metadata services live here
  ['fe80::1', 'linkLocal'],
  ['fc00::1', 'uniqueLocal'],
  ['fd12:3456::1', 'uniqueLocal'],
  ['fec0::1', 'private'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['::', 'unspecified'],
  ['224.0.0.1', 'multicast'],
  ['ff02::1', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['192.0.2.1', 'reserved'],
  ['240.0.0.1', 'reserved'],
  ['2001:db8::1', 'reserved'],
  // IPv6 forms that carry an IPv4 address are judged by that address.
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:10.1.2.3', 'private'],
  ['::ffff:169.254.169.254', 'linkLocal'],
  ['::ffff:8.8.8.8', 'public'],
  ['64:ff9b::10.0.0.1', 'private'],
  ['64:ff9b::8.8.8.8', 'public'],
  ['2002:7f00:1::', 'loopback'],
  ['2002:0808:0808::1', 'public'],
  ['::7f00:1', 'reserved'], // IPv4-compatible (deprecated): refused whatever it embeds
  ['::127.0.0.1', 'loopback'], // ipaddr.js reads this spelling as IPv4-mapped; refused either way
  ['[::1]', 'loopback'],
];

describe('classifying target addresses', () => {
  it.each(addresses)('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});

const none: TargetPolicy = { allowPrivate: false, allow: [] };
const open: TargetPolicy = { allowPrivate: true, allow: [] };
const listed: TargetPolicy = { allowPrivate: false, allow: ['10.20.0.0/16', 'hooks.internal', '::1', 'fd00::/8'] };

// Each row: host, the address it resolved to, the policy, allowed?
const verdicts: Array<[string, string, TargetPolicy, boolean]> = [
  ['example.com', '93.184.215.14', none, true],
  ['127.0.0.1', '127.0.0.1', none, false],
  ['localhost', '127.0.0.1', none, false],
  ['127.0.0.1', '127.0.0.1', open, true],
  ['10.0.0.5', '10.0.0.5', open, true],
  // Never, whatever the operator says.
  ['0.0.0.0', '0.0.0.0', open, false],
  ['224.0.0.1', '224.0.0.1', open, false],
  ['255.255.255.255', '255.255.255.255', open, false],
  // An allow list: by CIDR, by exact host name, by address.
  ['10.20.3.4', '10.20.3.4', listed, true],
  ['10.21.0.1', '10.21.0.1', listed, false],
  ['hooks.internal', '192.168.7.7', listed, true],
  ['HOOKS.internal.', '192.168.7.7', listed, true],
  ['other.internal', '192.168.7.7', listed, false],
  ['[::1]', '::1', listed, true],
  ['127.0.0.1', '127.0.0.1', listed, false],
  ['fd00::5', 'fd00::5', listed, true],
  ['x.internal', '::ffff:10.20.0.9', listed, true],
];

describe('judging a target under the operator policy', () => {
  it.each(verdicts)('%s → %s (%o): %s', (host, address, policy, allowed) => {
    expect(judgeAddress(host, address, policy).ok).toBe(allowed);
  });

  it('says why, naming the address and the operator switch', () => {
    const v = judgeAddress('localhost', '127.0.0.1', none);
    expect(v).toMatchObject({ ok: false, class: 'loopback' });
    expect(!v.ok && v.detail).toBe(
      'localhost resolves to 127.0.0.1, a loopback address; webhooks go to public addresses unless the operator allows it (FAIRDESK_WEBHOOK_ALLOW or FAIRDESK_WEBHOOK_ALLOW_PRIVATE=1)',
    );
  });
});

// Each row: URL, null when well-formed, else the start of the reason.
const urls: Array<[string, string | null]> = [
  ['https://hooks.example.com/fairdesk', null],
  ['http://93.184.215.14:8080/in', null],
  ['https://[2606:4700::1]/x', null],
  ['ftp://example.com/x', 'must be an http or https URL (not ftp)'],
  ['file:///etc/passwd', 'must be an http or https URL (not file)'],
  ['gopher://example.com', 'must be an http or https URL'],
  ['https://user:pw@example.com/x', 'must not carry credentials'],
  ['https://user@example.com/x', 'must not carry credentials'],
  ['example.com/x', 'is not a valid absolute URL'],
  ['https://', 'is not a valid absolute URL'],
];

describe('checking a URL before any DNS', () => {
  it.each(urls)('%s', (raw, reason) => {
    const v = checkWebhookUrl(raw);
    if (reason === null) expect(v.ok).toBe(true);
    else expect(!v.ok && v.detail).toMatch(new RegExp(`^${reason.replace(/[()]/g, '\\$&')}`));
  });

  it('normalises IPv4 spellings, so 0x7f.1 and 2130706433 are seen as 127.0.0.1', () => {
    for (const raw of ['http://0x7f.1/', 'http://2130706433/', 'http://127.1/']) {
      const v = checkWebhookUrl(raw);
      expect(v.ok && [v.host, v.ipLiteral]).toEqual(['127.0.0.1', true]);
    }
  });
});

describe('allow-list entries', () => {
  it.each([
    ['10.0.0.0/8', null],
    ['fd00::/8', null],
    ['192.168.1.10', null],
    ['hooks.internal', null],
    ['10.0.0.0/33', 'is not a CIDR range'],
    ['not a host', 'is not a host name'],
  ])('%s', (entry, error) => {
    const e = invalidAllowEntry(entry);
    if (error === null) expect(e).toBeNull();
    else expect(e).toContain(error);
  });
});

describe('events and signatures', () => {
  it.each([
    [['*'], 'message.created', true],
    [['message.created'], 'message.created', true],
    [['conversation.created', 'sla.breached'], 'message.created', false],
  ])('filter %o receives %s: %s', (filter, type, yes) => {
    expect(eventMatches(filter, type)).toBe(yes);
  });

  it('signs as the Standard Webhooks library verifies, with every secret during a rotation', () => {
    const current = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
    const previous = `whsec_${Buffer.from('fedcba9876543210fedcba9876543210').toString('base64')}`;
    const id = webhookMessageId('0190f0c2-7b7e-7000-8000-000000000001');
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ type: 'message.created', timestamp: new Date().toISOString(), data: { messageId: 'm' } });
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook([current, previous], id, timestamp, body) };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toMatchObject({ type: 'message.created' });
    expect(new Webhook(previous).verify(body, headers)).toMatchObject({ type: 'message.created' });
    const other = `whsec_${Buffer.from('another secret of thirty-two b!!').toString('base64')}`;
    expect(() => new Webhook(other).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(body.replace('"m"', '"n"'), headers)).toThrow();
  });
});
