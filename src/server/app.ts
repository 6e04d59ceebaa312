import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
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
import { registerErrorHandler, registerNotFound } from './plugins/error-handler.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { ResponseCache } from './response-cache.js';
import { accrochageRoutes } from './routes/accrochage/accrochage.routes.js';
import { alertRoutes } from './routes/alerts/alerts.routes.js';
import { assessmentRoutes } from './routes/assessments/assessments.routes.js';
import { auditRoutes } from './routes/audit/audit.routes.js';
import { auditSheetRoutes } from './routes/audits/audits.routes.js';
import { authRoutes } from './routes/auth/auth.routes.js';
import { candidateRoutes } from './routes/candidates/candidates.routes.js';
import { certificateRoutes } from './routes/certificates/certificates.routes.js';
import { certificationRoutes } from './routes/certifications/certifications.routes.js';
import { chainUploadRoutes } from './routes/chain-uploads/chain-uploads.routes.js';
import { controlPlanRoutes } from './routes/control-plans/control-plans.routes.js';
import { controlRuleRoutes } from './routes/control-rules/control-rules.routes.js';
import { controlRoutes } from './routes/controls/controls.routes.js';
import { conventionDocumentRoutes } from './routes/convention-documents/convention-documents.routes.js';
import { conventionRoutes } from './routes/conventions/conventions.routes.js';
import { cpfOfferRoutes } from './routes/cpf-offers/cpf-offers.routes.js';
import { declarationRoutes } from './routes/declarations/declarations.routes.js';
import { evidenceRoutes } from './routes/evidence/evidence.routes.js';
import { findingRoutes } from './routes/findings/findings.routes.js';
import { habilitationRoutes } from './routes/habilitations/habilitations.routes.js';
import { invitationRoutes } from './routes/invitations/invitations.routes.js';
import { juryRoutes } from './routes/juries/juries.routes.js';
import { networkRoutes } from './routes/network/network.routes.js';
import { onboardingRoutes } from './routes/onboarding/onboarding.routes.js';
import { organisationRoutes } from './routes/organisations/organisations.routes.js';
import { partnerRequestRoutes } from './routes/partner-requests/partner-requests.routes.js';
import { qualiopiRoutes } from './routes/qualiopi/qualiopi.routes.js';
import { registryRoutes } from './routes/registry/registry.routes.js';
import { reportRoutes } from './routes/reports/reports.routes.js';
import { riskRoutes } from './routes/risk/risk.routes.js';
import { sanctionRoutes } from './routes/sanctions/sanctions.routes.js';
import { settingsRoutes } from './routes/settings/settings.routes.js';
import { systemRoutes } from './routes/system/system.routes.js';
import { trainingSessionRoutes } from './routes/training-sessions/training-sessions.routes.js';
import { userRoutes } from './routes/users/users.routes.js';
import { appVersion } from './version.js';

export interface AppOptions {
  services: Services;
  config: Pick<Config, 'sessionSecret' | 'secureCookies' | 'rateLimit' | 'logLevel'> &
    Partial<Pick<Config, 'readCacheEntries'>>;
  /** The built web app (index.html and assets); served with an SPA fallback when present. */
  webDir?: string | undefined;
  logger?: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where `vite build` writes the web app, seen from src/server or dist/server. */
export const defaultWebDir = path.resolve(here, '../../dist/web');

const DEFAULT_READ_CACHE_ENTRIES = 2000;

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
  app.decorate('responseCache', new ResponseCache(config.readCacheEntries ?? DEFAULT_READ_CACHE_ENTRIES));
  app.decorateRequest('cacheSlot', undefined);

  // Over plain HTTP (a small certifier's intranet), HSTS and upgrade-insecure-requests would make the
  // browser fetch the app's own scripts over https and show a blank page: they follow PUBLIC_URL's scheme.
  const https = config.secureCookies;
  registerSecurityHeaders(app, https);
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
    networkRoutes(api, services);
    userRoutes(api, services);
    invitationRoutes(api, services, { secure: config.secureCookies }, config.rateLimit.loginPerMinute);
    partnerRequestRoutes(api, services);
    auditRoutes(api, services);
    certificationRoutes(api, services);
    habilitationRoutes(api, services);
    conventionRoutes(api, services);
    evidenceRoutes(api, services);
    candidateRoutes(api, services);
    trainingSessionRoutes(api, services);
    assessmentRoutes(api, services);
    juryRoutes(api, services);
    certificateRoutes(api, services);
    reportRoutes(api, services);
    accrochageRoutes(api, services);
    chainUploadRoutes(api, services);
    controlRoutes(api, services);
    auditSheetRoutes(api, services);
    controlRuleRoutes(api, services);
    controlPlanRoutes(api, services);
    findingRoutes(api, services);
    sanctionRoutes(api, services);
    registryRoutes(api, services);
    riskRoutes(api, services);
    declarationRoutes(api, services);
    alertRoutes(api, services);
    conventionDocumentRoutes(api, services);
    onboardingRoutes(api, services);
    qualiopiRoutes(api, services);
    cpfOfferRoutes(api, services);
    settingsRoutes(api, services);
  });

  const webDir = options.webDir ?? defaultWebDir;
  const webApp = existsSync(path.join(webDir, 'index.html'));
  if (webApp) await app.register(fastifyStatic, { root: webDir, wildcard: false, index: ['index.html'] });
  registerNotFound(app, { webApp });
  return app;
}
