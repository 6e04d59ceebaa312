import type { FastifyInstance, FastifyReply } from 'fastify';
import { auth } from '../../../core/contracts/index.js';
import { type NewSession, SESSION_COOKIE } from '../../../services/auth/auth.service.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export interface CookiePolicy {
  secure: boolean;
}

export function setSessionCookie(reply: FastifyReply, session: NewSession, policy: CookiePolicy) {
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: policy.secure,
    maxAge: session.maxAgeSeconds,
  });
  return session.view;
}

export function authRoutes(
  app: FastifyInstance,
  services: Services,
  cookies: CookiePolicy,
  loginPerMinute: number,
) {
  const client = (r: { ip: string; headers: { 'user-agent'?: string | undefined } }) => ({
    ip: r.ip,
    userAgent: r.headers['user-agent'],
  });
  route(
    app,
    services,
    auth.login,
    async ({ body, request, reply }) =>
      setSessionCookie(reply, await services.auth.login(body, client(request)), cookies),
    { rateLimitPerMinute: loginPerMinute },
  );
  route(
    app,
    services,
    auth.completeSetup,
    async ({ body, request, reply }) =>
      setSessionCookie(reply, await services.auth.completeSetup(body, client(request)), cookies),
    { rateLimitPerMinute: loginPerMinute },
  );
  route(app, services, auth.logout, async ({ session, reply }) => {
    await services.auth.logout(session);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return null;
  });
  route(app, services, auth.currentSession, ({ session }) => services.auth.currentSession(session));
  route(app, services, auth.changePassword, async ({ session, body }) => {
    await services.auth.changePassword(session, body);
    return null;
  });
}
