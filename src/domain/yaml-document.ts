/**
 * Reading a YAML document against a Zod schema and cross-field rules, with every problem at a line
 * and column so an editor or a CLI `check` can point at it. Shared by the charter and product fits.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Document } from 'yaml';
import type { z } from 'zod';

export type DocPath = Array<string | number>;

/** One problem in a document; line and column are 1-based. */
export interface DocError {
  line: number;
  column: number;
  /** Where in the document, e.g. `tiers[1].name` ("" for the whole document). */
  path: string;
  message: string;
}

export interface DocProblem {
  path: DocPath;
  message: string;
  /** Point at the key of the last path segment rather than its value (an unknown name). */
  asKey?: boolean;
}

export type ParseDocResult<T> = { ok: true; value: T } | { ok: false; errors: DocError[] };

/** `['tiers', 1, 'name']` → `tiers[1].name`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/** Where a path points in the document: the node itself, else the deepest existing parent. */
function locate(doc: Document, path: DocPath, asKey: boolean): number {
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

/** Whether the parsed data has a value at `path` (to tell a missing key from a wrong value). */
function present(data: unknown, path: DocPath): boolean {
  let node: unknown = data;
  for (const seg of path) {
    if (node === null || typeof node !== 'object' || !(String(seg) in node)) return false;
    node = (node as Record<string, unknown>)[String(seg)];
  }
  return node !== undefined;
}

export interface YamlDocOptions<T> {
  schema: z.ZodType<T>;
  /** Rules across fields, run only when the shape is right. */
  crossField?: (value: T) => DocProblem[];
  /** Extra words for an unknown key at this path (e.g. why a key is not allowed there). */
  unknownKeyHint?: (path: DocPath) => string;
}

function issueErrors<T>(doc: Document, data: unknown, lc: LineCounter, issue: z.core.$ZodIssue, options: YamlDocOptions<T>): DocError[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const at = (p: DocPath, message: string, asKey = false): DocError => {
    const { line, col } = lc.linePos(locate(doc, p, asKey));
    return { line, column: col, path: formatPath(p), message };
  };
  if (issue.code === 'unrecognized_keys') {
    const hint = options.unknownKeyHint?.(path) ?? '';
    return issue.keys.map((k) => at([...path, k], `unknown key "${k}"${hint}`, true));
  }
  if (issue.code === 'invalid_type' && !present(data, path)) {
    return [at(path, `is required (${issue.message.replace(/^Invalid input: /, '')})`)];
  }
  return [at(path, issue.message.replace(/^Invalid input: /, ''))];
}

/**
 * Parse and validate a YAML document. On failure every problem is returned (YAML syntax first; if
 * the YAML is well formed, every schema issue; if the shape is right, every cross-field rule), sorted
 * by position.
 */
export function parseYamlDocument<T>(text: string, options: YamlDocOptions<T>): ParseDocResult<T> {
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
  const parsed = options.schema.safeParse(data);
  const sort = (errors: DocError[]) => errors.sort((a, b) => a.line - b.line || a.column - b.column);
  if (!parsed.success) {
    return { ok: false, errors: sort(parsed.error.issues.flatMap((i) => issueErrors(doc, data, lineCounter, i, options))) };
  }
  const problems = options.crossField?.(parsed.data) ?? [];
  if (problems.length > 0) {
    return {
      ok: false,
      errors: sort(
        problems.map((p) => {
          const { line, col } = lineCounter.linePos(locate(doc, p.path, p.asKey ?? false));
          return { line, column: col, path: formatPath(p.path), message: p.message };
        }),
      ),
    };
  }
  return { ok: true, value: parsed.data };
}
