/** Which page a console path shows (the server answers every one with index.html). */
export type Page = { name: 'overview' } | { name: 'devices'; search: string } | { name: 'device'; id: string } | { name: 'missing'; path: string } | { name: 'firmware' } | { name: 'files' } | { name: 'admin' } | JobsPage;
export type JobsPage = { name: 'jobs' } | { name: 'job-new'; query: string } | { name: 'job'; id: string };

export function pageOf(path: string, query: string): Page {
  if (path === '/' || path === '') return { name: 'overview' };
  if (path === '/firmware') return { name: 'firmware' };
  if (path === '/files') return { name: 'files' };
  if (path === '/admin') return { name: 'admin' };
  const jobs = jobsPageOf(path, query);
  if (jobs) return jobs;
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

function jobsPageOf(path: string, query: string): JobsPage | undefined {
  if (path === '/jobs') return { name: 'jobs' };
  if (path === '/jobs/new') return { name: 'job-new', query };
  const job = /^\/jobs\/([0-9a-f]{24})$/.exec(path);
  return job ? { name: 'job', id: job[1]! } : undefined;
}

export const jobPath = (id: string) => `/jobs/${id}`;
