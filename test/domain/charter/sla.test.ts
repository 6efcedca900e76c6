import { describe, expect, it } from 'vitest';
import { calendarFrom } from '../../../src/domain/charter/business-hours.ts';
import { severityFor, slaStatus, targetsFor, type SlaStatus } from '../../../src/domain/charter/sla.ts';
import type { TargetRule } from '../../../src/domain/charter/targets.ts';
import { charterFrom, EXAMPLE_YAML } from './fixtures.ts';

const rule = (channel: TargetRule['channel'], severity: string, firstResponseMinutes: number): TargetRule => ({
  channel,
  severity,
  firstResponseMinutes,
  resolutionMinutes: firstResponseMinutes * 10,
});

describe('targetsFor', () => {
  const rules = [rule('*', '*', 1), rule('*', 'urgent', 2), rule('phone', '*', 3), rule('phone', 'urgent', 4)];
  it.each([
    ['exact channel + severity beats everything', 'phone', 'urgent', rules, 4],
    ['channel + "*" beats "*" + severity', 'phone', 'normal', rules, 3],
    ['"*" + severity beats "*" + "*"', 'chat', 'urgent', rules, 2],
    ['"*" + "*" is the fallback', 'chat', 'normal', rules, 1],
    ['order of rules does not matter', 'phone', 'urgent', [...rules].reverse(), 4],
    ['channel + "*" beats "*" + severity whatever the order', 'phone', 'urgent', [rule('*', 'urgent', 2), rule('phone', '*', 3)], 3],
  ] as Array<[string, string, string, TargetRule[], number]>)('%s', (_name, channel, severity, targets, expected) => {
    expect(targetsFor({ targets }, { channel, severity }).firstResponseMinutes).toBe(expected);
  });

  it('throws when nothing matches (a validated charter never lets this happen)', () => {
    expect(() => targetsFor({ targets: [rule('phone', '*', 1)] }, { channel: 'chat', severity: 'x' })).toThrow(RangeError);
  });
});

describe('slaStatus', () => {
  // Mon–Fri 09:00–17:00 in London, winter (GMT = UTC). First response 60 business minutes, resolution 480.
  const wd = ['09:00-17:00'];
  const calendar = calendarFrom({ timeZone: 'Europe/London', weekly: { mon: wd, tue: wd, wed: wd, thu: wd, fri: wd } });
  const targets = { firstResponseMinutes: 60, resolutionMinutes: 480 };
  const openedAt = new Date('2026-01-05T09:00:00Z'); // Monday 09:00
  const t = (hhmm: string, day = '2026-01-05') => new Date(`${day}T${hhmm}:00Z`);
  const status = (now: Date, firstReplyAt: Date | null = null, resolvedAt: Date | null = null): SlaStatus =>
    slaStatus({ openedAt, firstReplyAt, resolvedAt, targets, calendar, atRisk: 0.75, now });

  it('computes due times in business hours', () => {
    const s = status(t('09:10'));
    expect(s.firstResponseDueAt.toISOString()).toBe('2026-01-05T10:00:00.000Z');
    expect(s.resolutionDueAt.toISOString()).toBe('2026-01-05T17:00:00.000Z');
  });

  it.each([
    ['just opened', t('09:10'), null, null, 'on_track', 'pending', 'pending'],
    ['first response 75% used → at risk', t('09:45'), null, null, 'at_risk', 'pending', 'pending'],
    ['first response 73% used → on track', t('09:44'), null, null, 'on_track', 'pending', 'pending'],
    ['reply exactly at due time is met', t('11:00'), t('10:00'), null, 'on_track', 'met', 'pending'],
    ['first response overdue → breached', t('10:01'), null, null, 'breached', 'breached', 'pending'],
    ['late reply stays breached', t('12:00'), t('10:30'), null, 'breached', 'breached', 'pending'],
    ['replied, resolution 75% used → at risk', t('15:00'), t('09:30'), null, 'at_risk', 'met', 'pending'],
    ['both met', t('16:00'), t('09:30'), t('15:30'), 'met', 'met', 'met'],
    ['resolved late → breached', t('10:00', '2026-01-06'), t('09:30'), t('09:30', '2026-01-06'), 'breached', 'met', 'breached'],
    ['resolution overdue → breached', t('09:01', '2026-01-06'), t('09:30'), null, 'breached', 'met', 'breached'],
    ['resolved without a reply counts as the first response', t('16:00'), null, t('09:40'), 'met', 'met', 'met'],
    ['resolution exactly at its due time (closing) is not yet breached', t('17:00'), t('09:30'), null, 'at_risk', 'met', 'pending'],
  ] as const)('%s', (_name, now, firstReplyAt, resolvedAt, state, firstResponse, resolution) => {
    const s = status(now, firstReplyAt, resolvedAt);
    expect({ state: s.state, firstResponse: s.firstResponse, resolution: s.resolution }).toEqual({ state, firstResponse, resolution });
  });

  it('stops the clock overnight', () => {
    const late = new Date('2026-01-05T16:30:00Z'); // Monday 16:30: 30 minutes before closing
    const at = (iso: string) => slaStatus({ openedAt: late, firstReplyAt: null, resolvedAt: null, targets, calendar, atRisk: 0.75, now: new Date(iso) });
    expect(at('2026-01-05T23:00:00Z')).toMatchObject({ state: 'on_track', firstResponseDueAt: new Date('2026-01-06T09:30:00Z') });
    expect(at('2026-01-06T09:10:00Z').state).toBe('on_track'); // 40 of 60 minutes
    expect(at('2026-01-06T09:15:00Z').state).toBe('at_risk'); // 45 of 60
    expect(at('2026-01-06T09:31:00Z').state).toBe('breached');
  });

  it('reports the share of the target used, for routing', () => {
    expect(status(t('09:30')).riskFraction).toBe(0.5);
    expect(status(t('09:30')).businessMinutesElapsed).toBe(30);
    expect(status(t('16:00'), t('09:30'), t('15:00')).riskFraction).toBe(0);
  });
});

describe('severityFor', () => {
  const charter = charterFrom(EXAMPLE_YAML);
  it.each([
    [{ channel: 'phone', tags: [], outage: true }, 'outage'],
    [{ channel: 'email', tags: ['slow-speed'] }, 'fault'],
    [{ channel: 'email', tags: ['Slow-Speed'] }, 'fault'],
    [{ channel: 'chat', tags: ['billing', 'fault'] }, 'fault'], // most urgent listed first wins
    [{ channel: 'chat', tags: ['medical-dependency'] }, 'vulnerable'],
    [{ channel: 'portal', tags: ['refund'] }, 'billing'],
    [{ channel: 'social', tags: ['vip', 'high-value'] }, 'general'], // value-like tags carry no weight
    [{ channel: 'email', tags: [] }, 'general'],
  ] as const)('%j → %s', (need, severity) => {
    expect(severityFor(charter, { ...need, tags: [...need.tags] })).toBe(severity);
  });
});
