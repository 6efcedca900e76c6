import { useEffect, useId, useRef, useState, type ReactNode, type RefObject } from 'react';
import { niceMax, tickValues } from './scale.ts';

/**
 * The shared core of the report charts: horizontal bars (they keep long labels readable at a phone's
 * width), drawn as SVG with a <title> and an aria-label, a visible legend, and the same figures in a
 * table beside the chart — screen readers read the table, the chart itself is one labelled image.
 * Colours come from CSS classes (`series-N`), never a style attribute (the server's CSP forbids them).
 */

/** One series of a chart: the key into each row's values, and its name in the legend and table. */
export interface Series {
  key: string;
  label: string;
}

/** One row (a category): its label and one value per series key; null means "no data". */
export interface ChartRow {
  label: string;
  values: Record<string, number | null>;
  /** Drawn and listed as a defect (red outline, "flagged" in the table). */
  flagged?: boolean;
}

export interface ChartProps {
  /** The chart's name: the SVG's <title> and aria-label, and the table's caption. */
  title: string;
  series: Series[];
  rows: ChartRow[];
  /** Formats a value for the bar's label and the table. */
  format?: (value: number) => string;
  /** The axis maximum; by default a round number above the largest value (or total, when stacked). */
  max?: number;
  /** A reference line (e.g. the charter's promise), with its name. */
  reference?: { value: number; label: string };
  /** The table's first column heading. */
  rowHeader?: string;
  /** Counts: the axis shows whole numbers only. */
  integers?: boolean;
  /** Extra text under the chart. */
  note?: ReactNode;
}

const AXIS = 22;

/**
 * The drawing's width in CSS pixels, following its box (so text keeps its size on a phone instead of
 * shrinking with a scaled drawing). 640 until measured.
 */
