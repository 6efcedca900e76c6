/**
 * What a customer is entitled to under the charter, computed only from the charter's rules and
 * facts about the customer, with the reasons in plain words.
 *
 * Tiers are ranked as written: the first is the lowest, the last the highest; a customer gets the
 * last tier whose criteria hold (the validator ensures a higher tier never offers less).
 * Spend counts only in the currency a criterion names; there is no conversion.
 */
import { formatBusinessMinutes } from './duration.ts';
import { formatMoney } from './money.ts';
import { CHANNELS, type Channel, type Charter, type Tier, type TierCriterion } from './schema.ts';
import { businessDayMinutes, effectiveTargets, type TargetRule } from './targets.ts';

/** Facts the charter's tier criteria look at. */
export interface CustomerFacts {
  spendLast12Months: { amountMinor: number; currency: string };
  customerSince: Date | null;
  plan: string | null;
}

/** A customer's entitlements; `targets` holds one exact rule per channel × severity. */
export interface Entitlements {
  tier: { id: string; name: string } | null;
  targets: TargetRule[];
  callback: boolean;
  namedTeam: string | null;
  extras: string[];
  reasons: string[];
}

export interface EntitlementOptions {
  /** Locale for money and numbers in reasons (default en-GB). */
  locale?: string;
}

interface CriterionResult {
  holds: boolean;
  /** Why it holds or not, about the customer ("you spent €2,430.00 in the last 12 months"). */
  fact: string;
  /** What the tier asks for ("Plus starts at €2,000.00"). */
  threshold: string;
  /** What it asks for, without the tier name ("€2,000.00 spent in the last 12 months"). */
  need: string;
}

/** Whole years from `since` to `at` (a customer since 2020-03-10 has 6 years on 2026-03-10). */
export function tenureYears(since: Date, at: Date): number {
  let years = at.getUTCFullYear() - since.getUTCFullYear();
  const anniversary = new Date(since.getTime());
  anniversary.setUTCFullYear(since.getUTCFullYear() + years);
  if (anniversary.getTime() > at.getTime()) years -= 1;
  return Math.max(0, years);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function evaluate(c: TierCriterion, tierName: string, facts: CustomerFacts, at: Date, locale: string): CriterionResult {
  if (c.spendLast12Months) {
    const { atLeastMinor, currency } = c.spendLast12Months;
    const wanted = formatMoney(atLeastMinor, currency, locale);
    const spend = facts.spendLast12Months;
    const sameCurrency = spend.currency === currency;
    const holds = sameCurrency && spend.amountMinor >= atLeastMinor;
    const fact = sameCurrency || spend.amountMinor === 0
      ? `you spent ${formatMoney(sameCurrency ? spend.amountMinor : 0, currency, locale)} in the last 12 months`
      : `your spend is recorded in ${spend.currency} and ${tierName} counts spend in ${currency}`;
    return { holds, fact, threshold: `${tierName} starts at ${wanted}`, need: `${wanted} spent in the last 12 months` };
  }
  if (c.tenureYears) {
    const need = c.tenureYears.atLeast;
    const years = facts.customerSince ? tenureYears(facts.customerSince, at) : null;
    return {
      holds: years !== null && years >= need,
      fact: years === null ? 'we have no record of when you became a customer' : `you have been a customer for ${plural(years, 'year')}`,
      threshold: `${tierName} starts at ${plural(need, 'year')}`,
      need: `${plural(need, 'year')} as a customer`,
    };
  }
  const plans = c.plan?.in ?? [];
  const list = plans.join(', ');
  return {
    holds: facts.plan !== null && plans.includes(facts.plan),
    fact: facts.plan === null ? 'you have no plan with us' : `your plan is ${facts.plan}`,
    threshold: `${tierName} covers the plans ${list}`,
    need: `a plan among ${list}`,
  };
}

function evaluateTier(tier: Tier, facts: CustomerFacts, at: Date, locale: string): { holds: boolean; results: CriterionResult[] } {
  const list = tier.criteria.all ?? tier.criteria.any ?? [];
  const results = list.map((c) => evaluate(c, tier.name, facts, at, locale));
  const holds = tier.criteria.all ? results.every((r) => r.holds) : results.some((r) => r.holds);
  return { holds, results };
}

const CHANNEL_WORDS: Record<Channel, string> = { email: 'e-mail', chat: 'chat', phone: 'phone', portal: 'the portal', social: 'social media' };

/** "Every customer: first response within 4 business hours by e-mail, …" for the default severity. */
function minimumSentence(charter: Charter): string {
  const day = businessDayMinutes(charter);
  const sev = charter.defaultSeverity;
  const rows = effectiveTargets(charter, null).filter((t) => t.severity === sev);
  const byChannel = CHANNELS.map((ch) => rows.find((r) => r.channel === ch)).filter((r): r is TargetRule => r !== undefined);
  const parts = byChannel.map(
    (r) =>
      `${formatBusinessMinutes(r.firstResponseMinutes, day)} by ${CHANNEL_WORDS[r.channel as Channel]} (resolution within ${formatBusinessMinutes(r.resolutionMinutes, day)})`,
  );
  return `Every customer: first response within ${parts.join(', ')}, for ${sev} requests; promised for at least ${Math.round(charter.minimum.attainment * 1000) / 10}% of conversations`;
}

function nextTierSentence(tier: Tier, results: CriterionResult[], all: boolean): string {
  const missing = results.filter((r) => !r.holds);
  const needs = (all ? missing : results).map((r) => `${r.need} (${r.fact})`);
  return `Next: ${tier.name} needs ${needs.join(all ? ' and ' : ', or ')}`;
}

/**
 * The tier, targets and extras a customer is entitled to at `at`, and why.
 * @example
 * entitlementsFor(charter, { spendLast12Months: { amountMinor: 243000, currency: 'EUR' }, customerSince: null, plan: null }, now)
 * // reasons: ["Plus: you spent €2,430.00 in the last 12 months; Plus starts at €2,000.00", …]
 */
export function entitlementsFor(charter: Charter, facts: CustomerFacts, at: Date, options: EntitlementOptions = {}): Entitlements {
  const locale = options.locale ?? 'en-GB';
  const evaluated = charter.tiers.map((tier) => ({ tier, ...evaluateTier(tier, facts, at, locale) }));
  let index = -1;
  evaluated.forEach((e, i) => {
    if (e.holds) index = i;
  });
  const chosen = index >= 0 ? evaluated[index]! : null;
  const reasons: string[] = [];
  if (chosen) {
    for (const r of chosen.results.filter((x) => x.holds)) reasons.push(`${chosen.tier.name}: ${r.fact}; ${r.threshold}`);
  } else {
    reasons.push('No tier: none of the published tier criteria hold, so the minimum applies');
  }
  reasons.push(minimumSentence(charter));
  const next = evaluated[index + 1];
  if (next) reasons.push(nextTierSentence(next.tier, next.results, next.tier.criteria.all !== undefined));
  const tier = chosen?.tier ?? null;
  return {
    tier: tier ? { id: tier.id, name: tier.name } : null,
    targets: effectiveTargets(charter, tier),
    callback: tier?.entitlements.callback ?? false,
    namedTeam: tier?.entitlements.namedTeam ?? null,
    extras: tier ? [...tier.entitlements.extras] : [],
    reasons,
  };
}

/**
 * The targets every customer gets (no tier): what routing measures risk against, since the
 * minimum, not a tier, is what must never break.
 */
export function minimumTargets(charter: Charter): { targets: TargetRule[] } {
  return { targets: effectiveTargets(charter, null) };
}
