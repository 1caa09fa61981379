/** Which page a console path shows (the server answers every one with index.html). */
export type Page = { name: 'overview' } | { name: 'devices'; search: string } | { name: 'device'; id: string } | { name: 'missing'; path: string } | { name: 'firmware' } | { name: 'files' } | { name: 'admin' } | JobsPage | ProfilePage;
export type JobsPage = { name: 'jobs' } | { name: 'job-new'; query: string } | { name: 'job'; id: string };

/** The profiles list, a new profile (`/profiles/new`: the API reserves that name), one profile. */
export type ProfilePage = { name: 'profiles' } | { name: 'new-profile' } | { name: 'profile'; profile: string };

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
  const profile = profilePage(path);
  if (profile) return profile;
  return { name: 'missing', path };
}

function profilePage(path: string): Page | undefined {
  if (path === '/profiles') return { name: 'profiles' };
  if (path === '/profiles/new') return { name: 'new-profile' };
  const m = /^\/profiles\/([A-Za-z0-9][A-Za-z0-9_.-]{0,63})$/.exec(path);
  return m ? { name: 'profile', profile: m[1]! } : undefined;
}

export const profilePath = (name: string) => `/profiles/${name}`;

export const devicePath = (id: string) => `/devices/${encodeURIComponent(id)}`;

function jobsPageOf(path: string, query: string): JobsPage | undefined {
  if (path === '/jobs') return { name: 'jobs' };
  if (path === '/jobs/new') return { name: 'job-new', query };
  const job = /^\/jobs\/([0-9a-f]{24})$/.exec(path);
  return job ? { name: 'job', id: job[1]! } : undefined;
}

export const jobPath = (id: string) => `/jobs/${id}`;
