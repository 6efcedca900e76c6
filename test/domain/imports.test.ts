import { describe, expect, it } from 'vitest';
import { addResult, emptySummary, externalIdOf, fingerprint, MAX_REJECTIONS, splitList, zendeskChannel, zendeskStatus } from '../../src/domain/imports.ts';

describe('Zendesk values', () => {
  it.each([
    ['new', 'open'],
    ['open', 'open'],
    ['pending', 'pending'],
    ['hold', 'pending'],
    ['solved', 'resolved'],
    ['closed', 'closed'],
    ['archived', null],
    [undefined, null],
  ])('status %s → %s', (status, expected) => expect(zendeskStatus(status)).toBe(expected));

  it.each([
    [{ channel: 'email' }, 'email'],
    [{ channel: 'chat' }, 'chat'],
    [{ channel: 'voice' }, 'phone'],
    [{ channel: 'web' }, 'portal'],
    [{ channel: 'twitter' }, 'social'],
    [{ channel: 'something_new' }, 'email'],
    [null, 'email'],
  ])('via %j → %s', (via, expected) => expect(zendeskChannel(via)).toBe(expected));

  it.each([
    [123, '123'],
    [' ab-1 ', 'ab-1'],
    ['', null],
    [1.5, null],
    [null, null],
    [{}, null],
  ])('external id %j → %j', (value, expected) => expect(externalIdOf(value)).toBe(expected));
});

describe('summaries', () => {
  it('counts outcomes per entity, groups skipped reasons and keeps rejections in file order up to the cap', () => {
    const s = emptySummary();
    addResult(s, 1, 'users[0]', { outcome: 'imported', entity: 'customer' });
    addResult(s, 2, 'users[1]', { outcome: 'skipped', entity: 'customer', reason: 'unchanged' });
    addResult(s, 3, 'users[2]', { outcome: 'skipped', entity: 'customer', reason: 'unchanged' });
    addResult(s, 4, 'tickets[0]', { outcome: 'rejected', entity: 'conversation', reason: 'status: unknown' });
    expect(s).toMatchObject({ records: 4, imported: 1, skipped: 2, rejected: 1, skippedReasons: { unchanged: 2 }, byEntity: { customer: { imported: 1, skipped: 2 }, conversation: { rejected: 1 } } });
    expect(s.rejections).toEqual([{ record: 4, ref: 'tickets[0]', reason: 'status: unknown' }]);
    for (let i = 0; i < MAX_REJECTIONS; i++) addResult(s, 5 + i, `row ${i}`, { outcome: 'rejected', entity: 'x', reason: 'bad' });
    expect([s.rejected, s.rejections.length, s.rejectionsTruncated]).toEqual([MAX_REJECTIONS + 1, MAX_REJECTIONS, true]);
  });

  it('fingerprints ignore key order and undefined fields, and see every value', () => {
    expect(fingerprint({ a: 1, b: [1, 2], c: undefined })).toBe(fingerprint({ b: [1, 2], a: 1 }));
    expect(fingerprint({ a: 1, b: [1, 2] })).not.toBe(fingerprint({ a: 1, b: [2, 1] }));
    expect(fingerprint({ a: { x: null } })).not.toBe(fingerprint({ a: { x: 0 } }));
  });

  it.each([
    ['a@x.com; b@y.com', ['a@x.com', 'b@y.com']],
    [' ', []],
    [undefined, []],
  ])('splits %j', (cell, expected) => expect(splitList(cell)).toEqual(expected));
});
