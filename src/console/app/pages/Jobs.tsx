import { useRef, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, must } from '../api';
import { JobProgressBar } from '../jobs/Progress';
import { ACTIVE_REFETCH_MS, useJobLive } from '../jobs/live';
import { age } from '../lib/format';
import { finishingRate, isActive, jobFigures, type Sample } from '../lib/jobs';
import { jobPath } from '../lib/pages';
import { FIRST_PAGE } from '../lib/paging';
import { Pager } from '../components/Pager';
import { Link } from '../router';
import { useSession } from '../session';

const PAGE_SIZE = 25;

/** Jobs, newest first, with figures that move as their tasks finish. */
export default function Jobs() {
  const { can } = useSession();
  const [trail, setTrail] = useState(FIRST_PAGE);
  const live = useJobLive();
  const jobs = useQuery({
    queryKey: ['jobs', trail.current],
    queryFn: () => must(api.GET('/jobs', { params: { query: { limit: PAGE_SIZE, cursor: trail.current } } })),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((j) => isActive(j.status)) ? ACTIVE_REFETCH_MS : false),
  });
  // The previous reading of each job, for its finishing rate.
  const samples = useRef(new Map<string, { last: Sample; rate: number | null }>());
  const rateOf = (id: string, finished: number) => {
    const now = { at: jobs.dataUpdatedAt, finished };
    const seen = samples.current.get(id);
    if (seen && seen.last.at === now.at) return seen.rate;
    const rate = seen ? finishingRate(seen.last, now) : null;
    samples.current.set(id, { last: now, rate });
    return rate;
  };
  return (
    <>
      <h1>Jobs</h1>
      <p className="muted" role="status">
        {live === 'live' ? 'Live: figures move as tasks finish.' : 'Live updates reconnecting…'}
      </p>
      {can('createJob') && (
        <p>
          <Link href="/jobs/new" className="button">
            New job
          </Link>{' '}
          <span className="hint">or start one from a selection or search on the Devices page.</span>
        </p>
      )}
      {jobs.error && (
        <p className="error" role="alert">
          {`Could not load the jobs: ${jobs.error.message}`}
        </p>
      )}
      <div className="table-wrap">
        <table className="grid jobs" aria-label="Jobs" aria-busy={jobs.isFetching}>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col" className="num">Devices</th>
              <th scope="col" className="num">Released</th>
              <th scope="col" className="num">Tasks running</th>
              <th scope="col" className="num">Tasks done</th>
              <th scope="col" className="num">Tasks faulted</th>
              <th scope="col" className="num">Tasks per second</th>
              <th scope="col" className="num">Rate limit (devices)</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {jobs.data?.items.map((job) => {
              const f = jobFigures(job);
              const rate = rateOf(job.id, f.finished);
              const title = job.name ?? job.id;
              return (
                <tr key={job.id} data-status={job.status}>
                  <td>
                    <Link href={jobPath(job.id)}>{title}</Link>
                  </td>
                  <td>{job.status}</td>
                  <td>
                    <JobProgressBar job={job} label={`Progress of ${title}`} />
                  </td>
                  <td className="num">{job.devices ?? '…'}</td>
                  <td className="num">{f.released}</td>
                  <td className="num">{f.running}</td>
                  <td className="num">{f.done}</td>
                  <td className="num">{f.faulted}</td>
                  <td className="num">{rate === null ? '—' : rate.toFixed(1)}</td>
                  <td className="num">{`${job.rate}/s`}</td>
                  <td title={job.createdAt}>{`${age(job.createdAt)}${job.createdBy ? ` by ${job.createdBy}` : ''}`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {jobs.data && !jobs.data.items.length && <p role="status">No job yet.</p>}
        {jobs.isPending && <p role="status">Loading the jobs…</p>}
      </div>
      <Pager label="Pages of jobs" trail={trail} onChange={setTrail} nextCursor={jobs.isPlaceholderData ? undefined : jobs.data?.nextCursor} />
    </>
  );
}
