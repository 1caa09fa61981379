import { useQuery } from '@tanstack/react-query';
import { ApiError, problemText } from '../api';
import { Loaded } from '../components/Status';
import { age, dateTime } from '../lib/format';
import { sessionRows } from '../lib/sessions';

async function recentSessions(deviceId: string) {
  const response = await fetch(`/api/v1/devices/${encodeURIComponent(deviceId)}/sessions?limit=10`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  const body: unknown = await response.json().catch(() => undefined);
  // A server without the route answers 404 for the path itself, not for the device.
  if (response.status === 404 && /^(no API operation|nothing) at /.test((body as { detail?: string })?.detail ?? '')) return null;
  if (!response.ok) throw new ApiError(response.status, problemText(response.status, body));
  return sessionRows(body);
}

/** The device's recent CWMP sessions with their RPCs. */
export function Sessions({ deviceId }: { deviceId: string }) {
  const sessions = useQuery({ queryKey: ['sessions', deviceId], queryFn: () => recentSessions(deviceId) });
  return (
    <section aria-labelledby="sessions-heading" className="panel">
      <h2 id="sessions-heading">Recent sessions</h2>
      <Loaded query={sessions} what="the recent sessions">
        {(rows) =>
          rows === null ? (
            <p>This server does not record session traces yet.</p>
          ) : rows.length ? (
            <ol className="plain sessions">
              {rows.map((s) => (
                <li key={s.key}>
                  <span title={dateTime(s.startedAt)}>{age(s.startedAt)}</span>
                  {s.events.length > 0 && <span className="muted">{` events: ${s.events.join(', ')}`}</span>}
                  {s.outcome && <span className="muted">{` · ${s.outcome}`}</span>}
                  <div className="rpcs">{s.rpcs.map((r) => (r.fault ? `${r.name} (fault ${r.fault})` : r.name)).join(' → ') || 'no RPCs'}</div>
                </li>
              ))}
            </ol>
          ) : (
            <p>No sessions recorded.</p>
          )
        }
      </Loaded>
    </section>
  );
}
