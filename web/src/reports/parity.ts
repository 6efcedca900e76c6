import type { z } from 'zod';
import type { ParityBandSchema } from '../../../src/contracts/reports.ts';

type Band = z.infer<typeof ParityBandSchema>;

/** The best and worst band by first-response attainment and the gap between them, in points (the parity page's "disparity"). */
export function disparity(bands: Band[]): { best: Band | null; worst: Band | null; gapPoints: number | null } {
  const measured = bands.filter((b) => b.firstResponseMetPct !== null);
  if (measured.length === 0) return { best: null, worst: null, gapPoints: null };
  const best = measured.reduce((a, b) => (b.firstResponseMetPct! > a.firstResponseMetPct! ? b : a));
  const worst = measured.reduce((a, b) => (b.firstResponseMetPct! < a.firstResponseMetPct! ? b : a));
  return { best, worst, gapPoints: Math.round((best.firstResponseMetPct! - worst.firstResponseMetPct!) * 10) / 10 };
}
