/** Which page a console path shows (the server answers every one with index.html). */
export type Page = { name: 'overview' } | { name: 'devices'; search: string } | { name: 'device'; id: string } | { name: 'missing'; path: string } | { name: 'firmware' } | { name: 'files' };

export function pageOf(path: string, query: string): Page {
  if (path === '/' || path === '') return { name: 'overview' };
  if (path === '/firmware') return { name: 'firmware' };
  if (path === '/files') return { name: 'files' };
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
