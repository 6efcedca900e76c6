/** Raw figures for one customer value band, as the report query returns them. */
export interface BandFigures {
  /** 0 = no spend; 1..5 = spend quintiles, lowest to highest. */
  band: number;
  conversations: number;
  firstResponseMet: number;
  /** Conversations whose first-response target has been decided (replied, or due time passed). */
  firstResponseDecided: number;
  resolutionMet: number;
  resolutionDecided: number;
  medianFirstResponseMinutes: number | null;
  p90FirstResponseMinutes: number | null;
  exceptions: number;
  /** Conversations linked to a repeat-contact (root-cause) case: contact that something broken caused. */
  failureDemand: number;
  minSpendMinor: number | null;
  maxSpendMinor: number | null;
}

export interface ParityBand {
  band: number;
  label: string;
  spendRangeMinor: { min: number; max: number } | null;
  conversations: number;
  firstResponseMetPct: number | null;
  resolutionMetPct: number | null;
  medianFirstResponseMinutes: number | null;
  p90FirstResponseMinutes: number | null;
  exceptions: number;
  failureDemand: number;
  flagged: boolean;
  flags: string[];
}

/** How far below the best band a band may fall before it is flagged, in percentage points. */
export const PARITY_GAP_POINTS = 5;

/** The value bands' names, by band number (0 = no spend, 1..5 = spend quintiles). */
export const LABELS = ['No spend', 'Lowest fifth', 'Second fifth', 'Middle fifth', 'Fourth fifth', 'Highest fifth'];

const pct = (met: number, decided: number): number | null => (decided === 0 ? null : Math.round((1000 * met) / decided) / 10);

/**
 * Turns band figures into the parity report: attainment of the MINIMUM commitments per value band,
 * flagging a band whose attainment is below what the charter promises, or more than
 * PARITY_GAP_POINTS below the best band — the minimum must hold for the lowest band as for the highest.
 */
export function parityBands(figures: BandFigures[], promisedAttainment: number): ParityBand[] {
  const bands = figures.map((f) => ({
    f,
    fr: pct(f.firstResponseMet, f.firstResponseDecided),
    res: pct(f.resolutionMet, f.resolutionDecided),
  }));
  const best = (pick: (b: (typeof bands)[number]) => number | null): number | null => {
    const values = bands.map(pick).filter((v): v is number => v !== null);
    return values.length === 0 ? null : Math.max(...values);
  };
  const bestFr = best((b) => b.fr);
  const bestRes = best((b) => b.res);
  const promised = Math.round(promisedAttainment * 1000) / 10;
  return bands.map(({ f, fr, res }) => {
    const flags: string[] = [];
    const check = (name: string, value: number | null, bestValue: number | null) => {
      if (value === null) return;
      if (value < promised) flags.push(`${name} met for ${value}%, below the ${promised}% the charter promises`);
      if (bestValue !== null && bestValue - value > PARITY_GAP_POINTS) {
        flags.push(`${name} met for ${value}%, ${Math.round((bestValue - value) * 10) / 10} points below the best band (${bestValue}%)`);
      }
    };
    check('first response', fr, bestFr);
    check('resolution', res, bestRes);
    return {
      band: f.band,
      label: LABELS[f.band] ?? `Band ${f.band}`,
      spendRangeMinor: f.minSpendMinor === null || f.maxSpendMinor === null ? null : { min: f.minSpendMinor, max: f.maxSpendMinor },
      conversations: f.conversations,
      firstResponseMetPct: fr,
      resolutionMetPct: res,
      medianFirstResponseMinutes: f.medianFirstResponseMinutes,
      p90FirstResponseMinutes: f.p90FirstResponseMinutes,
      exceptions: f.exceptions,
      failureDemand: f.failureDemand,
      flagged: flags.length > 0,
      flags,
    };
  });
}
