import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import type { Action } from '../../core/access/policy.js';
import { auth } from '../../core/contracts/index.js';
import type { SessionView } from '../../core/users/user.schema.js';
import { api, call, isApiError } from '../api/client.js';

export const sessionKey = ['session'] as const;

interface SessionState {
  /** undefined while the first check runs, null when nobody is signed in. */
  session: SessionView | null | undefined;
  can: (action: Action) => boolean;
  /** Keeps the session returned by sign-in or setup. */
  signIn: (view: SessionView) => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

async function fetchSession(): Promise<SessionView | null> {
  try {
    return await call(auth.currentSession);
  } catch (error) {
    if (isApiError(error) && error.code === 'unauthenticated') return null;
    throw error;
  }
}

/**
 * Who is signed in. The session cookie is httpOnly, so the app learns it from GET /api/auth/session (also
 * after a reload, which is how it gets the CSRF token back). When any call answers `unauthenticated`,
 * the session is dropped and the routes send the user to the sign-in page.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: sessionKey,
    queryFn: fetchSession,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const session = query.data;

  useEffect(() => {
    api.setCsrfToken(session?.csrfToken ?? null);
  }, [session]);

  useEffect(
    () =>
      api.onUnauthenticated(() => {
        queryClient.setQueryData(sessionKey, null);
      }),
    [queryClient],
  );

  const signIn = useCallback(
    (view: SessionView) => {
      api.setCsrfToken(view.csrfToken);
      // Nothing cached for a previous user may show to the next one.
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
      queryClient.setQueryData(sessionKey, view);
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await call(auth.logout);
    } finally {
      api.setCsrfToken(null);
      queryClient.setQueryData(sessionKey, null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
    }
  }, [queryClient]);

  const value = useMemo<SessionState>(
    () => ({
      session: query.isError ? null : session,
      can: (action) => session?.permissions.includes(action) ?? false,
      signIn,
      signOut,
    }),
    [query.isError, session, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** The signed-in session, for pages that only render inside the signed-in layout. */
export function useSignedIn(): SessionView {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn without a session');
  return session;
}
