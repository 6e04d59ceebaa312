import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { requireAccess } from '../core/access/policy.js';
import type { BodyOf, Contract, ParamsOf, QueryOf } from '../core/contracts/contract.js';
import type { Services, SessionContext } from '../services/index.js';
import { requireSession } from './plugins/auth.js';
import type { ResponseCache } from './response-cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Answers of `cacheable` routes (see response-cache.ts); absent or disabled: every request is computed. */
    responseCache: ResponseCache | undefined;
  }
  interface FastifyRequest {
    /** Where a computed answer of a cacheable route is to be kept, and the data version it was read at. */
    cacheSlot: { key: string; version: number } | undefined;
  }
}

export interface RouteInput<C extends Contract> {
  params: ParamsOf<C>;
  query: QueryOf<C>;
  body: BodyOf<C>;
  session: C extends { access: 'session' } ? SessionContext : SessionContext | undefined;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteOptions {
  /** Per-route rate limit (requests per minute), tighter than the global one. */
  rateLimitPerMinute?: number;
  bodyLimit?: number;
}

/**
 * Registers one contract: Zod validates params, query and body on the way in and the response on the way
 * out; `access: 'session'` routes get their session (and CSRF check) before the handler runs. Handlers
 * stay one line: they call a service.
 */
export function route<C extends Contract>(
  app: FastifyInstance,
  services: Services,
  contract: C,
  handler: (input: RouteInput<C>) => Promise<z.input<C['response']>>,
  options: RouteOptions = {},
) {
  app.route({
    method: contract.method,
    url: contract.path,
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.rateLimitPerMinute
      ? { config: { rateLimit: { max: options.rateLimitPerMinute, timeWindow: '1 minute' } } }
      : {}),
    schema: {
      summary: contract.summary,
      tags: contract.tags,
      ...(contract.params ? { params: contract.params } : {}),
      ...(contract.query ? { querystring: contract.query } : {}),
      ...(contract.body ? { body: contract.body } : {}),
      ...(contract.access === 'session' ? { security: [{ session: [] }] } : {}),
      response: { [contract.status ?? 200]: contract.response },
    },
    // Runs before the input is validated: a role without the permission learns nothing about the input.
    preValidation: async (request) => {
      if (contract.access !== 'session') return;
      const session = requireSession(request, services);
      if (contract.action) requireAccess(session.actor, contract.action);
    },
    ...(contract.cacheable && contract.method === 'GET' ? cachedRead(app, services) : {}),
    handler: async (request, reply) => {
      const session = contract.access === 'session' ? requireSession(request, services) : request.session;
      const result = await handler({
        params: request.params,
        query: request.query,
        body: request.body,
        session,
        request,
        reply,
      } as RouteInput<C>);
      reply.status(contract.status ?? 200);
      return contract.status === 204 ? reply.send() : result;
    },
  });
}

/**
 * Hooks of a cacheable route: after access and input checks, answer from the cache when the data has not
 * changed since; otherwise remember the version read at (before the handler queries anything) and keep
 * the serialized answer. Entries are per user (scope and role live in the user) and per exact URL.
 */
function cachedRead(app: FastifyInstance, services: Services) {
  const cache = app.responseCache;
  const version = services.dataVersion;
  if (!cache?.enabled) return {};
  return {
    preHandler: async (request: FastifyRequest, reply: FastifyReply) => {
      const userId = request.session?.actor.userId;
      if (!userId) return;
      const key = `${userId} ${request.url}`;
      const at = version.current();
      const body = cache.get(key, at);
      if (body !== undefined) {
        return reply
          .code(200)
          .type('application/json; charset=utf-8')
          .header('x-habilis-cache', 'hit')
          .send(body);
      }
      request.cacheSlot = { key, version: at };
    },
    onSend: async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const slot = request.cacheSlot;
      if (slot && reply.statusCode === 200 && typeof payload === 'string') {
        cache.set(slot.key, slot.version, payload);
      }
      return payload;
    },
  };
}
