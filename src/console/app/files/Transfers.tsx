import { useQuery } from '@tanstack/react-query';
import { api, must } from '../api';
import { Loaded } from '../components/Status';
import { age, bytes, dateTime } from '../lib/format';
import { transferOutcome } from '../lib/files';
import { devicePath, Link } from '../router';

/** Who fetched the file: the file service's transfer log for it, newest first. */
export function FileTransfers({ fileId, filename }: { fileId: string; filename: string }) {
  const log = useQuery({ queryKey: ['files', 'transfers', fileId], queryFn: () => must(api.GET('/files/{fileId}/transfers', { params: { path: { fileId }, query: { limit: 100 } } })), refetchInterval: 10_000 });
  return (
    <section className="panel wide" aria-labelledby="transfers-heading">
      <h2 id="transfers-heading">{`Downloads of ${filename}`}</h2>
      <Loaded query={log} what="the downloads">
        {(page) =>
          page.items.length ? (
            <div className="table-wrap">
              <table className="grid compact" aria-labelledby="transfers-heading">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Device</th>
                    <th scope="col">Outcome</th>
                    <th scope="col" className="num">
                      Bytes
                    </th>
                    <th scope="col">From</th>
                    <th scope="col">Client</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((t, i) => (
                    <tr key={`${t.at}-${i}`}>
                      <td title={dateTime(t.at)}>{age(t.at)}</td>
                      <td>{t.deviceId ? <Link href={devicePath(t.deviceId)}>{t.deviceId}</Link> : 'unknown'}</td>
                      <td>{transferOutcome(t)}</td>
                      <td className="num">{bytes(t.bytes)}</td>
                      <td>{t.remoteAddress}</td>
                      <td>{t.userAgent ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {page.nextCursor && <p className="muted">The latest 100 downloads are shown.</p>}
            </div>
          ) : (
            <p>Nobody has downloaded this file yet.</p>
          )
        }
      </Loaded>
    </section>
  );
}
