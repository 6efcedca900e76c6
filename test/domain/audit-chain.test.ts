import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  auditRowJson,
  canonicalJson,
  ChainWalker,
  chainHash,
  checkpointMessage,
  formatAuditTime,
  GENESIS_HASH,
  type AuditRowContent,
  type StoredAuditRow,
  type TrustedCheckpoint,
} from '../../src/domain/audit-chain.ts';

const TENANT = '01900000-0000-7000-8000-000000000001';

function content(seq: number): AuditRowContent {
  return {
    tenantId: TENANT,
    seq,
    id: `01900000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    at: formatAuditTime(new Date(Date.UTC(2026, 10, 22, 10, 0, seq, 123))),
    actor: 'token:t1',
    action: 'customer.updated',
    entityType: 'customer',
    entityId: `c${seq}`,
    fields: ['name', 'emails'],
  };
}

/** A correct chain of n rows, and its head. */
function chain(n: number): { rows: StoredAuditRow[]; head: { seq: number; hash: string } } {
  const rows: StoredAuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const c = content(seq);
    const hash = chainHash(prev, c);
    rows.push({ ...c, prevHash: prev, hash });
    prev = hash;
  }
  return { rows, head: { seq: n, hash: prev } };
}

/** Recomputes the links from `from` onwards, as an attacker with the database would. */
function relink(rows: StoredAuditRow[], from: number): StoredAuditRow[] {
  const out = rows.slice(0, from - 1);
  let prev = from === 1 ? GENESIS_HASH : out[from - 2]!.hash;
  for (const r of rows.slice(from - 1)) {
    const hash = chainHash(prev, r);
    out.push({ ...r, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

function walk(rows: StoredAuditRow[], head: { seq: number; hash: string } | null, checkpoints: TrustedCheckpoint[] = []) {
  const walker = new ChainWalker(checkpoints);
  for (const r of rows) walker.push(r);
  return walker.finish(head);
}

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: [true, 'x'] }, '{"a":[true,"x"],"b":1}'],
    [{ z: { y: null, x: 'é"\n' } }, '{"z":{"x":"é\\"\\n","y":null}}'],
    [[3, 2, 1], '[3,2,1]'],
    ['plain', '"plain"'],
    [{}, '{}'],
  ])('%j → %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(/NaN/);
  });
});

describe('the hash format (frozen: stored chains depend on it)', () => {
  it('writes times with microseconds, as timestamptz keeps them', () => {
    expect(formatAuditTime(new Date('2026-11-22T10:00:01.123Z'))).toBe('2026-11-22T10:00:01.123000Z');
  });

  it('hashes the previous hash followed by the canonical row', () => {
    const c = content(1);
    expect(auditRowJson(c)).toBe(
      `{"action":"customer.updated","actor":"token:t1","at":"2026-11-22T10:00:01.123000Z","entityId":"c1","entityType":"customer","fields":["name","emails"],"id":"01900000-0000-7000-8000-000000000001","seq":1,"tenantId":"${TENANT}"}`,
    );
    expect(chainHash(GENESIS_HASH, c)).toBe(createHash('sha256').update(GENESIS_HASH + auditRowJson(c)).digest('hex'));
    expect(chainHash(GENESIS_HASH, c)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each<[string, Partial<AuditRowContent>]>([
    ['tenantId', { tenantId: '01900000-0000-7000-8000-000000000002' }],
    ['seq', { seq: 2 }],
    ['id', { id: '01900000-0000-7000-8000-999999999999' }],
    ['at (one microsecond)', { at: '2026-11-22T10:00:01.123001Z' }],
    ['actor', { actor: 'cli' }],
    ['action', { action: 'customer.deleted' }],
    ['entityType', { entityType: 'agent' }],
    ['entityId', { entityId: 'c2' }],
    ['fields (order)', { fields: ['emails', 'name'] }],
    ['fields (one more)', { fields: ['name', 'emails', 'phones'] }],
  ])('covers %s', (_name, change) => {
    expect(chainHash(GENESIS_HASH, { ...content(1), ...change })).not.toBe(chainHash(GENESIS_HASH, content(1)));
  });

  it('signs a message naming the tenant, seq, hash and time', () => {
    expect(checkpointMessage({ tenantId: TENANT, seq: 5, hash: 'ab', signedAt: '2026-11-22T10:00:00.000Z' })).toBe(
      `{"hash":"ab","seq":5,"signedAt":"2026-11-22T10:00:00.000Z","tenantId":"${TENANT}","type":"fairdesk.audit.checkpoint.v1"}`,
    );
  });
});

describe('ChainWalker names the first broken link', () => {
  const { rows, head } = chain(6);
  const at = (seq: number) => rows[seq - 1]!;
  const without = (...seqs: number[]) => rows.filter((r) => !seqs.includes(r.seq));
  const rewritten = relink(rows.map((r) => (r.seq === 4 ? { ...r, fields: [] } : r)), 4);

  const cases: Array<{
    name: string;
    rows: StoredAuditRow[];
    head?: { seq: number; hash: string } | null;
    checkpoints?: TrustedCheckpoint[];
    broken: { seq: number; id: string | null; problem: RegExp } | null;
  }> = [
    { name: 'an intact chain', rows, broken: null },
    { name: 'an empty chain with no head', rows: [], head: null, broken: null },
    { name: 'a rewritten tail (relinked, head moved too) without checkpoints (undetectable: the limit)', rows: rewritten, head: { seq: 6, hash: rewritten[5]!.hash }, broken: null },
    { name: 'an intact chain matching its checkpoints', rows, checkpoints: [{ seq: 3, hash: at(3).hash, label: 'cp' }, { seq: 6, hash: head.hash, label: 'cp' }], broken: null },
    { name: 'an edited action', rows: rows.map((r) => (r.seq === 3 ? { ...r, action: 'customer.deleted' } : r)), broken: { seq: 3, id: at(3).id, problem: /edited/ } },
    { name: 'an edited time', rows: rows.map((r) => (r.seq === 2 ? { ...r, at: '2026-11-22T10:00:02.124000Z' } : r)), broken: { seq: 2, id: at(2).id, problem: /edited/ } },
    { name: 'an edited stored hash', rows: rows.map((r) => (r.seq === 4 ? { ...r, hash: 'f'.repeat(64) } : r)), broken: { seq: 4, id: at(4).id, problem: /edited/ } },
    { name: 'an edited row whose own hash was recomputed', rows: relink(rows.map((r) => (r.seq === 4 ? { ...r, actor: 'someone' } : r)), 4).map((r) => (r.seq > 4 ? rows[r.seq - 1]! : r)), broken: { seq: 5, id: at(5).id, problem: /prev_hash/ } },
    { name: 'a deleted row', rows: without(3), broken: { seq: 3, id: at(4).id, problem: /seq 3 is missing/ } },
    { name: 'two deleted rows', rows: without(2, 3), broken: { seq: 2, id: at(4).id, problem: /seq 2–3 are missing/ } },
    { name: 'a deleted first row', rows: without(1), broken: { seq: 1, id: at(2).id, problem: /missing/ } },
    { name: 'a truncated tail (head still ahead)', rows: rows.slice(0, 4), broken: { seq: 5, id: null, problem: /truncated tail: the head is at seq 6/ } },
    { name: 'a truncated tail with the head rewound, caught by a checkpoint', rows: rows.slice(0, 4), head: { seq: 4, hash: at(4).hash }, checkpoints: [{ seq: 6, hash: head.hash, label: 'exported checkpoint' }], broken: { seq: 5, id: null, problem: /truncated tail: the exported checkpoint covers seq 6/ } },
    { name: 'a truncated tail with the head rewound and no checkpoint (undetectable: the limit)', rows: rows.slice(0, 4), head: { seq: 4, hash: at(4).hash }, broken: null },
    { name: 'all rows deleted', rows: [], broken: { seq: 1, id: null, problem: /truncated tail/ } },
    { name: 'two rows swapped (seq kept in place)', rows: [at(1), { ...at(3), seq: 2 }, { ...at(2), seq: 3 }, ...rows.slice(3)], broken: { seq: 2, id: at(3).id, problem: /prev_hash/ } },
    { name: 'two rows swapped (order of reading)', rows: [at(1), at(3), at(2), ...rows.slice(3)], broken: { seq: 2, id: at(3).id, problem: /seq 2 is missing/ } },
    { name: 'a row reinserted at the end', rows: [...without(2), { ...at(2), seq: 7 }], head: { seq: 7, hash: 'x' }, broken: { seq: 2, id: at(3).id, problem: /missing/ } },
    { name: 'a duplicated row', rows: [...rows.slice(0, 3), at(3), ...rows.slice(3)], broken: { seq: 3, id: at(3).id, problem: /appears again/ } },
    { name: 'a rewritten tail (relinked, head moved too), caught by a checkpoint', rows: rewritten, head: { seq: 6, hash: rewritten[5]!.hash }, checkpoints: [{ seq: 5, hash: at(5).hash, label: 'stored checkpoint' }], broken: { seq: 5, id: at(5).id, problem: /differs from the stored checkpoint/ } },
    { name: 'a head hash that differs', rows, head: { seq: 6, hash: 'e'.repeat(64) }, broken: { seq: 6, id: at(6).id, problem: /head hash/ } },
    { name: 'rows beyond the head', rows, head: { seq: 5, hash: at(5).hash }, broken: { seq: 6, id: null, problem: /beyond the head/ } },
    { name: 'rows with no head at all', rows, head: null, broken: { seq: 1, id: null, problem: /beyond the head/ } },
  ];

  it.each(cases)('$name', ({ rows: input, head: given, checkpoints, broken }) => {
    const verdict = walk(input, given === undefined ? head : given, checkpoints);
    if (broken === null) expect(verdict.firstBroken).toBeNull();
    else expect(verdict.firstBroken).toEqual({ seq: broken.seq, id: broken.id, problem: expect.stringMatching(broken.problem) });
    expect(verdict.rows).toBe(input.length);
  });

  it('reports the lowest seq among row problems and problems found elsewhere', () => {
    const walker = new ChainWalker();
    for (const r of without(5)) walker.push(r);
    const verdict = walker.finish(head, [{ seq: 2, id: null, problem: 'bad signature' }]);
    expect(verdict.firstBroken).toEqual({ seq: 2, id: null, problem: 'bad signature' });
  });
});
