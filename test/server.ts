import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type Role, systemActor } from '../src/core/access/policy.js';
import type { DatabaseHandle } from '../src/db/database.js';
import { buildApp } from '../src/server/app.js';
import { createServices, type Services } from '../src/services/index.js';
import { newTestDatabase } from './database.js';
import { buildOrganisation, buildUser } from './factories.js';

export interface SignedIn {
  userId: string;
  role: Role;
  organisationId: string | null;
  cookie: string;
  csrfToken: string;
}

export interface TestServer {
  app: FastifyInstance;
  services: Services;
  handle: DatabaseHandle;
  /** Creates a user of that role (a partner gets an organisation of its own unless given one) and signs it in. */
  signIn(role: Role, options?: { organisationId?: string }): Promise<SignedIn>;
  /** inject() with the user's cookie and CSRF token. */
  as(
    user: SignedIn | undefined,
    request: { method: string; url: string; payload?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export const system = systemActor('test');

/** The app on a fresh migrated database, never listening: requests go through inject(). */
export async function newTestServer(
  options: { rateLimitPerMinute?: number; loginPerMinute?: number } = {},
): Promise<TestServer> {
  const handle = await newTestDatabase();
  // Each server gets its own data dir for evidence files, removed by close().
  const dataDir = mkdtempSync(path.join(tmpdir(), 'habilis-test-'));
  const services = createServices(handle, {
    publicUrl: 'http://habilis.test',
    filesDir: path.join(dataDir, 'files'),
    dataDir,
  });
  const app = await buildApp({
    services,
    logger: false,
    webDir: '/nonexistent',
    config: {
      sessionSecret: 'test-secret-test-secret-test-secret-0000',
      secureCookies: false,
      logLevel: 'silent',
      rateLimit: {
        perMinute: options.rateLimitPerMinute ?? 100_000,
        loginPerMinute: options.loginPerMinute ?? 100_000,
      },
    },
  });
  await app.ready();

  const as: TestServer['as'] = (user, request) =>
    app.inject({
      method: request.method as 'GET',
      url: request.url,
      ...(request.payload === undefined ? {} : { payload: request.payload as object }),
      headers: {
        ...(user ? { cookie: user.cookie, 'x-csrf-token': user.csrfToken } : {}),
        ...request.headers,
      },
    });

  const signIn: TestServer['signIn'] = async (role, opts = {}) => {
    let organisationId: string | null = null;
    if (role === 'partner') {
      organisationId =
        opts.organisationId ?? (await services.organisations.create(system, buildOrganisation())).id;
    }
    const seed = buildUser(role, { organisationId });
    await services.users.create(system, seed);
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: seed.email, password: seed.password },
    });
    if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
    const body = response.json() as { csrfToken: string; user: { id: string } };
    const cookie = response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    return { userId: body.user.id, role, organisationId, cookie, csrfToken: body.csrfToken };
  };

  return {
    app,
    services,
    handle,
    signIn,
    as,
    async close() {
      await app.close();
      await handle.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
