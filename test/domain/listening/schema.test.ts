/**
 * Real analyses validate against schemas/listening-output.schema.json. A tiny checker for the
 * subset of JSON Schema the file uses (type, enum, required, additionalProperties, items,
 * minimum/maximum, minItems, uniqueItems) — enough to pin the shape without a validator library.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeConversation, FINDING_TYPES, LABELS } from '../../../src/domain/listening/index.ts';
import { agent, customer, system } from './helpers.ts';

type Schema = {
  type?: string | string[]; enum?: unknown[]; required?: string[]; properties?: Record<string, Schema>;
  additionalProperties?: boolean; items?: Schema; minimum?: number; maximum?: number; minItems?: number; uniqueItems?: boolean;
};

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

function validate(s: Schema, v: unknown, path = '$'): string[] {
  const errs: string[] = [];
  if (s.type !== undefined) {
    const allowed = Array.isArray(s.type) ? s.type : [s.type];
    const t = typeOf(v);
    if (!allowed.includes(t) && !(t === 'integer' && allowed.includes('number'))) return [`${path}: ${t} not ${allowed.join('|')}`];
  }
  if (s.enum !== undefined && !s.enum.includes(v)) errs.push(`${path}: ${String(v)} not in enum`);
  if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum) errs.push(`${path}: < ${s.minimum}`);
    if (s.maximum !== undefined && v > s.maximum) errs.push(`${path}: > ${s.maximum}`);
  }
  if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems) errs.push(`${path}: fewer than ${s.minItems} items`);
    if (s.uniqueItems === true && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) errs.push(`${path}: duplicate items`);
    if (s.items !== undefined) v.forEach((x, i) => errs.push(...validate(s.items as Schema, x, `${path}[${i}]`)));
  } else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const r of s.required ?? []) if (!(r in o)) errs.push(`${path}: missing ${r}`);
    for (const [k, x] of Object.entries(o)) {
      const p = s.properties?.[k];
      if (p !== undefined) errs.push(...validate(p, x, `${path}.${k}`));
      else if (s.additionalProperties === false) errs.push(`${path}: unexpected ${k}`);
    }
  }
  return errs;
}

const schema = JSON.parse(readFileSync(new URL('../../../schemas/listening-output.schema.json', import.meta.url), 'utf8')) as Schema & { $schema: string };

describe('listening output schema', () => {
  it('is draft 2020-12 and names every label and finding type', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(new Set(schema.properties?.messages?.items?.properties?.labels?.items?.enum)).toEqual(new Set(LABELS));
    expect(schema.properties?.findings?.items?.properties?.type?.enum).toEqual([...FINDING_TYPES]);
  });

  it.each([
    ['a sales conversation', [agent('Would you like to donate today?', 'ann'), customer('No thanks.'), agent('How much would you like to donate?', 'ann')]],
    ['a cancellation', [customer('I want to cancel my account.'), agent('We can offer you a discount!'), system('transferred')]],
    ['empty', []],
    ['a customer only', [customer('Where is my order?')]],
  ])('validates %s', (_n, messages) => {
    const out = analyzeConversation({ id: 'c1', messages });
    expect(validate(schema, out)).toEqual([]);
  });

  it('the checker rejects a wrong shape', () => {
    expect(validate(schema, { id: 1, messages: [], findings: [], listeningScore: 101 }).length).toBeGreaterThan(0);
  });
});
