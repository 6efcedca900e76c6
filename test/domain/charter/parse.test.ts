import { describe, expect, it } from 'vitest';
import { charterJsonSchema, parseCharter, validateCharter } from '../../../src/domain/charter/parse.ts';
import { charterFrom, EXAMPLE_YAML, MINIMAL_YAML } from './fixtures.ts';

/** Replace one exact line fragment of the minimal charter (must occur once). */
function edit(from: string, to: string, text = MINIMAL_YAML): string {
  expect(text.split(from).length, `"${from}" occurs once`).toBe(2);
  return text.replace(from, to);
}

function errorsOf(text: string) {
  const r = parseCharter(text);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

describe('parseCharter', () => {
  it('accepts the Northwind example and the minimal charter, filling defaults', () => {
    const northwind = charterFrom(EXAMPLE_YAML);
    expect(northwind.name).toBe('Northwind Broadband service charter');
    expect(northwind.tiers.map((t) => t.id)).toEqual(['loyal', 'plus', 'business']);
    const minimal = charterFrom(MINIMAL_YAML);
    expect(minimal.atRisk).toBe(0.75);
    expect(minimal.businessHours.businessDayLength).toBe('8h');
    expect(minimal.minimum.channelsAlwaysOpen).toEqual([]);
  });

  it.each([
    {
      name: 'a bad time zone',
      text: edit('timeZone: Europe/London', 'timeZone: Europe/Londn'),
      expected: [{ line: 3, column: 13, path: 'businessHours.timeZone', message: expect.stringContaining('IANA time zone') }],
    },
    {
      name: 'an unknown key (pointing at the key)',
      text: edit('  maxDays: 30', '  maxDays: 30\n  maxDayz: 31'),
      expected: [{ line: 39, column: 3, path: 'exceptions.maxDayz', message: 'unknown key "maxDayz"' }],
    },
    {
      name: 'a wrong type',
      text: edit('  attainment: 0.95', '  attainment: "most"'),
      expected: [{ line: 20, column: 15, path: 'minimum.attainment', message: 'expected number, received string' }],
    },
    {
      name: 'a tier with a longer target than the minimum',
      text: edit('firstResponse: 2h }', 'firstResponse: 6h }'),
      expected: [
        {
          line: 34,
          column: 57,
          path: 'tiers[0].entitlements.targets[0].firstResponse',
          message: expect.stringMatching(/^Plus's first response 6h is longer than the minimum for email × urgent .*a tier may only shorten targets$/),
        },
      ],
    },
    {
      name: 'a YAML syntax error',
      text: edit('    description: Service down', '    description: Service down: again'),
      expected: [{ line: 14, column: 18, path: '', message: 'YAML: Nested mappings are not allowed in compact mappings' }],
    },
    {
      name: 'a missing key (pointing at its parent)',
      text: edit('  conversations: 3\n', ''),
      expected: [{ line: 40, column: 3, path: 'repeatContact.conversations', message: expect.stringContaining('is required') }],
    },
    {
      name: 'an unknown default severity',
      text: edit('defaultSeverity: normal', 'defaultSeverity: routine'),
      expected: [{ line: 18, column: 18, path: 'defaultSeverity', message: '"routine" is not one of the severities ("urgent", "normal")' }],
    },
    {
      name: 'an overnight interval',
      text: edit('    fri: ["09:00-17:00"]', '    fri: ["22:00-02:00"]'),
      expected: [{ line: 9, column: 11, path: 'businessHours.weekly.fri[0]', message: expect.stringContaining('overnight intervals are not allowed') }],
    },
    {
      name: 'a severity rule over customer value',
      text: edit('    when: { outage: true }', '    when: { spendAtLeast: 100000 }'),
      expected: [{ line: 15, column: 13, path: 'severities[0].when.spendAtLeast', message: expect.stringContaining('never by customer value') }],
    },
    {
      name: 'a target for an unknown severity',
      text: edit('severity: urgent, firstResponse: 1h', 'severity: urgnt, firstResponse: 1h'),
      expected: [{ line: 24, column: 33, path: 'minimum.targets[2].severity', message: expect.stringContaining('unknown severity "urgnt"') }],
    },
    {
      name: 'a bad duration',
      text: edit('resolution: 2bd }', 'resolution: 2 days }'),
      expected: [{ line: 23, column: 72, path: 'minimum.targets[1].resolution', message: expect.stringContaining('business-time duration') }],
    },
  ])('reports $name at its line and column', ({ text, expected }) => {
    expect(errorsOf(text)).toEqual(expected);
  });

  it('reports every channel × severity without a minimum target', () => {
    const text = edit('    - { channel: "*", severity: "*", firstResponse: 4h, resolution: 3bd }\n', '');
    const errors = errorsOf(text).filter((e) => e.path === 'minimum.targets');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 22, column: 5, path: 'minimum.targets' });
    expect(errors[0]!.message).toContain('email × normal, chat × normal, portal × normal, social × normal');
  });

  it('refuses a calendar with no open hours', () => {
    const text = MINIMAL_YAML.replace(/ {4}(mon|tue|wed|thu|fri): \["09:00-17:00"\]\n/g, '').replace('  weekly:\n', '  weekly: {}\n');
    expect(errorsOf(text)).toEqual([expect.objectContaining({ line: 4, path: 'businessHours.weekly', message: expect.stringContaining('no open hours') })]);
  });

  it('refuses a higher tier that offers less than a lower one', () => {
    const text = MINIMAL_YAML.replace(
      'exceptions:',
      `  - id: gold
    name: Gold
    criteria: { all: [{ spendLast12Months: { atLeastMinor: 500000, currency: EUR } }] }
    entitlements: { targets: [{ channel: "*", severity: "*", firstResponse: 3h }] }
exceptions:`,
    );
    const messages = errorsOf(text).map((e) => `${e.path}: ${e.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^tiers\[1\]\.entitlements: Gold is listed above Plus but drops its callback/),
      expect.stringMatching(/^tiers\[1\]\.entitlements\.targets: Gold is listed above Plus but has longer targets for email × normal/),
    ]);
  });

  it('lists every problem, sorted by position', () => {
    const text = edit('timeZone: Europe/London', 'timeZone: Mars/Olympus', edit('  maxDays: 30', '  maxDays: -1'));
    expect(errorsOf(text).map((e) => e.path)).toEqual(['businessHours.timeZone', 'exceptions.maxDays']);
  });

  it('reports an empty document at line 1', () => {
    expect(errorsOf('')).toEqual([expect.objectContaining({ line: 1, column: 1, path: '' })]);
  });
});

describe('validateCharter', () => {
  it('checks stored data with the same rules', () => {
    const charter = charterFrom(MINIMAL_YAML);
    expect(validateCharter(JSON.parse(JSON.stringify(charter)))).toEqual({ ok: true, charter });
    expect(validateCharter({ ...charter, defaultSeverity: 'nope' })).toMatchObject({ ok: false, errors: [{ path: 'defaultSeverity' }] });
  });
});

describe('charterJsonSchema', () => {
  it('is draft 2020-12, strict, and describes the document', () => {
    const schema = charterJsonSchema() as { $schema: string; additionalProperties: boolean; required: string[]; properties: Record<string, unknown> };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'businessHours', 'severities', 'defaultSeverity', 'minimum', 'exceptions', 'repeatContact']));
    expect(schema.required).not.toContain('atRisk');
    expect(Object.keys(schema.properties)).toContain('tiers');
  });
});
