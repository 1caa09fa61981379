import { StrictMode, Suspense, lazy, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from './api';
import { SessionProvider, useSession } from './session';
import { Link, usePage } from './router';
import { SignIn } from './pages/SignIn';
import Overview from './pages/Overview';
import './styles.css';

// Pages load on first use, except the overview: the first page after sign-in is in the entry
// chunk, because a lazy page shows the Suspense fallback first and React holds a revealed
// fallback for up to 300 ms, which was a third of the overview's load time.
const Devices = lazy(() => import('./pages/Devices'));
const DevicePage = lazy(() => import('./pages/Device'));
const Firmware = lazy(() => import('./pages/Firmware'));
const Files = lazy(() => import('./pages/Files'));
const Administration = lazy(() => import('./pages/Administration'));
const Jobs = lazy(() => import('./pages/Jobs'));
const JobNew = lazy(() => import('./pages/JobNew'));
const JobPage = lazy(() => import('./pages/Job'));
const Profiles = lazy(() => import('./pages/Profiles'));
const ProfilePage = lazy(() => import('./pages/Profile'));
const NewProfile = lazy(() => import('./pages/Profile').then((m) => ({ default: m.NewProfile })));

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
    },
  },
});

function Shell() {
  const { user, signOut, can } = useSession();
  const page = usePage();
  useEffect(() => {
    const titles = { overview: 'Overview', devices: 'Devices', device: 'Device', missing: 'Not found', firmware: 'Firmware', files: 'Files', admin: 'Administration', jobs: 'Jobs', 'job-new': 'New job', job: 'Job', profiles: 'Profiles', 'new-profile': 'New profile', profile: 'Profile' } as const;
    const named = page.name === 'device' ? page.id : page.name === 'profile' ? `Profile ${page.profile}` : titles[page.name];
    document.title = user ? `${named} · ACS console` : 'Sign in · ACS console';
  }, [page, user]);
  if (!user) return <SignIn />;
  const current = (name: string) =>
    page.name === name || (name === 'devices' && page.name === 'device') || (name === 'jobs' && page.name.startsWith('job')) || (name === 'profiles' && (page.name === 'profile' || page.name === 'new-profile')) ? 'page' : undefined;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">ACS console</span>
        <nav aria-label="Main">
          <Link href="/" aria-current={current('overview')}>
            Overview
          </Link>
          <Link href="/devices" aria-current={current('devices')}>
            Devices
          </Link>
          <Link href="/jobs" aria-current={current('jobs')}>
            Jobs
          </Link>
          <Link href="/profiles" aria-current={current('profiles')}>
            Profiles
          </Link>
          <Link href="/firmware" aria-current={current('firmware')}>
            Firmware
          </Link>
          <Link href="/files" aria-current={current('files')}>
            Files
          </Link>
          {can('listUsers') && (
            <Link href="/admin" aria-current={current('admin')}>
              Administration
            </Link>
          )}
        </nav>
        <span className="who">
          {user.name} ({user.role})
          <button type="button" className="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p role="status">Loading…</p>}>
          {page.name === 'overview' && <Overview />}
          {page.name === 'devices' && <Devices initialSearch={page.search} />}
          {page.name === 'device' && <DevicePage key={page.id} id={page.id} />}
          {page.name === 'jobs' && <Jobs />}
          {page.name === 'job-new' && <JobNew query={page.query} />}
          {page.name === 'job' && <JobPage key={page.id} id={page.id} />}
          {page.name === 'firmware' && <Firmware />}
          {page.name === 'files' && <Files />}
          {page.name === 'admin' && <Administration />}
          {page.name === 'profiles' && <Profiles />}
          {page.name === 'new-profile' && <NewProfile />}
          {page.name === 'profile' && <ProfilePage key={page.profile} name={page.profile} />}
          {page.name === 'missing' && (
            <>
              <h1>Not found</h1>
              <p>
                Nothing at <code>{page.path}</code>. <Link href="/">Back to the overview</Link>
              </p>
            </>
          )}
        </Suspense>
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
