import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, must } from '../api';
import { Confirm } from '../components/Confirm';
import { age } from '../lib/format';
import type { components } from '../generated/api';
import { useSubmit } from './form';

type Role = components['schemas']['Role'];
type Token = components['schemas']['Token'];

/** API tokens: create (the secret is shown once), list, revoke. */
export function Tokens() {
  const queries = useQueryClient();
  const list = useQuery({ queryKey: ['tokens'], queryFn: () => must(api.GET('/tokens')) });
  const create = useSubmit();
  const revoke = useSubmit();
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const refresh = () => queries.invalidateQueries({ queryKey: ['tokens'] });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    void create.run(async () => {
      const made = await must(api.POST('/tokens', { body: { name: String(data.get('name')), role: String(data.get('role')) as Role } }));
      setSecret({ name: made.name, token: made.token });
      form.reset();
      await refresh();
    });
  };
  const confirmRevoke = () => {
    const token = revoking!;
    setRevoking(null);
    void revoke.run(async () => {
      await must(api.DELETE('/tokens/{tokenId}', { params: { path: { tokenId: token.id } } }));
      await refresh();
    });
  };

  return (
    <section className="panel" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <form className="form-row" onSubmit={submit} aria-label="Create an API token">
        <label>
          Token name
          <input name="name" required aria-invalid={!!create.about('name')} aria-describedby={create.about('name') ? 'token-name-error' : undefined} />
          {create.about('name') && <span id="token-name-error" className="field-error">{create.about('name')}</span>}
        </label>
        <label>
          Role
          <select name="role" defaultValue="viewer">
            <option>viewer</option>
            <option>operator</option>
            <option>admin</option>
          </select>
        </label>
        <button type="submit" disabled={create.busy}>
          Create token
        </button>
      </form>
      {create.error && !create.about('name') && (
        <p className="error" role="alert">
          {create.error.message}
        </p>
      )}
      {secret && (
        <div role="status">
          <p>
            Token <strong>{secret.name}</strong>: copy it now, it is never shown again.
          </p>
          <p className="inline">
            <code className="secret" aria-label="The new token">
              {secret.token}
            </code>
            <button type="button" className="small" onClick={() => setSecret(null)}>
              I have copied it
            </button>
          </p>
        </div>
      )}
      {revoke.error && (
        <p className="error" role="alert">
          {revoke.error.message}
        </p>
      )}
      {list.error && <p className="error" role="alert">{list.error.message}</p>}
      <div className="table-wrap">
        <table className="grid compact">
          <caption className="sr-only">API tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Id</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.name}</th>
                <td>
                  <code>{t.id}</code>
                </td>
                <td>{t.role}</td>
                <td title={t.createdAt}>
                  {age(t.createdAt)} by {t.createdBy}
                </td>
                <td>
                  {t.revokedAt ? (
                    <span className="badge fault" title={t.revokedAt}>
                      revoked
                    </span>
                  ) : (
                    <button type="button" className="small" disabled={revoke.busy} onClick={() => setRevoking(t)}>
                      Revoke {t.name}
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {list.data?.items.length === 0 && (
              <tr>
                <td colSpan={5}>No API tokens yet.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Confirm open={!!revoking} title={`Revoke the token ${revoking?.name ?? ''}?`} confirm="Revoke" onConfirm={confirmRevoke} onCancel={() => setRevoking(null)}>
        Programs using it are refused from their next request on. This cannot be undone.
      </Confirm>
    </section>
  );
}
