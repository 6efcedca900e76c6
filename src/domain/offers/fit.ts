/**
 * What a product declares before anyone may offer it: who it is for (target market), who it is not
 * for (exclusions), what it costs, what it gives back, which needs and situations it answers, and a
 * plain-language key-facts card. Written as YAML and validated like the charter, with line and column.
 *
 * Rules are over customer facts: kind, size, revenue, region, vulnerable, tenureMonths and
 * usage.<unit> (average units a month over the last 12 months). Each condition is one fact and one
 * predicate, e.g. `- revenue: { atLeast: 20000 }`.
 */
import { z } from 'zod';
import { parseYamlDocument, type DocError, type DocProblem } from '../yaml-document.ts';

export const FIT_FACTS = ['kind', 'size', 'revenue', 'region', 'vulnerable', 'tenureMonths'] as const;
const USAGE_FACT = /^usage\.[A-Za-z0-9_.-]{1,100}$/;

const Scalar = z.union([z.string().max(200), z.number(), z.boolean()]);
export const Predicate = z
  .strictObject({
    is: Scalar.optional(),
    in: z.array(z.union([z.string().max(200), z.number()])).min(1).max(200).optional(),
    notIn: z.array(z.union([z.string().max(200), z.number()])).min(1).max(200).optional(),
    atLeast: z.number().optional(),
    atMost: z.number().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { error: 'give at least one of is, in, notIn, atLeast, atMost' });
export type Predicate = z.infer<typeof Predicate>;

/** One fact and its predicate; the map must have exactly one key (checked across fields). */
export const Condition = z.record(z.string().max(120), Predicate);
export type Condition = z.infer<typeof Condition>;

const Unit = z.string().trim().min(1).max(100);
const Minor = z.number().int({ error: 'must be a whole number of minor units (e.g. pence)' }).min(0).max(1e12);

export const Benefit = z.strictObject({
  unit: Unit.describe('the usage unit the benefit is earned on (a feature name)'),
  valuePerUnitMinor: z.number().min(0).max(1e9).describe('what each unit of use gives back, in minor units (may be fractional: 1% cashback on spend counted in pounds is 1)'),
  capPerYearMinor: Minor.optional().describe('the most the benefit can give in a year'),
  description: z.string().trim().min(1).max(500),
});
export type Benefit = z.infer<typeof Benefit>;

export const Fees = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as GBP' }),
  yearlyMinor: Minor.default(0).describe('fixed fees a year (an annual fee, or 12 × a monthly fee)'),
  perUnitMinor: z.record(Unit, z.number().min(0).max(1e9)).default({}).describe('fees per unit of use'),
});
export type Fees = z.infer<typeof Fees>;

export const ValueMargin = z.strictObject({
  minimumMinor: Minor.default(100).describe('the expected yearly value must be at least this'),
  shareOfFees: z.number().min(0).max(10).default(0.1).describe('…and at least this share of the yearly fees'),
});

export const productFitSchema = z.strictObject({
  keyFacts: z.string().trim().min(40, { error: 'write the key-facts card in full (at least 40 characters)' }).max(5000),
  targetMarket: z.array(Condition).max(50).default([]).describe('all must hold'),
  exclusions: z.array(Condition).max(50).default([]).describe('any one excludes'),
  fees: Fees,
  benefits: z.array(Benefit).max(50).default([]),
  needs: z.array(z.string().trim().min(1).max(100)).max(50).default([]).describe('needs a customer may state that this product answers'),
  situations: z.array(z.string().trim().min(1).max(100)).max(50).default([]).describe('situations (e.g. a campaign\'s) this product answers'),
  valueMargin: ValueMargin.default({ minimumMinor: 100, shareOfFees: 0.1 }),
});
export type ProductFit = z.infer<typeof productFitSchema>;

export type ParseFitResult = { ok: true; fit: ProductFit } | { ok: false; errors: DocError[] };

export function isFact(name: string): boolean {
  return (FIT_FACTS as readonly string[]).includes(name) || USAGE_FACT.test(name);
}

const NUMERIC = new Set(['size', 'revenue', 'tenureMonths']);

/** Rules a shape cannot state: one fact per condition, known facts, sensible predicates, units once. */
export function fitProblems(fit: ProductFit): DocProblem[] {
  const problems: DocProblem[] = [];
  const add = (path: DocProblem['path'], message: string, asKey = false) => problems.push({ path, message, asKey });
  for (const list of ['targetMarket', 'exclusions'] as const) {
    fit[list].forEach((cond, i) => {
      const keys = Object.keys(cond);
      if (keys.length !== 1) {
        add([list, i], `a condition names exactly one fact (found ${keys.length === 0 ? 'none' : keys.join(', ')}); write one list item per fact`);
        return;
      }
      const fact = keys[0]!;
      const p = cond[fact]!;
      if (!isFact(fact)) {
        add([list, i, fact], `unknown fact "${fact}" (known: ${FIT_FACTS.join(', ')}, usage.<unit>)`, true);
        return;
      }
      const numeric = NUMERIC.has(fact) || fact.startsWith('usage.');
      if (!numeric && (p.atLeast !== undefined || p.atMost !== undefined)) add([list, i, fact], `"${fact}" is not a number; use is, in or notIn`);
      if (fact === 'vulnerable' && p.is !== undefined && typeof p.is !== 'boolean') add([list, i, fact, 'is'], 'vulnerable is true or false');
      if (p.atLeast !== undefined && p.atMost !== undefined && p.atLeast > p.atMost) add([list, i, fact, 'atLeast'], `atLeast ${p.atLeast} is above atMost ${p.atMost}`);
    });
  }
  const units = new Set<string>();
  fit.benefits.forEach((b, i) => {
    if (units.has(b.unit)) add(['benefits', i, 'unit'], `a second benefit on "${b.unit}"; give one per unit`);
    units.add(b.unit);
  });
  if (fit.needs.length === 0 && fit.situations.length === 0) {
    add(['needs'], 'name at least one need or situation the product answers: an offer needs a reason the customer has, not a sales target');
  }
  return problems;
}

/**
 * Parse and validate a product's fit from YAML: every problem with its line and column.
 * @example
 * const r = parseProductFit(readFileSync('business-card.fit.yaml', 'utf8'));
 * if (!r.ok) for (const e of r.errors) console.error(`${e.line}:${e.column}: ${e.path}: ${e.message}`);
 */
export function parseProductFit(text: string): ParseFitResult {
  const r = parseYamlDocument(text, { schema: productFitSchema, crossField: fitProblems });
  return r.ok ? { ok: true, fit: r.value } : r;
}
