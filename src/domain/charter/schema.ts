/**
 * The service charter as a tenant writes it (YAML), validated by Zod. Every object is strict, so a
 * misspelt key is an error rather than a silently ignored promise. Cross-field rules (the default
 * severity exists, tiers only shorten targets, every channel × severity has a minimum…) live in
 * `validate.ts`; this file checks shape and the format of each value.
 */
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { DURATION_PATTERN, parseDurationMinutes } from './duration.ts';

/** The channels a conversation can arrive on. */
export const CHANNELS = ['email', 'chat', 'phone', 'portal', 'social'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Weekday keys of `businessHours.weekly`, Monday first (ISO weekday 1…7). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Agent roles that may approve an exception to the charter. */
export const APPROVER_ROLES = ['lead', 'compliance', 'admin'] as const;

const id = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, "-" or "_", starting with a letter');

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'is not a real calendar date');

const duration = z
  .string()
  .regex(DURATION_PATTERN, 'must be a business-time duration such as "30m", "4h", "1h30m" or "2bd"')
  .refine((s) => !DURATION_PATTERN.test(s) || parseDurationMinutes(s, 1) > 0, 'must be longer than zero');

const channel = z.enum(CHANNELS);

const timeOfDay = '([01]\\d|2[0-3]):[0-5]\\d';
const INTERVAL = new RegExp(`^(${timeOfDay})-(${timeOfDay}|24:00)$`);

/** "HH:MM-HH:MM" on one day; "24:00" may end a day. Overnight intervals are refused: split them. */
const interval = z
  .string()
  .regex(INTERVAL, 'must be an interval "HH:MM-HH:MM", e.g. "09:00-17:30" (use "24:00" for midnight at the end)')
  .refine((s) => {
    const [a, b] = s.split('-') as [string, string];
    return a < b;
  }, 'must end after it starts; overnight intervals are not allowed — split them at midnight into two days');

const weekly = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(interval).optional()])) as Record<Weekday, z.ZodOptional<z.ZodArray<typeof interval>>>,
);

const businessHours = z.strictObject({
  timeZone: z.string().refine((tz) => IANAZone.isValidZone(tz), 'is not an IANA time zone (e.g. "Europe/London")'),
  weekly: weekly.describe('Open intervals per weekday; a missing weekday is closed all day'),
  holidays: z.array(z.strictObject({ date: isoDate, name: z.string().min(1) })).default([]),
  businessDayLength: duration
    .refine((s) => !s.includes('bd'), 'must be written in hours and minutes, e.g. "8h" or "7h30m"')
    .default('8h')
    .describe('How much business time "1bd" means in durations (default "8h"); written in m/h'),
});

/** Conditions on what the customer needs. All given conditions must hold; lists match any item. */
const severityWhen = z.strictObject({
  channels: z.array(channel).min(1).optional(),
  tags: z.array(z.string().min(1)).min(1).optional().describe('Matches when the conversation has any of these tags or topics'),
  outage: z.boolean().optional().describe('Matches when the conversation is (true) or is not (false) linked to a known outage'),
});

const severity = z.strictObject({
  id,
  description: z.string().min(1),
  when: severityWhen.optional(),
});

const minimumTarget = z.strictObject({
  channel: z.union([channel, z.literal('*')]),
  severity: z.union([id, z.literal('*')]),
  firstResponse: duration,
  resolution: duration,
});

const tierTarget = z
  .strictObject({
    channel: z.union([channel, z.literal('*')]),
    severity: z.union([id, z.literal('*')]),
    firstResponse: duration.optional(),
    resolution: duration.optional(),
  })
  .refine((t) => t.firstResponse !== undefined || t.resolution !== undefined, 'needs firstResponse, resolution or both');

/** One fact a tier looks at; exactly one key per entry. */
const fact = z
  .strictObject({
    spendLast12Months: z
      .strictObject({
        atLeastMinor: z.number().int().nonnegative().describe('In minor units, e.g. 200000 = €2,000.00'),
        currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "EUR"'),
      })
      .optional(),
    tenureYears: z.strictObject({ atLeast: z.number().positive() }).optional(),
    plan: z.strictObject({ in: z.array(z.string().min(1)).min(1) }).optional(),
  })
  .refine((f) => Object.keys(f).length === 1, 'each criterion names exactly one fact: spendLast12Months, tenureYears or plan');

const criteria = z
  .strictObject({ any: z.array(fact).min(1).optional(), all: z.array(fact).min(1).optional() })
  .refine((c) => (c.any === undefined) !== (c.all === undefined), 'give either "any" or "all" (not both)');

const tier = z.strictObject({
  id,
  name: z.string().min(1),
  criteria,
  entitlements: z.strictObject({
    targets: z.array(tierTarget).default([]),
    callback: z.boolean().default(false),
    namedTeam: z.string().min(1).optional(),
    extras: z.array(z.string().min(1)).default([]),
  }),
});

/** The whole charter document. */
export const charterSchema = z.strictObject({
  name: z.string().min(1),
  effective: isoDate.optional().describe('When this version takes effect; the server assigns version numbers'),
  changeNote: z.string().optional(),
  businessHours,
  severities: z.array(severity).min(1).describe('Most urgent first: a conversation gets the first severity whose "when" matches'),
  defaultSeverity: id.describe('The severity when no "when" rule matches'),
  minimum: z.strictObject({
    attainment: z.number().gt(0).lte(1).describe('Share of conversations whose targets the company promises to meet, e.g. 0.95'),
    channelsAlwaysOpen: z.array(channel).default([]).describe('Channels that accept contact at any hour (SLA clocks still run in business hours)'),
    targets: z.array(minimumTarget).min(1),
  }),
  tiers: z.array(tier).default([]).describe('Lowest first: a customer gets the last tier whose criteria hold'),
  exceptions: z.strictObject({
    approverRoles: z.array(z.enum(APPROVER_ROLES)).min(1),
    maxDays: z.number().int().positive(),
  }),
  repeatContact: z.strictObject({
    conversations: z.number().int().min(2),
    days: z.number().int().positive(),
  }),
  atRisk: z.number().gt(0).lt(1).default(0.75).describe('Share of a target’s business time after which a conversation is at risk'),
});

/** A validated charter (defaults filled in). */
export type Charter = z.infer<typeof charterSchema>;
/** The charter as written, before defaults. */
export type CharterInput = z.input<typeof charterSchema>;
export type Severity = Charter['severities'][number];
export type SeverityWhen = NonNullable<Severity['when']>;
export type Tier = Charter['tiers'][number];
export type TierCriterion = NonNullable<Tier['criteria']['any']>[number];
export type BusinessHours = Charter['businessHours'];
