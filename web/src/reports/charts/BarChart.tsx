import { HorizontalBars, type ChartProps, type ChartRow } from './chart.tsx';

/**
 * One bar per row (e.g. the mean listening score per agent), with its table beside it.
 * `valueLabel` names the single series in the legend and the table.
 */
export function BarChart({ valueLabel, data, ...rest }: Omit<ChartProps, 'series' | 'rows'> & { valueLabel: string; data: Array<{ label: string; value: number | null; flagged?: boolean }> }) {
  const rows: ChartRow[] = data.map((d) => ({ label: d.label, values: { value: d.value }, ...(d.flagged ? { flagged: true } : {}) }));
  return <HorizontalBars {...rest} series={[{ key: 'value', label: valueLabel }]} rows={rows} stacked={false} />;
}
