import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, must } from '../api';
import { Confirm } from '../components/Confirm';
import { Loaded } from '../components/Status';
import { JobProgressBar } from '../jobs/Progress';
import { ACTIVE_REFETCH_MS, useJobLive } from '../jobs/live';
import { dateTime, taskOutcome } from '../lib/format';
import { isActive, jobFigures, unreleasedNote, wavesReleased } from '../lib/jobs';
import { FIRST_PAGE } from '../lib/paging';
import { Pager } from '../components/Pager';
import { devicePath, Link } from '../router';
import { useSession } from '../session';
import type { components } from '../generated/api';

type Job = components['schemas']['Job'];
type TaskStatus = components['schemas']['TaskStatus'];

const PAGE_SIZE = 50;
const STATUSES: TaskStatus[] = ['pending', 'sent', 'done', 'fault', 'expired', 'cancelled'];

export default function JobPage({ id }: { id: string }) {
  const live = useJobLive(id);
  const job = useQuery({
    queryKey: ['job', id],
    queryFn: () => must(api.GET('/jobs/{jobId}', { params: { path: { jobId: id } } })),
    refetchInterval: (q) => (q.state.data && isActive(q.state.data.status) ? ACTIVE_REFETCH_MS : false),
  });
  const title = job.data?.name ?? id;
  return (
    <>
      <p className="crumbs">
        <Link href="/jobs">Jobs</Link> / <span>{title}</span>
      </p>
      <h1>{`Job ${title}`}</h1>
      <p className="muted" role="status">
        {live === 'live' ? 'Live: figures move as tasks finish.' : 'Live updates reconnecting…'}
      </p>
      <Loaded query={job} what="the job">
        {(j) => (
          <div className="job-grid">
            <Summary job={j} />
            <Controls job={j} />
            <Results job={j} />
          </div>
        )}
      </Loaded>
    </>
  );
}

