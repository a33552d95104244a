// A small client-side router: paths in the address bar, links that do not reload, and route matching.
import { useEffect, useState } from 'preact/hooks';
import { createElement, type AnchorHTMLAttributes, type ComponentChildren, type TargetedMouseEvent } from 'preact';

const listeners = new Set<() => void>();

export function navigate(to: string, replace = false): void {
  if (to === location.pathname + location.search) return;
  history[replace ? 'replaceState' : 'pushState'](null, '', to);
  window.scrollTo(0, 0);
  listeners.forEach((fn) => fn());
}

window.addEventListener('popstate', () => listeners.forEach((fn) => fn()));

/** The current path (and search); re-renders on navigation. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = () => setTick((n) => n + 1);
    listeners.add(update);
    return () => listeners.delete(update);
  }, []);
  return { path: location.pathname, search: new URLSearchParams(location.search) };
}

/** Matches "/checks/:id" against a path; the params, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; children?: ComponentChildren };

/** An <a> that navigates in place (a modified click still opens a new tab). */
export function Link(props: LinkProps) {
  const { href, onClick, ...rest } = props;
  return createElement('a', {
    ...rest,
    href,
    onClick: (event: TargetedMouseEvent<HTMLAnchorElement>) => {
      (onClick as ((e: TargetedMouseEvent<HTMLAnchorElement>) => void) | undefined)?.(event);
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(href);
    },
  });
}
