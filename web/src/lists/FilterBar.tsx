import type { FormEvent, ReactNode } from 'react';
import { navigate, useLocation, useQuery } from '../router.tsx';
import type { PagedList } from './usePagedList.ts';
import './lists.css';

/**
 * The filters of a list page, read from the address (`?status=…&from=…`): each name's value (empty
 * when absent) and a key that changes whenever any of them does (reload the list on it).
 */
export function useFilters<K extends string>(names: readonly K[]): { filter: Record<K, string>; key: string } {
  const query = useQuery();
  const filter = Object.fromEntries(names.map((k) => [k, query.get(k) ?? ''])) as Record<K, string>;
  return { filter, key: names.map((k) => filter[k]).join('|') };
}

/**
 * A filter form whose "Show" puts the named fields' non-empty values in the address (so a filtered
 * list can be linked and survives a reload); the page reloads its list from there. `filterKey`
 * remounts the form when the address changes, so its fields show the filters in force.
 */
export function FilterBar({ names, label, filterKey, children }: { names: readonly string[]; label: string; filterKey: string; children: ReactNode }) {
  const { pathname } = useLocation();
  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const q = new URLSearchParams();
    for (const k of names) {
      const v = String(data.get(k) ?? '').trim();
      if (v) q.set(k, v);
    }
    const s = q.toString();
    navigate(`${pathname}${s ? `?${s}` : ''}`);
  };
  return (
    <form className="filter-bar" onSubmit={apply} aria-label={label} key={filterKey}>
      {children}
      <button type="submit">Show</button>
    </form>
  );
}

/**
 * What a paged list shows around its rows: the error, "Loading…", "No … matches.", the count shown
 * ("3 entries shown, more to load") and the "More" button. `children` renders the rows loaded so far.
 */
export function PagedListView<T>({ list, noun, children }: { list: PagedList<T>; noun: [one: string, many: string]; children: (items: T[]) => ReactNode }) {
  const { items, cursor, error, loadingMore, more } = list;
  return (
    <>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!items ? (
        !error && <p role="status">Loading…</p>
      ) : items.length === 0 ? (
        <p role="status">No {noun[0]} matches.</p>
      ) : (
        <>
          <p role="status" className="muted">
            {items.length} {items.length === 1 ? noun[0] : noun[1]} shown{cursor ? ', more to load' : ''}.
          </p>
          {children(items)}
          {cursor && (
            <button type="button" onClick={more} disabled={loadingMore}>
              More
            </button>
          )}
        </>
      )}
    </>
  );
}

/** The "From" and "To" date fields of a filter bar (whole days; the page turns them into the API's range). */
export function DateRangeFields({ from, to, labels = ['From', 'To'] }: { from: string; to: string; labels?: [string, string] }) {
  return (
    <>
      <label>
        {labels[0]}
        <input type="date" name="from" defaultValue={from} />
      </label>
      <label>
        {labels[1]}
        <input type="date" name="to" defaultValue={to} />
      </label>
    </>
  );
}

/** A filter that arrives by link (a record's or customer's id): shown only while it is in force, so it can be cleared. */
export function LinkedIdField({ label, name, value }: { label: string; name: string; value: string }) {
  if (!value) return null;
  return (
    <label>
      {label}
      <input name={name} defaultValue={value} />
    </label>
  );
}
