import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../config/env.js';
import { AppError } from '../core/errors.js';
import type { Services } from '../services/index.js';
import { registerAuth } from './plugins/auth.js';
import { registerErrorHandler, sendProblem } from './plugins/error-handler.js';
import { auditRoutes } from './routes/audit/audit.routes.js';
import { authRoutes } from './routes/auth/auth.routes.js';
import { organisationRoutes } from './routes/organisations/organisations.routes.js';
import { systemRoutes } from './routes/system/system.routes.js';
import { userRoutes } from './routes/users/users.routes.js';
import { appVersion } from './version.js';

export interface AppOptions {
  services: Services;
  config: Pick<Config, 'sessionSecret' | 'secureCookies' | 'rateLimit' | 'logLevel'>;
  /** The built web app (index.html and assets); served with an SPA fallback when present. */
  webDir?: string | undefined;
  logger?: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where `vite build` writes the web app, seen from src/server or dist/server. */
export const defaultWebDir = path.resolve(here, '../../dist/web');

/** Builds the Fastify app without listening: main.ts listens, tests use inject(). */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { services, config } = options;
  const app = Fastify({
    logger: options.logger === false ? false : { level: config.logLevel },
    bodyLimit: 1_048_576,
    trustProxy: true,
    genReqId: () => crypto.randomUUID(),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // The API speaks JSON (and multipart for uploads): a text/plain body is refused with 415, not parsed.
  app.removeContentTypeParser('text/plain');
  registerErrorHandler(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Mantine injects its CSS variables in style tags; swagger-ui needs inline styles too.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
      },
    },
  });
  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(rateLimit, {
    max: config.rateLimit.perMinute,
    timeWindow: '1 minute',
    keyGenerator: (request) => request.cookies?.habilis_session?.slice(0, 16) ?? request.ip,
    errorResponseBuilder: () =>
      new AppError('rate_limited', 'Too many requests: wait a moment and try again'),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Habilis API',
        version: appVersion,
        description:
          'Quality management of a certifier’s network of partenaires habilités. Sign in with POST /api/auth/login; ' +
          'send the session cookie, and the CSRF token from the session in x-csrf-token on every change. ' +
          'Errors are application/problem+json (RFC 9457) with a stable code.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'habilis_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  registerAuth(app, services);
  await app.register(async (api) => {
    systemRoutes(api, services, appVersion);
    authRoutes(api, services, { secure: config.secureCookies }, config.rateLimit.loginPerMinute);
    organisationRoutes(api, services);
    userRoutes(api, services);
    auditRoutes(api, services);
  });

  const webDir = options.webDir ?? defaultWebDir;
  if (existsSync(path.join(webDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDir, wildcard: false, index: ['index.html'] });
    // The web app routes in the browser: any non-API GET answers index.html.
    app.setNotFoundHandler((request, reply) => {
      if (request.method === 'GET' && !request.url.startsWith('/api')) return reply.sendFile('index.html');
      return sendProblem(
        request,
        reply,
        new AppError('not_found', `No route ${request.method} ${request.url.split('?')[0]}`),
      );
    });
  }
  return app;
}
