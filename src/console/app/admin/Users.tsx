import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, must } from '../api';
import { age } from '../lib/format';
import { useSession } from '../session';
import type { components } from '../generated/api';
import { useSubmit } from './form';

type Role = components['schemas']['Role'];
const ROLES: Role[] = ['viewer', 'operator', 'admin'];

/** Console users: create (a generated password is shown once), change role, disable, reset the password. */
export function Users() {
  const { user: me } = useSession();
  const queries = useQueryClient();
  const list = useQuery({ queryKey: ['users'], queryFn: () => must(api.GET('/users')) });
  const create = useSubmit();
  const change = useSubmit();
  const [shown, setShown] = useState<{ name: string; password: string } | null>(null);
  const refresh = () => queries.invalidateQueries({ queryKey: ['users'] });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const name = String(data.get('name'));
    const password = String(data.get('password') ?? '');
    void create.run(async () => {
      const made = await must(api.POST('/users', { body: { name, role: String(data.get('role')) as Role, ...(password ? { password } : {}) } }));
      setShown(made.password ? { name, password: made.password } : null);
      form.reset();
      await refresh();
    });
  };
  const patch = (name: string, body: { role?: Role; disabled?: boolean }) =>
    void change.run(async () => {
      await must(api.PATCH('/users/{name}', { params: { path: { name } }, body }));
      await refresh();
    });
  const reset = (name: string) =>
    void change.run(async () => {
      const r = await must(api.POST('/users/{name}/password', { params: { path: { name } } }));
      if (r && 'password' in r) setShown({ name, password: r.password });
    });

  return (
    <section className="panel wide" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <form className="form-row" onSubmit={submit} aria-label="Create a user">
        <label>
          Name
          <input name="name" required aria-invalid={!!create.about('name')} aria-describedby={create.about('name') ? 'user-name-error' : undefined} />
          {create.about('name') && <span id="user-name-error" className="field-error">{create.about('name')}</span>}
        </label>
        <label>
          Role
          <select name="role" defaultValue="viewer">
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Password <span className="hint">(empty: generated)</span>
          <input name="password" type="password" autoComplete="new-password" aria-invalid={!!create.about('password')} aria-describedby={create.about('password') ? 'user-password-error' : undefined} />
          {create.about('password') && <span id="user-password-error" className="field-error">{create.about('password')}</span>}
        </label>
        <button type="submit" disabled={create.busy}>
          Create user
        </button>
      </form>
      {create.error && !create.about('name') && !create.about('password') && (
        <p className="error" role="alert">
          {create.error.message}
        </p>
      )}
      {shown && (
        <div role="status" className="inline">
          <span>
            Password of <strong>{shown.name}</strong>, shown this once:
          </span>
          <code className="secret">{shown.password}</code>
          <button type="button" className="small" onClick={() => setShown(null)}>
            Hide
          </button>
        </div>
      )}
      {change.error && (
        <p className="error" role="alert">
          {change.error.message}
        </p>
      )}
      {list.error && <p className="error" role="alert">{list.error.message}</p>}
      <div className="table-wrap">
        <table className="grid compact">
          <caption className="sr-only">Console users</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Password changed</th>
              <th scope="col">Created by</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((u) => (
              <tr key={u.name}>
                <th scope="row">{u.name}</th>
                <td>
                  <select aria-label={`Role of ${u.name}`} value={u.role} disabled={change.busy} onChange={(e) => patch(u.name, { role: e.target.value as Role })}>
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                </td>
                <td>{u.disabled ? <span className="badge fault">disabled</span> : <span className="badge done">enabled</span>}</td>
                <td title={u.passwordChangedAt}>{age(u.passwordChangedAt)}</td>
                <td>{u.createdBy}</td>
                <td className="buttons">
                  <button type="button" className="small" disabled={change.busy || u.name === me?.name} onClick={() => patch(u.name, { disabled: !u.disabled })}>
                    {u.disabled ? `Enable ${u.name}` : `Disable ${u.name}`}
                  </button>
                  <button type="button" className="small" disabled={change.busy} onClick={() => reset(u.name)}>
                    Reset password of {u.name}
                  </button>
                </td>
              </tr>
            ))}
            {list.data?.items.length === 0 && (
              <tr>
                <td colSpan={6}>No local users; people signing in through single sign-on are not listed.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