function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(640);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const w = Math.round(entry?.contentRect.width ?? 0);
      if (w > 0) setWidth(Math.max(260, Math.min(w, 900)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

const plain = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/** Splits a long label so it fits beside the bars (at most two lines, the second shortened). */
function labelLines(label: string, max: number): string[] {
  if (label.length <= max) return [label];
  const cut = label.lastIndexOf(' ', max);
  const first = cut > max / 3 ? label.slice(0, cut) : label.slice(0, max);
  const rest = label.slice(first.length).trim();
  return [first, rest.length > max ? `${rest.slice(0, max - 1)}…` : rest];
}

/** Draws grouped (side by side) or stacked bars; see BarChart, GroupedBarChart and StackedBarChart. */
export function HorizontalBars({ title, series, rows, format = plain, max, reference, rowHeader = 'Group', note, integers = false, stacked }: ChartProps & { stacked: boolean }) {
  const id = useId();
  const [box, WIDTH] = useWidth();
  const LABEL = Math.min(170, Math.round(WIDTH * 0.34));
  const VALUE = Math.min(78, Math.round(WIDTH * 0.17));
  const PLOT = WIDTH - LABEL - VALUE;
  const labelChars = Math.max(8, Math.floor((LABEL - 10) / 7.5));
  const totals = rows.map((r) => series.reduce((n, s) => n + (r.values[s.key] ?? 0), 0));
  const largest = stacked ? Math.max(0, ...totals) : Math.max(0, ...rows.flatMap((r) => series.map((s) => r.values[s.key] ?? 0)));
  const wanted = niceMax(Math.max(largest, reference?.value ?? 0));
  // Whole-number axes need at least 4 (ticks 1, 2, 3, 4), and fifths of a top starting with 1.
  const top = max ?? (integers ? Math.max(4, wanted) : wanted);
  const x = (v: number) => LABEL + (Math.max(0, Math.min(v, top)) / top) * PLOT;
  const barH = stacked || series.length === 1 ? 22 : 14;
  const groupH = (stacked ? barH : barH * series.length) + 14;
  const height = AXIS + rows.length * groupH + 6;
  const ticks = tickValues(top, integers);

  return (
    <figure className="chart">
      <div className="chart-graphic" ref={box}>
        <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title`} aria-label={title} width={WIDTH} height={height} preserveAspectRatio="xMinYMin meet">
          <title id={`${id}-title`}>{title}</title>
          <g aria-hidden="true">
            {ticks.map((v) => (
              <g key={v}>
                <line className="chart-grid" x1={x(v)} x2={x(v)} y1={AXIS - 4} y2={height - 4} />
                <text className="chart-tick" x={x(v)} y={AXIS - 8} textAnchor="middle">
                  {format(v)}
                </text>
              </g>
            ))}
            {rows.map((row, i) => {
              const y0 = AXIS + i * groupH + 7;
              // A flagged row is marked by a flag symbol as well as by colour and a dashed outline.
              const lines = labelLines(row.flagged ? `⚑ ${row.label}` : row.label, labelChars);
              const mid = y0 + (groupH - 14) / 2;
              let offset = 0;
              return (
                <g key={row.label} className={row.flagged ? 'chart-row flagged' : 'chart-row'}>
                  <text className="chart-label" x={LABEL - 8} y={mid - (lines.length - 1) * 8 + 5} textAnchor="end">
                    {lines.map((line, k) => (
                      <tspan key={k} x={LABEL - 8} dy={k === 0 ? 0 : 16}>
                        {line}
                      </tspan>
                    ))}
                  </text>
                  {series.map((s, k) => {
                    const v = row.values[s.key];
                    if (stacked) {
                      const start = offset;
                      offset += v ?? 0;
                      if (!v) return null;
                      return <rect key={s.key} className={`series-${k}`} x={x(start)} y={y0} width={Math.max(0, x(start + v) - x(start))} height={barH} />;
                    }
                    const y = y0 + k * barH;
                    return (
                      <g key={s.key}>
                        {v === null || v === undefined ? (
                          <text className="chart-value muted" x={LABEL + 4} y={y + barH - 3}>
                            no data
                          </text>
                        ) : (
                          <>
                            <rect className={`series-${k}`} x={LABEL} y={y + 1} width={Math.max(v > 0 ? 1 : 0, x(v) - LABEL)} height={barH - 2} />
                            <text className="chart-value" x={x(v) + 4} y={y + barH - 3}>
                              {format(v)}
                            </text>
                          </>
                        )}
                      </g>
                    );
                  })}
                  {stacked && (
                    <text className="chart-value" x={x(totals[i]!) + 4} y={y0 + barH - 5}>
                      {format(totals[i]!)}
                    </text>
                  )}
                  {row.flagged && <rect className="chart-flag" x={LABEL - 2} y={y0 - 3} width={PLOT + VALUE - 2} height={groupH - 8} />}
                </g>
              );
            })}
            {reference && (
              <g className="chart-reference">
                <line x1={x(reference.value)} x2={x(reference.value)} y1={AXIS - 4} y2={height - 4} />
              </g>
            )}
          </g>
        </svg>
        <ul className="chart-legend" aria-label={`Legend: ${title}`}>
          {series.map((s, k) => (
            <li key={s.key}>
              <svg className="swatch" viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
                <rect className={`series-${k}`} width="12" height="12" />
              </svg>
              {s.label}
            </li>
          ))}
          {reference && (
            <li>
              <svg className="swatch" viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
                <line className="chart-reference-key" x1="6" x2="6" y1="0" y2="12" />
              </svg>
              {reference.label}: {format(reference.value)}
            </li>
          )}
          {rows.some((r) => r.flagged) && (
            <li>
              <svg className="swatch" viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
                <rect className="chart-flag" x="1" y="1" width="10" height="10" />
              </svg>
              ⚑ Flagged
            </li>
          )}
        </ul>
        {note && <div className="chart-note">{note}</div>}
      </div>
      {/* Focusable, so a keyboard can scroll it when it is wider than the screen. */}
      <div className="chart-data" tabIndex={0} role="region" aria-label={`Data: ${title}`}>
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{rowHeader}</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
              {stacked && <th scope="col">Total</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={row.label} className={row.flagged ? 'flagged' : undefined}>
                <th scope="row">
                  {row.label}
                  {row.flagged && <span className="flag-text"> (flagged)</span>}
                </th>
                {series.map((s) => {
                  const v = row.values[s.key];
                  return <td key={s.key}>{v === null || v === undefined ? '–' : format(v)}</td>;
                })}
                {stacked && <td>{format(totals[i]!)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
