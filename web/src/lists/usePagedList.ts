import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { api, messageOf } from '../api.ts';

/** The list shape every API list answers: a page of rows and the cursor to the next page. */
type PagedSchema = z.ZodType<{ data: unknown[]; nextCursor: string | null }>;
type ItemOf<S extends PagedSchema> = z.infer<S>['data'][number];

export interface PagedList<T> {
  /** The rows loaded so far (null while the first page loads). */
  items: T[] | null;
  /** The cursor of the next page, or null on the last. */
  cursor: string | null;
  error: string;
  loadingMore: boolean;
  /** Loads the next page and appends it ("More"). */
  more: () => Promise<void>;
}

/**
 * A keyset-paged API list: loads the first page whenever `key` changes (the filters in the address),
 * and appends the next page on `more()` by following `nextCursor`. `path(after)` builds the request for
 * the current filters; every answer is checked against `schema`, as api() does everywhere.
 */
export function usePagedList<S extends PagedSchema>(schema: S, path: (after: string | null) => string, key: string): PagedList<ItemOf<S>> {
  const [items, setItems] = useState<Array<ItemOf<S>> | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);
  // The latest path builder, so `more` follows the filters the first page was loaded with.
  const pathRef = useRef(path);
  pathRef.current = path;

  useEffect(() => {
    const ctl = new AbortController();
    setItems(null);
    setError('');
    api(schema, pathRef.current(null), { signal: ctl.signal })
      .then((page) => {
        setItems(page.data as Array<ItemOf<S>>);
        setCursor(page.nextCursor);
      })
      .catch((err: unknown) => {
        const m = messageOf(err);
        if (m) setError(m);
      });
    return () => ctl.abort();
  }, [schema, key]);

  const more = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await api(schema, pathRef.current(cursor));
      setItems((i) => [...(i ?? []), ...(page.data as Array<ItemOf<S>>)]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setLoadingMore(false);
    }
  };

  return { items, cursor, error, loadingMore, more };
}
