import { useQuery } from '@tanstack/react-query';
import { api, must } from '../api';
import { Loaded } from '../components/Status';
import { profilePath } from '../lib/pages';
import { devicePath, Link } from '../router';

/**
 * Conflicts: two profiles of one precedence setting a parameter differently for the same
 * devices (which then get neither value), with those devices; all of them, or one profile's.
 */
export function Conflicts({ profile }: { profile?: string }) {
  const list = useQuery({ queryKey: ['profile-conflicts'], queryFn: () => must(api.GET('/profiles/conflicts')) });
  return (
    <section aria-labelledby="conflicts-heading" className="panel stack">
      <h2 id="conflicts-heading">Conflicts</h2>
      <Loaded query={list} what="the conflicts">
        {(l) => {
          const items = l.items.filter((c) => profile === undefined || c.profiles.includes(profile));
          if (!items.length) return <p>{profile ? 'This profile conflicts with no other.' : 'No two profiles disagree.'}</p>;
          return (
            <table className="grid compact">
              <caption className="sr-only">Conflicting parameters</caption>
              <thead>
                <tr>
                  <th scope="col">Parameter</th>
                  <th scope="col">Precedence</th>
                  <th scope="col">Profiles</th>
                  <th scope="col">Devices affected</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={`${c.parameter} ${c.profiles.join(' ')}`}>
                    <td>{c.parameter}</td>
                    <td>{c.precedence}</td>
                    <td>
                      {c.profiles.map((p, i) => (
                        <span key={p}>
                          {i > 0 && ' and '}
                          <Link href={profilePath(p)}>{p}</Link>
                        </span>
                      ))}
                    </td>
                    <td>
                      {!c.devices ? (
                        '—'
                      ) : c.devices.count === 0 ? (
                        'none yet'
                      ) : (
                        <>
                          {`${c.devices.count}${c.devices.complete ? '' : '+'}: `}
                          {c.devices.items.map((d, i) => (
                            <span key={d.id}>
                              {i > 0 && ', '}
                              <Link href={devicePath(d.id)}>{d.id}</Link>
                            </span>
                          ))}
                          {c.devices.count > c.devices.items.length ? '…' : ''}
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </Loaded>
    </section>
  );
}
