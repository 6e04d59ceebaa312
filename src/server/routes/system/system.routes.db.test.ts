import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../../../../test/database.js';
import { newTestServer, type TestServer } from '../../../../test/server.js';

describe('system routes', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await newTestServer();
  });
  afterAll(() => server.close());

  it('health reports the engine and the migration version', async () => {
    const res = await server.as(undefined, { method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.database.engine).toBe(testEngine());
    expect(body.database.migration).toBe(body.database.latestMigration);
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('publishes an OpenAPI 3.1 document generated from the contracts, with problem+json errors', async () => {
    const res = await server.as(undefined, { method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/organisations', '/api/organisations/{id}', '/api/auth/login']),
    );
    const create = doc.paths['/api/organisations'].post;
    expect(create.requestBody.content['application/json'].schema.properties.siret).toBeDefined();
    expect(create.security).toEqual([{ session: [] }]);
    const ui = await server.as(undefined, { method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });

  it('sets security headers', async () => {
    const res = await server.as(undefined, { method: 'GET', url: '/api/health' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    // Errors and unknown routes carry them too.
    const missing = await server.as(undefined, { method: 'GET', url: '/api/no-such-route' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-security-policy']).toContain("frame-ancestors 'self'");
  });
});
