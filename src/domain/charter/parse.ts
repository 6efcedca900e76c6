/**
 * Reading a charter from YAML text, with every problem at a line and column so an editor or
 * `fairdesk charter check` can point at it.
 */
import { z } from 'zod';
import { formatPath, parseYamlDocument, type DocError } from '../yaml-document.ts';
import { charterSchema, type Charter } from './schema.ts';
import { crossFieldProblems } from './validate.ts';

export { formatPath };

/** One problem in a charter file; line and column are 1-based. */
export type CharterError = DocError;

export type ParseCharterResult = { ok: true; charter: Charter } | { ok: false; errors: CharterError[] };

const NEED_HINT = ' — severity is set by what the customer needs (channels, tags, outage), never by customer value';

/**
 * Parse and validate a charter. On failure every problem is returned (YAML syntax first; if the
 * YAML is well formed, every schema issue; if the shape is right, every cross-field rule).
 * @example
 * const r = parseCharter(readFileSync('charter.yaml', 'utf8'));
 * if (!r.ok) for (const e of r.errors) console.error(`${e.line}:${e.column}: ${e.path}: ${e.message}`);
 */
export function parseCharter(text: string): ParseCharterResult {
  const r = parseYamlDocument(text, {
    schema: charterSchema,
    crossField: crossFieldProblems,
    unknownKeyHint: (path) => (path[path.length - 1] === 'when' ? NEED_HINT : ''),
  });
  return r.ok ? { ok: true, charter: r.value } : r;
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
