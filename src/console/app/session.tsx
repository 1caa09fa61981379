/**
 * Who is signed in. The session lives in an HttpOnly cookie the page cannot read; the page
 * asks the server (`GET /session`), which also hands out the CSRF token for state changes.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, must, useCsrfToken, whenSignedOut } from './api';
import generatedRoles from './generated/roles.json';
import { canCall, type OperationRoles, type Role } from './lib/roles';

const roles = generatedRoles as OperationRoles;

export interface User {
  name: string;
  role: Role;
}

interface SessionState {
  user: User | null;
  /** may the user call this operation (by its OpenAPI operationId)? */
  can: (operationId: string) => boolean;
  signIn: (name: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  expired: boolean;
  /** single sign-on, when the server offers it: the provider's name and the link that starts it */
  sso: { name: string; url: string } | null;
}

const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside <SessionProvider>');
  return state;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queries = useQueryClient();
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const [sso, setSso] = useState<SessionState['sso']>(null);

  const adopt = useCallback((answer: { user?: User | null; csrfToken: string; sso?: SessionState['sso'] }) => {
    useCsrfToken(answer.csrfToken);
    setUser(answer.user ?? null);
    if (answer.sso) setSso(answer.sso);
  }, []);

  const load = useCallback(async () => {
    try {
      adopt(await must(api.GET('/session')));
      setFailed(null);
    } catch (err) {
      setFailed((err as Error).message);
    }
  }, [adopt]);

  useEffect(() => {
    void load();
    whenSignedOut(() => {
      setExpired(true);
      queries.clear();
      void load();
    });
  }, [load, queries]);

  const signIn = useCallback(
    async (name: string, password: string) => {
      const answer = await must(api.POST('/session', { body: { name, password } }));
      setExpired(false);
      adopt(answer);
    },
    [adopt],
  );

  const signOut = useCallback(async () => {
    try {
      await must(api.DELETE('/session'));
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
    }
    queries.clear();
    await load();
  }, [load, queries]);

  const value = useMemo<SessionState>(
    () => ({ user: user ?? null, can: (op) => canCall(roles, user?.role, op), signIn, signOut, expired, sso }),
    [user, signIn, signOut, expired, sso],
  );

  if (user === undefined) {
    return (
      <main className="center" aria-busy={!failed}>
        <p role={failed ? 'alert' : 'status'}>{failed ? `The ACS does not answer: ${failed}` : 'Loading…'}</p>
      </main>
    );
  }
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
