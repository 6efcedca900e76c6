import { HorizontalBars, type ChartProps } from './chart.tsx';

/** Several bars per row, side by side, on one scale (e.g. first-response and resolution attainment per band). */
export function GroupedBarChart(props: ChartProps) {
  return <HorizontalBars {...props} stacked={false} />;
}
