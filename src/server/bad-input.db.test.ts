import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisation } from '../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../test/server.js';

/** Issue #2 item 9: malformed input gets a problem+json naming the field, and nothing is written. */
describe('bad input', () => {
  let server: TestServer;
  let admin: SignedIn;

  const count = async () =>
    (await server.as(admin, { method: 'GET', url: '/api/organisations?limit=1&includeArchived=true' })).json()
      .total;
  const post = (payload: string, headers: Record<string, string> = {}) =>
    server.app.inject({
      method: 'POST',
      url: '/api/organisations',
      payload,
      headers: {
        cookie: admin.cookie,
        'x-csrf-token': admin.csrfToken,
        'content-type': 'application/json',
        ...headers,
      },
    });

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
  });
  afterAll(() => server.close());

  it('malformed JSON', async () => {
    const res = await post('{"siret": "7328293200007');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ field: '(body)', message: 'not valid JSON' }],
    });
  });

  it('wrong types, naming each field', async () => {
    const res = await post(
      JSON.stringify({ siret: 73282932000074, legalName: ['x'], qualiopiStatus: 'maybe' }),
    );
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['siret', 'legalName', 'qualiopiStatus']));
  });

  it('unknown fields', async () => {
    const res = await post(JSON.stringify({ ...buildOrganisation(), isAdmin: true }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'isAdmin', message: 'unknown field' }]);
  });

  it('oversized bodies', async () => {
    const res = await post(JSON.stringify({ ...buildOrganisation(), notes: 'x'.repeat(2_000_000) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('payload_too_large');
  });

  it('a body that is not JSON', async () => {
    const res = await post('siret=1', { 'content-type': 'text/plain' });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('unsupported_media_type');
  });

  it('invalid SIRET, postal code and e-mail', async () => {
    const res = await post(
      JSON.stringify(
        buildOrganisation({ siret: '12345678901234', postalCode: '750', email: 'not-an-email' }),
      ),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(
      expect.arrayContaining([
        { field: 'siret', message: 'invalid SIRET (Luhn checksum)' },
        { field: 'postalCode', message: 'a French postal code has 5 digits' },
        expect.objectContaining({ field: 'email' }),
      ]),
    );
  });

  it('a query parameter out of range, and a malformed id', async () => {
    const q = await server.as(admin, { method: 'GET', url: '/api/organisations?limit=100000' });
    expect(q.statusCode).toBe(400);
    expect(q.json().errors[0].field).toBe('limit');
    const id = await server.as(admin, { method: 'GET', url: '/api/organisations/not-a-uuid' });
    expect(id.statusCode).toBe(400);
    expect(id.json().errors[0].field).toBe('id');
  });

  it('wrote nothing through all of the above', async () => {
    expect(await count()).toBe(0);
  });

  it('an unknown route is a problem+json 404', async () => {
    const res = await server.as(admin, { method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found', status: 404 });
  });
});
