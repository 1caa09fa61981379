import { useQuery } from '@tanstack/react-query';
import { api, must } from '../api';
import { Loaded } from '../components/Status';
import { age, dateTime } from '../lib/format';
import { sessionRow } from '../lib/sessions';

/** The device's recent CWMP sessions with their RPCs. */
export function Sessions({ deviceId }: { deviceId: string }) {
  const sessions = useQuery({
    queryKey: ['sessions', deviceId],
    queryFn: async () => (await must(api.GET('/devices/{id}/sessions', { params: { path: { id: deviceId }, query: { limit: 10 } } }))).items.map(sessionRow),
  });
  return (
    <section aria-labelledby="sessions-heading" className="panel">
      <h2 id="sessions-heading">Recent sessions</h2>
      <Loaded query={sessions} what="the recent sessions">
        {(rows) =>
          rows.length ? (
            <ol className="plain sessions">
              {rows.map((s) => (
                <li key={s.key}>
                  <span title={dateTime(s.startedAt)}>{age(s.startedAt)}</span>
                  <span className="muted">{` · ${s.outcome}`}</span>
                  {s.events.length > 0 && <span className="muted">{` · events: ${s.events.join(', ')}`}</span>}
                  <div className="rpcs">{s.rpcs.join(' → ') || 'no RPCs'}</div>
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
