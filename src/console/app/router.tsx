/**
 * Three pages need no routing library: the path is state, links push history entries and the
 * server answers every console path with index.html (SPA fallback).
 */
import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { pageOf, type Page } from './lib/pages';

export { devicePath } from './lib/pages';

const listeners = new Set<() => void>();

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((l) => l());
}

export function usePage(): Page {
  const read = () => pageOf(location.pathname, location.search);
  const [page, setPage] = useState(read);
  useEffect(() => {
    const update = () => setPage(read());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return page;
}

export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={click} {...rest} />;
}
