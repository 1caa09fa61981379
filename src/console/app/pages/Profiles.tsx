import { useQuery } from '@tanstack/react-query';
import { api, must } from '../api';
import { Loaded } from '../components/Status';
import { age, dateTime } from '../lib/format';
import { profilePath } from '../lib/pages';
import { selectorSummary } from '../lib/profiles';
import { Conflicts } from '../profiles/Conflicts';
import { Link } from '../router';
import { useSession } from '../session';

/** Every profile, by name, with what it applies to; and the conflicts between them. */
export default function Profiles() {
  const { can } = useSession();
  const list = useQuery({ queryKey: ['profiles'], queryFn: () => must(api.GET('/profiles')) });
  return (
    <>
      <h1>Profiles</h1>
      <p className="hint">Named sets of desired Cisco parameters, the devices they apply to, and their precedence (higher wins; a device's own parameters beat every profile).</p>
      {can('createProfile') && (
        <p>
          <Link href="/profiles/new" className="button-link">
            New profile
          </Link>
        </p>
      )}
      <Loaded query={list} what="the profiles">
        {(l) =>
          l.items.length ? (
            <div className="table-wrap">
              <table className="grid">
                <caption className="sr-only">Profiles</caption>
                <thead>
                  <tr>
                    <th scope="col">Profile</th>
                    <th scope="col" className="num">
                      Precedence
                    </th>
                    <th scope="col">Applies to</th>
                    <th scope="col" className="num">
                      Parameters
                    </th>
                    <th scope="col" className="num">
                      Revision
                    </th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {l.items.map((p) => (
                    <tr key={p.name}>
                      <td>
                        <Link href={profilePath(p.name)}>{p.name}</Link>
                        {p.description && <div className="muted">{p.description}</div>}
                      </td>
                      <td className="num">{p.precedence}</td>
                      <td>{selectorSummary(p.match)}</td>
                      <td className="num">{p.parameterCount}</td>
                      <td className="num">{p.revision}</td>
                      <td title={dateTime(p.updatedAt)}>{`${age(p.updatedAt)}${p.updatedBy ? ` by ${p.updatedBy}` : ''}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p>No profiles yet.</p>
          )
        }
      </Loaded>
      <Conflicts />
    </>
  );
}
