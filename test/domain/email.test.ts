import { describe, expect, it } from 'vitest';
import {
  attachmentDisposition,
  cleanFilename,
  conversationSubject,
  inboundAddressFor,
  normalizeMessageId,
  parseAddressMap,
  referencedIds,
  referencesChain,
  replySubject,
  servedContentType,
  strippedReply,
  tenantSlugFor,
} from '../../src/domain/email.ts';

const routing = { domain: 'help.example.com', addresses: { 'help@acme.com': 'acme' } };

describe('which tenant a recipient routes to', () => {
  it.each([
    { to: 'support+acme@help.example.com', slug: 'acme' },
    { to: 'Support+Acme@HELP.example.com', slug: 'acme' },
    { to: 'billing+globex-uk@help.example.com', slug: 'globex-uk' },
    { to: 'help@acme.com', slug: 'acme' },
    { to: 'HELP@ACME.COM', slug: 'acme' },
    { to: 'support@help.example.com', slug: null },
    { to: '+acme@help.example.com', slug: null },
    { to: 'support+acme@other.example.com', slug: null },
    { to: 'support+acme@evil-help.example.com', slug: null },
    { to: 'support+ac_me@help.example.com', slug: null },
    { to: 'support+@help.example.com', slug: null },
    { to: 'not-an-address', slug: null },
  ])('$to → $slug', ({ to, slug }) => {
    expect(tenantSlugFor(to, routing)).toBe(slug);
  });

  it('routes nothing by plus-address without a domain', () => {
    expect(tenantSlugFor('support+acme@help.example.com', { addresses: {} })).toBeNull();
  });

  it('names the inbound address of a tenant: the mapped one first', () => {
    expect(inboundAddressFor('acme', routing)).toBe('help@acme.com');
    expect(inboundAddressFor('globex', routing)).toBe('support+globex@help.example.com');
    expect(inboundAddressFor('globex', {})).toBeNull();
  });

  it('parses the address table, naming a bad entry', () => {
    expect(parseAddressMap('Help@Acme.com=acme, care@globex.co.uk=globex')).toEqual({ 'help@acme.com': 'acme', 'care@globex.co.uk': 'globex' });
    expect(() => parseAddressMap('help@acme.com=acme;oops')).toThrow(/"oops"/);
    expect(() => parseAddressMap('help@acme.com=Not A Slug')).toThrow();
  });
});

describe('Message-IDs', () => {
  it.each([
    { raw: '<a.b@example.com>', id: '<a.b@example.com>' },
    { raw: ' a.b@example.com ', id: '<a.b@example.com>' },
    { raw: '<<a@b>>', id: '<a@b>' },
    { raw: '<a b@c>', id: null },
    { raw: '', id: null },
    { raw: undefined, id: null },
  ])('normalises $raw → $id', ({ raw, id }) => {
    expect(normalizeMessageId(raw)).toBe(id);
  });

  it('lists what a mail answers, In-Reply-To first, then References newest first, once each', () => {
    expect(referencedIds('<c@x>', ['<a@x>', '<b@x>', '<c@x>'])).toEqual(['<c@x>', '<b@x>', '<a@x>']);
    expect(referencedIds(undefined, '<a@x> <b@x>')).toEqual(['<b@x>', '<a@x>']);
    expect(referencedIds('garbage <ok@x> more', undefined)).toEqual(['<ok@x>']);
    expect(referencedIds(undefined, undefined)).toEqual([]);
  });

  it('keeps the root and the newest ids of a long References chain', () => {
    const ids = Array.from({ length: 30 }, (_, i) => `<${i}@x>`);
    expect(referencesChain(ids.slice(0, 3))).toEqual(['<0@x>', '<1@x>', '<2@x>']);
    const chain = referencesChain(ids, 5);
    expect(chain).toEqual(['<0@x>', '<26@x>', '<27@x>', '<28@x>', '<29@x>']);
    expect(referencesChain(['<a@x>', '<a@x>'])).toEqual(['<a@x>']);
  });
});

describe('subjects', () => {
  it.each([
    { subject: 'Broken router', reply: 'Re: Broken router' },
    { subject: 'Re: Broken router', reply: 'Re: Broken router' },
    { subject: 'RE: Broken router', reply: 'RE: Broken router' },
  ])('replies to "$subject" as "$reply"', ({ subject, reply }) => {
    expect(replySubject(subject)).toBe(reply);
  });

  it('opens a conversation with a one-line subject, or "(no subject)"', () => {
    expect(conversationSubject('  My\n  router ')).toBe('My router');
    expect(conversationSubject('')).toBe('(no subject)');
    expect(conversationSubject(undefined)).toBe('(no subject)');
    expect(conversationSubject('x'.repeat(600))).toHaveLength(500);
  });
});

describe("what is kept of a customer's reply", () => {
  it.each([
    { name: 'a one-line attribution and a quote', text: 'Thanks!\n\nOn Mon, 2 Mar 2026, Support <s@x> wrote:\n> Try again.\n> Bye', kept: 'Thanks!' },
    { name: 'an attribution wrapped onto two lines', text: 'Fixed.\nOn Mon, 2 Mar 2026 at 10:00, Acme Support\n<s@x> wrote:\n\n> Try again.', kept: 'Fixed.' },
    { name: 'an inline answer between quotes', text: '> Is it on?\nYes it is.\n> And the light?\nGreen.', kept: 'Yes it is.\nGreen.' },
    { name: 'an Outlook separator', text: 'Please cancel.\r\n\r\n-----Original Message-----\r\nFrom: Support\r\nWe can offer…', kept: 'Please cancel.' },
    { name: '"On" that starts a sentence', text: 'On Monday it broke again.\nI wrote: nothing.', kept: 'On Monday it broke again.\nI wrote: nothing.' },
    { name: 'nothing but a quote (kept whole)', text: '> only a quote', kept: '> only a quote' },
  ])('$name', ({ text, kept }) => {
    expect(strippedReply(text)).toBe(kept);
  });
});

describe('serving attachments', () => {
  it.each([
    { name: 'screen.png', clean: 'screen.png' },
    { name: '../../etc/passwd', clean: 'passwd' },
    { name: 'C:\\Users\\me\\report.pdf', clean: 'report.pdf' },
    { name: 'bad"\u0000name\n.txt', clean: 'badname.txt' },
    { name: '..', clean: 'attachment' },
    { name: undefined, clean: 'attachment' },
  ])('file name $name → $clean', ({ name, clean }) => {
    expect(cleanFilename(name)).toBe(clean);
  });

  it.each([
    { stored: 'image/png', served: 'image/png' },
    { stored: 'application/PDF', served: 'application/pdf' },
    { stored: 'text/plain; charset=iso-8859-1', served: 'text/plain; charset=utf-8' },
    { stored: 'text/html', served: 'application/octet-stream' },
    { stored: 'image/svg+xml', served: 'application/octet-stream' },
    { stored: 'application/xhtml+xml', served: 'application/octet-stream' },
    { stored: 'text/xml', served: 'application/octet-stream' },
    { stored: 'application/javascript', served: 'application/octet-stream' },
    { stored: 'made/up', served: 'application/octet-stream' },
  ])('stored $stored is served as $served', ({ stored, served }) => {
    expect(servedContentType(stored)).toBe(served);
  });

  it('always downloads, with an ASCII fallback and the UTF-8 name', () => {
    expect(attachmentDisposition('report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(attachmentDisposition('naïve "q" 100%.txt')).toBe(`attachment; filename="na_ve _q_ 100_.txt"; filename*=UTF-8''na%C3%AFve%20%22q%22%20100%25.txt`);
  });
});
