/**
 * Three pages need no routing library: the path is state, links push history entries and the
 * server answers every console path with index.html (SPA fallback).
 */
import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

export type Page = { name: 'overview' } | { name: 'devices'; search: string } | { name: 'device'; id: string } | { name: 'missing'; path: string };

export function pageOf(path: string, query: string): Page {
  if (path === '/' || path === '') return { name: 'overview' };
  if (path === '/devices') return { name: 'devices', search: new URLSearchParams(query).get('q') ?? '' };
  const device = /^\/devices\/([^/]+)$/.exec(path);
  if (device) {
    try {
      return { name: 'device', id: decodeURIComponent(device[1]!) };
    } catch {
      return { name: 'missing', path };
    }
  }
  return { name: 'missing', path };
}

export const devicePath = (id: string) => `/devices/${encodeURIComponent(id)}`;

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
