import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, must } from '../api';
import { Loaded } from '../components/Status';
import { age, bytes, dateTime, isFinal, taskOutcome } from '../lib/format';
import { useSession } from '../session';
import type { Task } from './hooks';

/** Queued and finished tasks with their outcomes. */
export function Tasks({ deviceId }: { deviceId: string }) {
  const { can } = useSession();
  const queries = useQueryClient();
  const tasks = useQuery({ queryKey: ['tasks', deviceId], queryFn: () => must(api.GET('/devices/{id}/tasks', { params: { path: { id: deviceId }, query: { limit: 25 } } })) });
  const cancel = useMutation({
    mutationFn: (taskId: string) => must(api.POST('/tasks/{taskId}/cancel', { params: { path: { taskId } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['tasks', deviceId] }),
  });
  return (
    <section aria-labelledby="tasks-heading" className="panel">
      <h2 id="tasks-heading">Tasks</h2>
      <Loaded query={tasks} what="the tasks">
        {(page) =>
          page.items.length ? (
            <table className="grid compact" aria-labelledby="tasks-heading">
              <thead>
                <tr>
                  <th scope="col">RPC</th>
                  <th scope="col">Status</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Queued</th>
                  <th scope="col">Finished</th>
                  {can('cancelTask') && <th scope="col">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {page.items.map((t) => (
                  <tr key={t.id} data-status={t.status}>
                    <td>{rpcLabel(t)}</td>
                    <td>
                      <span className={`badge ${t.status}`}>{t.status}</span>
                    </td>
                    <td>{taskOutcome(t as Parameters<typeof taskOutcome>[0])}</td>
                    <td title={dateTime(t.createdAt)}>{age(t.createdAt)}</td>
                    <td title={dateTime(t.completedAt)}>{t.completedAt ? age(t.completedAt) : ''}</td>
                    {can('cancelTask') && (
                      <td>
                        {!isFinal(t.status) && t.status === 'pending' && (
                          <button type="button" className="small" onClick={() => cancel.mutate(t.id)} aria-label={`Cancel task ${rpcLabel(t)}`}>
                            Cancel
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>No tasks.</p>
          )
        }
      </Loaded>
      {cancel.error && (
        <p role="alert" className="error">
          {cancel.error.message}
        </p>
      )}
    </section>
  );
}

export function rpcLabel(t: Pick<Task, 'rpc'>): string {
  const rpc = t.rpc as { method: string; parameterNames?: string[]; parameterList?: { name: string }[] };
  const names = rpc.parameterNames ?? rpc.parameterList?.map((p) => p.name);
  return names?.length ? `${rpc.method} ${names.slice(0, 2).join(', ')}${names.length > 2 ? ` +${names.length - 2}` : ''}` : rpc.method;
}

/** Faulted tasks, with retry and clear. */
export function Faults({ deviceId }: { deviceId: string }) {
  const { can } = useSession();
  const queries = useQueryClient();
  const faults = useQuery({ queryKey: ['faults', deviceId], queryFn: () => must(api.GET('/devices/{id}/faults', { params: { path: { id: deviceId }, query: { limit: 25 } } })) });
  const refresh = () => Promise.all([queries.invalidateQueries({ queryKey: ['faults', deviceId] }), queries.invalidateQueries({ queryKey: ['tasks', deviceId] })]);
  const retry = useMutation({ mutationFn: (taskId: string) => must(api.POST('/faults/{taskId}/retry', { params: { path: { taskId } }, body: { connectionRequest: true } })), onSuccess: refresh });
  const clear = useMutation({ mutationFn: (taskId: string) => must(api.DELETE('/faults/{taskId}', { params: { path: { taskId } } })), onSuccess: refresh });
  return (
    <section aria-labelledby="faults-heading" className="panel">
      <h2 id="faults-heading">Faults</h2>
      <Loaded query={faults} what="the faults">
        {(page) =>
          page.items.length ? (
            <ul className="plain">
              {page.items.map((t) => (
                <li key={t.id} className="fault">
                  <strong>{rpcLabel(t)}</strong> <span>{taskOutcome(t as Parameters<typeof taskOutcome>[0])}</span> <span className="muted">{age(t.completedAt ?? t.updatedAt)}</span>
                  {t.fault?.setParameterValuesFault?.map((f) => (
                    <div key={f.parameterName} className="muted">{`${f.parameterName}: ${f.faultCode} ${f.faultString ?? ''}`}</div>
                  ))}
                  {can('retryFault') && !t.faultCleared && (
                    <button type="button" className="small" onClick={() => retry.mutate(t.id)} aria-label={`Retry ${rpcLabel(t)}`}>
                      Retry
                    </button>
                  )}
                  {can('clearFault') && !t.faultCleared && (
                    <button type="button" className="small" onClick={() => clear.mutate(t.id)} aria-label={`Clear fault of ${rpcLabel(t)}`}>
                      Clear
                    </button>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <p>No faults.</p>
          )
        }
      </Loaded>
      {(retry.error ?? clear.error) && (
        <p role="alert" className="error">
          {(retry.error ?? clear.error)!.message}
        </p>
      )}
    </section>
  );
}

/** The fs role's record of the device's downloads and uploads. */
export function Transfers({ deviceId }: { deviceId: string }) {
  const transfers = useQuery({ queryKey: ['transfers', deviceId], queryFn: () => must(api.GET('/devices/{id}/transfers', { params: { path: { id: deviceId }, query: { limit: 20 } } })) });
  return (
    <section aria-labelledby="transfers-heading" className="panel">
      <h2 id="transfers-heading">File transfers</h2>
      <Loaded query={transfers} what="the file transfers">
        {(page) =>
          page.items.length ? (
            <table className="grid compact" aria-labelledby="transfers-heading">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Direction</th>
                  <th scope="col">What</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Size
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((t, i) => (
                  <tr key={`${t.at}-${i}`}>
                    <td title={dateTime(t.at)}>{age(t.at)}</td>
                    <td>{t.direction}</td>
                    <td>{`${t.resource} ${t.path}`}</td>
                    <td>{`${t.status}${t.complete ? '' : ' (incomplete)'}${t.reason ? `: ${t.reason}` : ''}`}</td>
                    <td className="num">{bytes(t.bytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>No file transfers.</p>
          )
        }
      </Loaded>
    </section>
  );
}
