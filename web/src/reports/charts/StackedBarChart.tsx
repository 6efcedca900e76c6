import { HorizontalBars, type ChartProps } from './chart.tsx';

/** One bar per row made of its parts end to end, the total at its end (e.g. attempts: confirmed, abandoned, other). */
export function StackedBarChart(props: Omit<ChartProps, 'reference'>) {
  return <HorizontalBars {...props} stacked />;
}
