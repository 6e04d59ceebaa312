import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { SESSION_COOKIE } from '../../services/auth/auth.service.js';
import type { Services, SessionContext } from '../../services/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    session: SessionContext | undefined;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Reads the session cookie on every /api request. Routes that need a session call `requireSession`;
 * state-changing requests made with a session must carry its CSRF token in `x-csrf-token`.
 */
export function registerAuth(app: FastifyInstance, services: Services) {
  app.decorateRequest('session', undefined);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const token = request.cookies[SESSION_COOKIE];
    request.session = await services.auth.authenticate(token);
  });
}

export function requireSession(request: FastifyRequest, services: Services): SessionContext {
  const session = request.session;
  if (!session) throw new AppError('unauthenticated', 'Sign in to use this endpoint');
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    services.auth.checkCsrf(session, Array.isArray(sent) ? sent[0] : sent);
  }
  return session;
}
