import type { ReactNode } from 'react';

/** One column of a ReportTable: its header and what each row shows in it. */
export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** The cell names its row (`<th scope="row">`), as a table's first column usually does. */
  rowHeader?: boolean;
}

/**
 * A report's table of figures, captioned, in a focusable scrolling region named after its caption
 * (axe's scrollable-region-focusable), so a wide table scrolls on a phone instead of the page.
 */
export function ReportTable<T>({ caption, columns, rows, rowKey }: { caption: string; columns: Array<Column<T>>; rows: readonly T[]; rowKey: (row: T) => string }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={`Table: ${caption}`}>
      <table className="report-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)}>
              {columns.map((c) =>
                c.rowHeader ? (
                  <th key={c.header} scope="row">
                    {c.cell(r)}
                  </th>
                ) : (
                  <td key={c.header}>{c.cell(r)}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
