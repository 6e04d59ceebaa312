import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import type { Action } from '../../core/access/policy.js';
import { PageLoader } from '../components/feedback.js';
import { ForbiddenPage } from '../pages/StatusPages.js';
import { mayOpen } from './navigation.js';
import { useSession } from './session.js';

/** Signed-in routes: wait for the session check, then either render or go to the sign-in page. */
export function RequireSession() {
  const { session } = useSession();
  const location = useLocation();
  if (session === undefined) return <PageLoader />;
  if (session === null) {
    return <Navigate to="/login" replace state={{ from: `${location.pathname}${location.search}` }} />;
  }
  return <Outlet />;
}

/** A page the role may not open says so (the menu already hides it; this covers typed addresses). */
export function RequirePermission({ anyOf, children }: { anyOf: readonly Action[]; children: ReactNode }) {
  const { session } = useSession();
  if (!mayOpen({ anyOf }, session?.permissions ?? [])) return <ForbiddenPage />;
  return <>{children}</>;
}
