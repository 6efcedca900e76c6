import { readFileSync } from 'node:fs';
import { parseCharter } from '../../../src/domain/charter/parse.ts';
import type { Charter } from '../../../src/domain/charter/schema.ts';

/** The minimal test charter's text (test/fixtures/charter/minimal.yaml). */
export const MINIMAL_YAML = readFileSync(new URL('../../fixtures/charter/minimal.yaml', import.meta.url), 'utf8');
export const EXAMPLE_YAML = readFileSync(new URL('../../../examples/charter.yaml', import.meta.url), 'utf8');

/** Parse YAML that must be valid, failing loudly with its errors otherwise. */
export function charterFrom(text: string): Charter {
  const r = parseCharter(text);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`).join('\n'));
  return r.charter;
}
