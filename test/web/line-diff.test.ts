import { describe, expect, it } from 'vitest';
import { diffStats, lineDiff, withContext, type DiffLine } from '../../web/src/compliance/diff.ts';
import { dayStart, entityLink } from '../../web/src/compliance/words.ts';

const signs = (lines: DiffLine[]) => lines.map((l) => `${l.kind === 'added' ? '+' : l.kind === 'removed' ? '-' : ' '}${l.text}`);

describe('lineDiff', () => {
  it.each([
    ['identical', 'a\nb\n', 'a\nb', [' a', ' b']],
    ['one line changed', 'a\nb\nc', 'a\nB\nc', [' a', '-b', '+B', ' c']],
    ['added at the end', 'a', 'a\nb', [' a', '+b']],
    ['removed at the start', 'x\na', 'a', ['-x', ' a']],
    ['from nothing', '', 'a\nb', ['+a', '+b']],
    ['to nothing', 'a', '', ['-a']],
    ['CRLF is the same line', 'a\r\nb', 'a\nb', [' a', ' b']],
    ['a moved line', 'a\nb\nc', 'b\nc\na', ['-a', ' b', ' c', '+a']],
  ])('%s', (_name, before, after, expected) => {
    expect(signs(lineDiff(before, after))).toEqual(expected);
  });

  it('numbers lines in both texts and keeps every line of each', () => {
    const d = lineDiff('a\nb\nc', 'a\nx\nc\nd');
    expect(d.filter((l) => l.oldLine !== null).map((l) => l.text)).toEqual(['a', 'b', 'c']);
    expect(d.filter((l) => l.newLine !== null).map((l) => l.text)).toEqual(['a', 'x', 'c', 'd']);
    expect(diffStats(d)).toEqual({ added: 2, removed: 1 });
  });

  it('folds long unchanged runs around the changes', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 10', 'line ten');
    const shown = withContext(lineDiff(before, after), 2);
    expect(shown[0]).toEqual({ skipped: 8 });
    expect(shown.at(-1)).toEqual({ skipped: 7 });
    expect(shown.filter((l) => !('skipped' in l))).toHaveLength(6);
  });
});

describe('audit helpers', () => {
  it.each([
    ['customer', '/customers/c1'],
    ['conversation', '/inbox/c1'],
    ['charter_exception', '/exceptions?focus=c1'],
    ['charter_version', '/charter-versions?b=c1'],
    ['agent', null],
  ])('links a %s entry to its page', (type, to) => {
    expect(entityLink(type, 'c1')?.to ?? null).toBe(to);
  });

  it('turns days into the API instants, the end day included', () => {
    expect(dayStart('2026-11-22')).toBe('2026-11-22T00:00:00.000Z');
    expect(dayStart('2026-11-22', 1)).toBe('2026-11-23T00:00:00.000Z');
    expect(dayStart('22/11/2026')).toBeNull();
  });
});
