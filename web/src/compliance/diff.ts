/** One line of a line diff: kept in both, removed from the old text, or added in the new one. */
export interface DiffLine {
  kind: 'same' | 'removed' | 'added';
  text: string;
  /** Line number in the old text (removed, same) and in the new one (added, same), from 1. */
  oldLine: number | null;
  newLine: number | null;
}

/**
 * A line diff by longest common subsequence (dynamic programming, O(n·m) cells): charters are a
 * few hundred lines, so two versions take well under a million cells. Removed lines come before the
 * added lines that replace them. Example: lineDiff('a\nb', 'a\nc') →
 * same "a", removed "b", added "c".
 */
export function lineDiff(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the LCS of a[i..] and b[j..], in one flat array.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]!, oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (j >= m || (i < n && lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
      out.push({ kind: 'removed', text: a[i]!, oldLine: i + 1, newLine: null });
      i++;
    } else {
      out.push({ kind: 'added', text: b[j]!, oldLine: null, newLine: j + 1 });
      j++;
    }
  }
  return out;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  // A final newline ends the last line; it does not start an empty one.
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Counts for a summary line: "3 lines added, 1 removed". */
export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.kind === 'added') added++;
    else if (l.kind === 'removed') removed++;
  }
  return { added, removed };
}

/**
 * The changed lines with `context` unchanged lines around each change; longer unchanged runs fold
 * into one `{ skipped: N }` marker so a long charter shows what changed, not every line.
 */
export function withContext(lines: readonly DiffLine[], context = 3): Array<DiffLine | { skipped: number }> {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((l, k) => {
    if (l.kind === 'same') return;
    for (let x = Math.max(0, k - context); x <= Math.min(lines.length - 1, k + context); x++) keep[x] = true;
  });
  const out: Array<DiffLine | { skipped: number }> = [];
  let skipped = 0;
  lines.forEach((l, k) => {
    if (keep[k]) {
      if (skipped > 0) out.push({ skipped });
      skipped = 0;
      out.push(l);
    } else skipped++;
  });
  if (skipped > 0) out.push({ skipped });
  return out;
}
