import { useQuery } from '@tanstack/react-query';
import { api, must } from '../api';
import { Loaded } from '../components/Status';
import { age, dateTime } from '../lib/format';
import { shownValue, sourceLabel, type ValueSource } from '../lib/provisioning';

/** Effective desired state and the source of each value, drift, and what was changed when. */
export function Provisioning({ deviceId }: { deviceId: string }) {
  const path = { params: { path: { id: deviceId } } };
  const state = useQuery({ queryKey: ['provisioning', deviceId], queryFn: () => must(api.GET('/devices/{id}/provisioning', path)) });
  const drift = useQuery({ queryKey: ['drift', deviceId], queryFn: () => must(api.GET('/devices/{id}/drift', path)) });
  const history = useQuery({ queryKey: ['history', deviceId], queryFn: () => must(api.GET('/devices/{id}/history', { params: { path: { id: deviceId }, query: { limit: 10 } } })) });
  return (
    <section aria-labelledby="prov-heading" className="panel wide">
      <h2 id="prov-heading">Provisioning</h2>
      <Loaded query={state} what="the desired state">
        {(s) => (
          <>
            <p>
              {!s.managed ? 'No profile matches this device.' : `Managed by ${s.profiles.map((p) => `${p.name} r${p.revision}`).join(', ')}; ${s.upToDate ? 'the device is up to date.' : `the device has not applied revision ${s.key} yet.`}`}
              {s.failed && <span className="error">{` Revision ${s.failed.key ?? ''} failed: ${s.failed.code ?? ''} ${s.failed.message ?? ''}`}</span>}
            </p>
            {s.parameters.length > 0 && (
              <table className="grid compact">
                <caption>Effective desired state</caption>
                <thead>
                  <tr>
                    <th scope="col">Parameter</th>
                    <th scope="col">Value</th>
                    <th scope="col">From</th>
                    <th scope="col">Delivered by</th>
                  </tr>
                </thead>
                <tbody>
                  {s.parameters.map((p) => (
                    <tr key={p.name}>
                      <td>{p.name}</td>
                      <td>{shownValue(p)}</td>
                      <td>
                        {sourceLabel(p.source as ValueSource)}
                        {p.shadowed?.length ? <span className="muted">{` (overrides ${p.shadowed.map((x) => sourceLabel(x.source as ValueSource)).join(', ')})`}</span> : null}
                      </td>
                      <td>{p.delivery === 'parameter' ? `SetParameterValues ${p.path ?? ''}` : 'configuration file'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </Loaded>
      <h3>Drift</h3>
      <Loaded query={drift} what="the drift">
        {(d) => (
          <>
            <p>{`${d.summary['in-sync']} in sync, ${d.summary.drift} drifted, ${d.summary.unknown} unknown.`}</p>
            {d.items.some((i) => i.status !== 'in-sync') && (
              <table className="grid compact">
                <caption className="sr-only">Drifted values</caption>
                <thead>
                  <tr>
                    <th scope="col">Parameter</th>
                    <th scope="col">Status</th>
                    <th scope="col">Desired</th>
                    <th scope="col">Reported</th>
                  </tr>
                </thead>
                <tbody>
                  {d.items
                    .filter((i) => i.status !== 'in-sync')
                    .map((i) => (
                      <tr key={i.name}>
                        <td>{i.name}</td>
                        <td>{i.status}</td>
                        <td>{shownValue({ value: i.desired, secret: i.secret })}</td>
                        <td title={dateTime(i.reportedAt)}>{i.secret ? '(secret)' : (i.reported ?? '—')}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </Loaded>
      <h3>History</h3>
      <Loaded query={history} what="the provisioning history">
        {(h) =>
          h.items.length ? (
            <ul className="plain">
              {h.items.map((e) => (
                <li key={e.id}>
                  <span title={dateTime(e.at)}>{age(e.at)}</span> {`${e.kind}: `}
                  {e.changes.map((c) => `${c.name}${c.secret ? '' : ` ${c.old ?? '∅'} → ${c.new ?? '∅'}`}`).join('; ')}
                </li>
              ))}
            </ul>
          ) : (
            <p>Nothing provisioned yet.</p>
          )
        }
      </Loaded>
    </section>
  );
}
