import { useEffect, useRef, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

/**
 * A very small router over the History API: the app has a dozen pages (APP_PATHS), so a library
 * would be more code than the problem. `navigate` pushes a path; `useLocation` re-renders on change.
 */
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
window.addEventListener('popstate', notify);

let snapshot = { pathname: location.pathname, search: location.search, state: history.state as unknown };
function read() {
  if (snapshot.pathname !== location.pathname || snapshot.search !== location.search || snapshot.state !== history.state) {
    snapshot = { pathname: location.pathname, search: location.search, state: history.state as unknown };
  }
  return snapshot;
}

export function navigate(to: string, options: { replace?: boolean; state?: unknown } = {}): void {
  if (options.replace) history.replaceState(options.state ?? null, '', to);
  else history.pushState(options.state ?? null, '', to);
  notify();
}

export function useLocation(): { pathname: string; search: string; state: unknown } {
  return useSyncExternalStore((l) => (listeners.add(l), () => listeners.delete(l)), read);
}

export function useQuery(): URLSearchParams {
  return new URLSearchParams(useLocation().search);
}

/** Matches "/inbox/:id" against a path; returns the parameters or null. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = pathname.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = decodeURIComponent(got[i]!);
    if (w.startsWith(':')) params[w.slice(1)] = g;
    else if (w !== g) return null;
  }
  return params;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; children: ReactNode };

/** An ordinary link (works with a middle click, a new tab, a screen reader) that navigates in place. */
export function Link({ to, children, onClick, ...rest }: LinkProps) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={handle} {...rest}>
      {children}
    </a>
  );
}

/**
 * A page's main heading. Sets the document title and takes focus when the page opens, so a screen
 * reader announces the new page and the keyboard continues from its top.
 */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = title;
    ref.current?.focus({ preventScroll: false });
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
