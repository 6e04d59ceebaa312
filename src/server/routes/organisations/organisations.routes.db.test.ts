import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisation } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

describe('organisation routes', () => {
  let server: TestServer;
  let admin: SignedIn;

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
  });
  afterAll(() => server.close());

  it('creates an organisation, derives its SIREN and writes the audit log', async () => {
    const input = buildOrganisation({ siret: '732 829 320 00074', legalName: 'Formasud' });
    const res = await server.as(admin, { method: 'POST', url: '/api/organisations', payload: input });
    expect(res.statusCode).toBe(201);
    const org = res.json();
    expect(org).toMatchObject({ siret: '73282932000074', siren: '732829320', legalName: 'Formasud' });
    const log = await server.as(admin, {
      method: 'GET',
      url: `/api/audit-log?entityType=organisation&entityId=${org.id}`,
    });
    expect(log.json().items[0]).toMatchObject({ action: 'organisation.create', actorId: admin.userId });
  });

  it('refuses an invalid SIRET with a problem naming the field, and writes nothing', async () => {
    const before = (await server.as(admin, { method: 'GET', url: '/api/organisations?limit=200' })).json()
      .total;
    const res = await server.as(admin, {
      method: 'POST',
      url: '/api/organisations',
      payload: buildOrganisation({ siret: '73282932000075' }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'siret', message: 'invalid SIRET (Luhn checksum)' }],
    });
    const after = (await server.as(admin, { method: 'GET', url: '/api/organisations?limit=200' })).json()
      .total;
    expect(after).toBe(before);
  });

  it('refuses an NDA that is not 11 digits, naming the field, and writes nothing', async () => {
    const count = async () =>
      (await server.as(admin, { method: 'GET', url: '/api/organisations?limit=1' })).json().total;
    const before = await count();
    for (const nda of ['1234567890', '11 75 1234 56X', '117512345678']) {
      const res = await server.as(admin, {
        method: 'POST',
        url: '/api/organisations',
        payload: buildOrganisation({ nda }),
      });
      expect(res.statusCode, nda).toBe(400);
      expect(res.json().errors, nda).toEqual([{ field: 'nda', message: 'an NDA has exactly 11 digits' }]);
    }
    // Spaces as printed on the récépissé are fine: stored as the 11 digits.
    const spaced = await server.as(admin, {
      method: 'POST',
      url: '/api/organisations',
      payload: buildOrganisation({ nda: '11 75 12345 67' }),
    });
    expect(spaced.statusCode, spaced.body).toBe(201);
    expect(spaced.json().nda).toBe('11751234567');
    expect(await count()).toBe(before + 1);
  });
});