function Summary({ job }: { job: Job }) {
  const f = jobFigures(job);
  const target = job.target as { deviceIds?: string[]; tag?: string; filter?: unknown };
  const methods = (job.rpcs as { method?: string }[]).map((r) => r.method ?? '?').join(', ');
  return (
    <section className="panel" aria-labelledby="job-summary">
      <h2 id="job-summary">Progress</h2>
      <JobProgressBar job={job} label="Progress of the job" />
      <dl className="facts">
        <dt>Status</dt>
        <dd>{job.status}</dd>
        <dt>Devices</dt>
        <dd>{job.devices ?? 'being found…'}</dd>
        <dt>Devices released</dt>
        <dd>{f.released}</dd>
        <dt>Tasks running</dt>
        <dd>{f.running}</dd>
        <dt>Tasks done</dt>
        <dd>{f.done}</dd>
        <dt>Tasks faulted</dt>
        <dd>{f.faulted}</dd>
        <dt>RPC sequence</dt>
        <dd>{methods}</dd>
        <dt>Target</dt>
        <dd>{target.tag !== undefined ? `tag ${target.tag}` : target.deviceIds ? `${target.deviceIds.length} listed device(s)` : `filter ${JSON.stringify(target.filter)}`}</dd>
        {job.waveEnds && job.waveEnds.length > 0 && (
          <>
            <dt>Waves</dt>
            <dd>{waveText(job.waveEnds, job.released, job.devices ?? 0, job.status)}</dd>
          </>
        )}
        <dt>Rate limit</dt>
        <dd>{`${job.rate} devices per second${job.connectionRequest ? ', woken by connection request' : ''}`}</dd>
        <dt>Created</dt>
        <dd>{`${dateTime(job.createdAt)}${job.createdBy ? ` by ${job.createdBy}` : ''}`}</dd>
        {job.finishedAt && (
          <>
            <dt>Finished</dt>
            <dd>{dateTime(job.finishedAt)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

function waveText(ends: number[], released: number, devices: number, status: string): string {
  const w = wavesReleased(ends, released, devices);
  const next = status === 'paused' && w.released < w.of && ends.includes(released) ? '; Resume releases the next wave' : '';
  return `${w.released} of ${w.of} released (pauses after ${ends.join(', ')} of ${devices} devices)${next}`;
}

/** Pause, resume, cancel: only the buttons the role may use and the job's state allows. */
function Controls({ job }: { job: Job }) {
  const { can } = useSession();
  const queries = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const act = useMutation({
    mutationFn: (verb: 'pause' | 'resume' | 'cancel') => {
      const params = { params: { path: { jobId: job.id } } };
      return must(verb === 'pause' ? api.POST('/jobs/{jobId}/pause', params) : verb === 'resume' ? api.POST('/jobs/{jobId}/resume', params) : api.POST('/jobs/{jobId}/cancel', params));
    },
    onSuccess: (updated) => {
      queries.setQueryData(['job', job.id], updated);
      return queries.invalidateQueries({ queryKey: ['jobs'] });
    },
  });
  const open = job.status === 'planning' || job.status === 'running' || job.status === 'paused';
  const buttons = [
    can('pauseJob') && (job.status === 'planning' || job.status === 'running') && (
      <button key="pause" type="button" onClick={() => act.mutate('pause')} disabled={act.isPending}>
        Pause
      </button>
    ),
    can('resumeJob') && job.status === 'paused' && (
      <button key="resume" type="button" onClick={() => act.mutate('resume')} disabled={act.isPending}>
        Resume
      </button>
    ),
    can('cancelJob') && open && (
      <button key="cancel" type="button" className="danger" onClick={() => setConfirming(true)} disabled={act.isPending}>
        Cancel job
      </button>
    ),
  ].filter(Boolean);
  if (!buttons.length && !act.error) return null;
  return (
    <section className="panel" aria-labelledby="job-controls">
      <h2 id="job-controls">Control</h2>
      <div className="buttons">{buttons}</div>
      {act.error && (
        <p className="error" role="alert">
          {act.error.message}
        </p>
      )}
      <Confirm
        open={confirming}
        title="Cancel this job?"
        confirm="Cancel job"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          act.mutate('cancel');
        }}
      >
        <p>No further device is released and the pending tasks are cancelled; tasks already sent finish.</p>
      </Confirm>
    </section>
  );
}

/** The per-device results, a page at a time, narrowed by status. */
function Results({ job }: { job: Job }) {
  const jobId = job.id;
  const note = unreleasedNote(job);
  const [status, setStatus] = useState<TaskStatus | ''>('');
  const [trail, setTrail] = useState(FIRST_PAGE);
  const tasks = useQuery({
    queryKey: ['job-tasks', jobId, status, trail.current],
    queryFn: () => must(api.GET('/jobs/{jobId}/tasks', { params: { path: { jobId }, query: { limit: PAGE_SIZE, cursor: trail.current, ...(status ? { status } : {}) } } })),
    placeholderData: keepPreviousData,
  });
  return (
    <section className="panel wide" aria-labelledby="job-results">
      <h2 id="job-results">Results per device</h2>
      <div className="toolbar">
        <label htmlFor="result-status">Status</label>
        <select
          id="result-status"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as TaskStatus | '');
            setTrail(FIRST_PAGE);
          }}
        >
          <option value="">any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      {note && (
        <p className="muted" role="note">
          {note}
        </p>
      )}
      {tasks.error && (
        <p className="error" role="alert">
          {`Could not load the results: ${tasks.error.message}`}
        </p>
      )}
      <table className="grid" aria-label="Results per device" aria-busy={tasks.isFetching}>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">RPC</th>
            <th scope="col">Outcome</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {tasks.data?.items.map((t) => (
            <tr key={t.id} data-status={t.status}>
              <td>
                <Link href={devicePath(t.deviceId)}>{t.deviceId}</Link>
              </td>
              <td>{(t.rpc as { method?: string }).method}</td>
              <td>{t.status === 'pending' && !t.released ? 'held until the job releases it' : taskOutcome(t)}</td>
              <td>{dateTime(t.completedAt ?? t.updatedAt ?? t.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {tasks.data && !tasks.data.items.length && <p role="status">No result yet.</p>}
      <Pager label="Pages of results" trail={trail} onChange={setTrail} nextCursor={tasks.isPlaceholderData ? undefined : tasks.data?.nextCursor} />
    </section>
  );
}
