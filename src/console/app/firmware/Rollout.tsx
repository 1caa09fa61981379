import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, must } from '../api';
import { Confirm } from '../components/Confirm';
import { dateTime } from '../lib/format';
import { percent, waveRows } from '../lib/firmware';
import { useSession } from '../session';
import type { components } from '../generated/api';

export type Policy = components['schemas']['FirmwarePolicy'];
type Verb = 'pause' | 'resume' | 'advance' | 'abort';

const OPERATIONS: Record<Verb, string> = { pause: 'pauseFirmwareRollout', resume: 'resumeFirmwareRollout', advance: 'advanceFirmwareRollout', abort: 'abortFirmwareRollout' };
const ALLOWED: Record<Verb, Policy['rollout']['status'][]> = { pause: ['running'], resume: ['paused'], advance: ['running', 'paused'], abort: ['running', 'paused'] };

/** One product class's rollout: its waves with progress and fault rate, and what may be done to it. */
export function Rollout({ policy, onEdit }: { policy: Policy; onEdit?: () => void }) {
  const { can } = useSession();
  const queries = useQueryClient();
  const [confirmAbort, setConfirmAbort] = useState(false);
  const pc = policy.productClass;
  const r = policy.rollout;
  const act = useMutation({
    mutationFn: (verb: Verb) => {
      const params = { params: { path: { productClass: pc } } };
      switch (verb) {
        case 'pause':
          return must(api.POST('/firmware/policies/{productClass}/pause', params));
        case 'resume':
          return must(api.POST('/firmware/policies/{productClass}/resume', { ...params, body: {} }));
        case 'advance':
          return must(api.POST('/firmware/policies/{productClass}/advance', params));
        case 'abort':
          return must(api.POST('/firmware/policies/{productClass}/abort', params));
      }
    },
    onSuccess: (p) => queries.setQueryData(['firmware', 'policies'], (old: { items: Policy[] } | undefined) => old && { items: old.items.map((x) => (x.productClass === p.productClass ? p : x)) }),
  });
  const rows = waveRows(r);
  const headingId = `rollout-${pc}`;
  const verbs = (Object.keys(OPERATIONS) as Verb[]).filter((v) => can(OPERATIONS[v]) && ALLOWED[v].includes(r.status) && (v !== 'advance' || r.wave + 1 < r.waves.length));
  return (
    <section className="panel rollout" aria-labelledby={headingId} data-status={r.status}>
      <h2 id={headingId}>
        {pc} <span className={`badge ${r.status}`}>{r.status}</span>
      </h2>
      <p>
        {`Target ${policy.target}`}
        {policy.stages.length ? ` via ${policy.stages.join(', ')}` : ''}
        {policy.floor ? `; never below ${policy.floor}` : ''}
        {`; windows: ${policy.windows.length ? policy.windows.map((w) => `${w.days?.join(',') ?? 'daily'} ${w.start}-${w.end}`).join(', ') : 'any time'}${policy.utcOffsetMinutes ? ` (UTC${policy.utcOffsetMinutes > 0 ? '+' : ''}${policy.utcOffsetMinutes / 60} h)` : ''}.`}
      </p>
      <p>
        {`Wave ${r.wave + 1} of ${r.waves.length}; ${r.population} device${r.population === 1 ? '' : 's'} to upgrade; pauses above ${percent(r.faultThreshold)} faults after ${r.minResults} result${r.minResults === 1 ? '' : 's'}.`}
        {r.reason && <strong className={r.status === 'running' ? undefined : 'error'}>{` ${r.reason}.`}</strong>}
      </p>
      <table className="grid compact">
        <caption className="sr-only">{`Waves of the ${pc} rollout`}</caption>
        <thead>
          <tr>
            <th scope="col">Wave</th>
            <th scope="col">Size</th>
            <th scope="col">Progress</th>
            <th scope="col" className="num">
              Admitted
            </th>
            <th scope="col" className="num">
              Done
            </th>
            <th scope="col" className="num">
              Faulted
            </th>
            <th scope="col" className="num">
              Fault rate
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((w, i) => (
            <tr key={i} data-wave={i + 1} aria-current={w.state === 'current' ? 'step' : undefined}>
              <th scope="row">{`${i + 1}: ${w.label}${w.state === 'current' ? ' (current)' : ''}`}</th>
              <td>{w.size}</td>
              <td>
                <progress max={100} value={Math.round(w.progress * 100)} aria-label={`Wave ${i + 1} results in`} />
              </td>
              <td className="num">{w.admitted}</td>
              <td className="num">{w.done}</td>
              <td className="num">{w.fault}</td>
              <td className={`num${w.overThreshold ? ' error' : ''}`}>{w.faultRate}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{`Revision ${policy.revision}, saved ${dateTime(policy.updatedAt)}${policy.updatedBy ? ` by ${policy.updatedBy}` : ''}.`}</p>
      {(verbs.length > 0 || onEdit) && (
        <div className="buttons">
          {verbs.includes('pause') && (
            <button type="button" onClick={() => act.mutate('pause')} disabled={act.isPending}>
              Pause
            </button>
          )}
          {verbs.includes('resume') && (
            <button type="button" onClick={() => act.mutate('resume')} disabled={act.isPending}>
              Resume
            </button>
          )}
          {verbs.includes('advance') && (
            <button type="button" onClick={() => act.mutate('advance')} disabled={act.isPending}>
              Open the next wave
            </button>
          )}
          {onEdit && (
            <button type="button" className="secondary" onClick={onEdit}>
              Edit policy
            </button>
          )}
          {verbs.includes('abort') && (
            <button type="button" className="danger" onClick={() => setConfirmAbort(true)} disabled={act.isPending}>
              Abort
            </button>
          )}
        </div>
      )}
      {act.error && (
        <p role="alert" className="error">
          {act.error.message}
        </p>
      )}
      <Confirm
        open={confirmAbort}
        title={`Abort the ${pc} rollout?`}
        confirm="Abort the rollout"
        onCancel={() => setConfirmAbort(false)}
        onConfirm={() => {
          setConfirmAbort(false);
          act.mutate('abort');
        }}
      >
        <p>No device of this class starts an upgrade any more; upgrades under way finish. Save the policy again to start a new rollout.</p>
      </Confirm>
    </section>
  );
}
