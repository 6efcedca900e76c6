import { useState } from 'react';

/**
 * "Download CSV": fetches a report's URL with `Accept: text/csv` (the route's own CSV) and saves it
 * as `fileName`. Every report page uses this one.
 */
export function DownloadApiCsv({ url, fileName }: { url: string; fileName: string }) {
  const [error, setError] = useState('');
  const download = async () => {
    setError('');
    try {
      const res = await fetch(url, { headers: { accept: 'text/csv' }, credentials: 'same-origin' });
      if (!res.ok) throw new Error(`the CSV could not be made (${res.status})`);
      const href = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = href;
      a.download = fileName;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'the CSV could not be made');
    }
  };
  return (
    <p className="report-actions">
      <button type="button" onClick={download}>
        Download CSV
      </button>
      {error && (
        <span role="alert" className="error">
          {' '}
          {error}
        </span>
      )}
    </p>
  );
}

/** The file name for a report's CSV: `NAME[-FROM][-to-TO].csv`. */
export const csvName = (name: string, range: { from: string; to: string }): string => `${name}${range.from ? `-${range.from}` : ''}${range.to ? `-to-${range.to}` : ''}.csv`;
