import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisation, multipartFile } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, system, type TestServer } from '../../../../test/server.js';

const sample = readFileSync(
  path.resolve(import.meta.dirname, '../../../importers/lpof/fixtures/lpof-header-and-synthetic-rows.csv'),
);

describe('POST /api/qualiopi/imports', () => {
  let server: TestServer;
  let admin: SignedIn;
  let auditor: SignedIn;
  let partner: SignedIn;
  /** Certified in Habilis, without any Qualiopi category in the sample (its third row). */
  let lostId: string;

  const upload = (user: SignedIn, file: ReturnType<typeof multipartFile>) =>
    server.as(user, { method: 'POST', url: '/api/qualiopi/imports', ...file });
  const organisation = async (id: string) =>
    (await server.as(admin, { method: 'GET', url: `/api/organisations/${id}` })).json();

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    auditor = await server.signIn('auditor');
    partner = await server.signIn('partner');
    lostId = (
      await server.services.organisations.create(
        system,
        buildOrganisation({
          siret: '99999997200014',
          nda: '53359999997',
          qualiopiStatus: 'certified',
          qualiopiCategories: ['training'],
        }),
      )
    ).id;
  });
  afterAll(() => server.close());

  it('imports an uploaded list: status refreshed, finding opened, summary answered', async () => {
    const res = await upload(admin, multipartFile('lpof.csv', sample));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      fileName: 'lpof.csv',
      matched: 1,
      // Also the signed-in partner's organisation: certified, and absent from the list.
      updated: 2,
      lost: 2,
      findings: { opened: 2, updated: 0, resolved: 0 },
    });
    expect(await organisation(lostId)).toMatchObject({ qualiopiStatus: 'lapsed', qualiopiCategories: [] });
    const findings = (
      await server.as(admin, { method: 'GET', url: `/api/findings?organisationId=${lostId}` })
    ).json();
    expect(findings.items).toEqual([expect.objectContaining({ severity: 'major', status: 'open' })]);
    // The partner sees the finding about its own organisation only.
    const own = (await server.as(partner, { method: 'GET', url: '/api/findings' })).json();
    expect(own.items).toEqual([expect.objectContaining({ organisationId: partner.organisationId })]);
  });

  it('answers 422 import_rejected for a file it cannot read, and changes nothing', async () => {
    const before = await organisation(lostId);
    const res = await upload(admin, multipartFile('broken.csv', 'pas;la;liste\r\n1;2;3\r\n'));
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('import_rejected');
    expect(await organisation(lostId)).toEqual(before);
  });

  it('refuses roles that cannot import organisations', async () => {
    expect((await upload(auditor, multipartFile('lpof.csv', sample))).statusCode).toBe(403);
    expect((await upload(partner, multipartFile('lpof.csv', sample))).statusCode).toBe(403);
  });

  it('asks for a part named file', async () => {
    const res = await upload(admin, multipartFile('lpof.csv', sample, 'document'));
    expect(res.statusCode).toBe(400);
  });
});
