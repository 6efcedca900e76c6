/**
 * Reading a charter from YAML text, with every problem at a line and column so an editor or
 * `fairdesk charter check` can point at it.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Document } from 'yaml';
import { z } from 'zod';
import { charterSchema, type Charter } from './schema.ts';
import { crossFieldProblems, type CharterPath } from './validate.ts';

/** One problem in a charter file; line and column are 1-based. */
export interface CharterError {
  line: number;
  column: number;
  /** Where in the document, e.g. `tiers[1].entitlements.targets[0].firstResponse` ("" for the whole document). */
  path: string;
  message: string;
}

export type ParseCharterResult = { ok: true; charter: Charter } | { ok: false; errors: CharterError[] };

/** `['tiers', 1, 'name']` → `tiers[1].name`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/** Where a path points in the document: the node itself, else the deepest existing parent. */
function locate(doc: Document, path: CharterPath, asKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const last = i === path.length - 1;
      const keyStart = rangeStart(pair.key);
      const valueStart = rangeStart(pair.value);
      // The key of an unknown or empty entry is the thing to point at; otherwise its value.
      if (last && (asKey || valueStart === undefined || (isScalar(pair.value) && pair.value.value === null))) {
        return keyStart ?? offset;
      }
      node = pair.value;
      offset = valueStart ?? keyStart ?? offset;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(item) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as YamlNode | null | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}

const NEED_HINT = ' — severity is set by what the customer needs (channels, tags, outage), never by customer value';

/** Whether the parsed data has a value at `path` (to tell a missing key from a wrong value). */
function present(data: unknown, path: CharterPath): boolean {
  let node: unknown = data;
  for (const seg of path) {
    if (node === null || typeof node !== 'object' || !(String(seg) in node)) return false;
    node = (node as Record<string, unknown>)[String(seg)];
  }
  return node !== undefined;
}

function issueErrors(doc: Document, data: unknown, lc: LineCounter, issue: z.core.$ZodIssue): CharterError[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const at = (p: CharterPath, message: string, asKey = false): CharterError => {
    const { line, col } = lc.linePos(locate(doc, p, asKey));
    return { line, column: col, path: formatPath(p), message };
  };
  if (issue.code === 'unrecognized_keys') {
    const hint = path[path.length - 1] === 'when' ? NEED_HINT : '';
    return issue.keys.map((k) => at([...path, k], `unknown key "${k}"${hint}`, true));
  }
  if (issue.code === 'invalid_type' && !present(data, path)) {
    return [at(path, `is required (${issue.message.replace(/^Invalid input: /, '')})`)];
  }
  return [at(path, issue.message.replace(/^Invalid input: /, ''))];
}

/**
 * Parse and validate a charter. On failure every problem is returned (YAML syntax first; if the
 * YAML is well formed, every schema issue; if the shape is right, every cross-field rule).
 * @example
 * const r = parseCharter(readFileSync('charter.yaml', 'utf8'));
 * if (!r.ok) for (const e of r.errors) console.error(`${e.line}:${e.column}: ${e.path}: ${e.message}`);
 */
export function parseCharter(text: string): ParseCharterResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return { line, column: col, path: '', message: `YAML: ${e.message.split('\n')[0]}` };
      }),
    };
  }
  const data: unknown = doc.toJS();
  const parsed = charterSchema.safeParse(data);
  const sort = (errors: CharterError[]) => errors.sort((a, b) => a.line - b.line || a.column - b.column);
  if (!parsed.success) {
    return { ok: false, errors: sort(parsed.error.issues.flatMap((i) => issueErrors(doc, data, lineCounter, i))) };
  }
  const problems = crossFieldProblems(parsed.data);
  if (problems.length > 0) {
    return {
      ok: false,
      errors: sort(
        problems.map((p) => {
          const { line, col } = lineCounter.linePos(locate(doc, p.path, false));
          return { line, column: col, path: formatPath(p.path), message: p.message };
        }),
      ),
    };
  }
  return { ok: true, charter: parsed.data };
}

/**
 * Validate a charter that is already data (e.g. stored JSON), with the same rules but no positions.
 * Returns the charter with defaults filled in, or the problems by path.
 */
export function validateCharter(value: unknown): { ok: true; charter: Charter } | { ok: false; errors: Array<{ path: string; message: string }> } {
  const parsed = charterSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({ path: formatPath(i.path.filter((p): p is string | number => typeof p !== 'symbol')), message: i.message })),
    };
  }
  const problems = crossFieldProblems(parsed.data);
  if (problems.length > 0) return { ok: false, errors: problems.map((p) => ({ path: formatPath(p.path), message: p.message })) };
  return { ok: true, charter: parsed.data };
}

/** The JSON Schema (draft 2020-12) of the charter as written, for editors (e.g. YAML language servers). */
export function charterJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(charterSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }),
    title: 'Fairdesk service charter',
  };
}
