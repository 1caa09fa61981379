import { useQuery } from '@tanstack/react-query';
import { api, must } from '../api';
import { age } from '../lib/format';

/** The ACS's own health, refreshed every 10 s: roles and readiness, queue depths, session rate. */
export function Health() {
  const health = useQuery({ queryKey: ['admin-health'], queryFn: () => must(api.GET('/admin/health')), refetchInterval: 10_000 });
  const h = health.data;
  return (
    <section className="panel" aria-labelledby="health-title">
      <h2 id="health-title">Health</h2>
      {health.error && <p className="error" role="alert">{health.error.message}</p>}
      {h && (
        <>
          <dl className="figures">
            <div className="figure">
              <dt>Device sessions per minute</dt>
              <dd>{h.sessions.perMinute}</dd>
            </div>
            <div className="figure">
              <dt>Devices in the last hour</dt>
              <dd>{h.sessions.lastHour}</dd>
            </div>
          </dl>
          <h3>Roles</h3>
          <table className="grid compact">
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col" className="num">Processes</th>
                <th scope="col">Readiness</th>
              </tr>
            </thead>
            <tbody>
              {h.roles.map((r) => (
                <tr key={r.role}>
                  <th scope="row">{r.role}</th>
                  <td className="num">{r.processes}</td>
                  <td>{r.processes === 0 ? <span className="badge">not running</span> : r.ready === r.processes ? <span className="badge done">ready</span> : <span className="badge fault">{`${r.processes - r.ready} of ${r.processes} not ready`}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Queues</h3>
          <table className="grid compact">
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col" className="num">Waiting</th>
                <th scope="col" className="num">Active</th>
                <th scope="col" className="num">Delayed</th>
                <th scope="col" className="num">Failed</th>
              </tr>
            </thead>
            <tbody>
              {h.queues.map((q) => (
                <tr key={q.name}>
                  <th scope="row">{q.name}</th>
                  <td className="num">{q.waiting}</td>
                  <td className="num">{q.active}</td>
                  <td className="num">{q.delayed}</td>
                  <td className="num">{q.failed}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Processes</h3>
          <ul className="plain">
            {h.processes.map((p) => (
              <li key={`${p.host}:${p.pid}`}>
                {p.host} pid {p.pid}: {p.roles.join(', ')} · {p.ready ? 'stores answer' : 'stores do not answer'} · reported {age(p.reportedAt)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
