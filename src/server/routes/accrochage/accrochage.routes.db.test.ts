import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlanter, multipartFile } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';
import { accrochageIdTechnique } from '../../../core/accrochage/id-technique.js';
import { validateAccrochageXml } from '../../../exporters/accrochage/index.js';

const exportUrl = '/api/accrochage/export?clientId=03VML243&contractId=MCF-2026';

describe('accrochage routes', () => {
  let server: TestServer;
  let admin: SignedIn;
  let partner: SignedIn;
  let certificateId: string;
  let number: string;

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    partner = await server.signIn('partner');
    const db = server.handle.db;
    const plant = controlPlanter(db);
    const cert = await plant.certification(0);
    const juryId = await plant.jury(cert.id);
    const { id: candidateId } = await db
      .insertInto('candidates')
      .values({
        organisationId: partner.organisationId,
        birthName: 'Exemple',
        firstNames: 'Camille',
        sex: 'F',
        birthDate: '1995-06-14',
        birthPlaceCode: '69123',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const deliberationId = await plant.deliberation(juryId, candidateId);
    certificateId = await plant.certificate(deliberationId, candidateId, cert.id, { issuedOn: '2026-11-02' });
    number = (
      await db
        .selectFrom('certificates')
        .select('number')
        .where('id', '=', certificateId)
        .executeTakeFirstOrThrow()
    ).number;
  });
  afterAll(() => server.close());

  const status = async () =>
    await server.handle.db
      .selectFrom('certificates')
      .select(['accrochageStatus', 'accrochageMessage'])
      .where('id', '=', certificateId)
      .executeTakeFirstOrThrow();

  it('refuses the export to a partner, and changes nothing', async () => {
    const res = await server.as(partner, { method: 'POST', url: exportUrl });
    expect(res.statusCode).toBe(403);
    expect((await status()).accrochageStatus).toBe('pending');
  });

  it('refuses an export without the CDC identifiers', async () => {
    const res = await server.as(admin, { method: 'POST', url: '/api/accrochage/export' });
    expect(res.statusCode).toBe(400);
  });

  it('lists the deadline to the partner of the holder', async () => {
    const res = await server.as(partner, { method: 'GET', url: '/api/accrochage/deadlines' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({ certificateId, dueOn: '2027-02-02', accrochageStatus: 'pending' }),
    ]);
    const other = await server.signIn('partner');
    const theirs = await server.as(other, { method: 'GET', url: '/api/accrochage/deadlines' });
    expect(theirs.json().items).toEqual([]);
  });

  it('downloads a valid flux and marks the certificate sent', async () => {
    const res = await server.as(admin, { method: 'POST', url: exportUrl });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/xml');
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.headers['x-accrochage-holders']).toBe('1');
    const validation = await validateAccrochageXml(res.body);
    expect(validation.valid).toBe(true);
    expect(res.body).toContain(accrochageIdTechnique({ id: certificateId, number }));
    expect((await status()).accrochageStatus).toBe('sent');
  });

  it('answers 409 with nothing left to send', async () => {
    const res = await server.as(admin, { method: 'POST', url: exportUrl });
    expect(res.statusCode).toBe(409);
  });

  it('reads an uploaded report and sets the certificate rejected with the CDC message', async () => {
    const report = `<rapport><idFlux>f</idFlux><PassagesKO><passage><idTechnique>${accrochageIdTechnique({ id: certificateId, number })}</idTechnique><messageErreur>Plusieurs titulaires ont été identifiés</messageErreur></passage></PassagesKO></rapport>`;
    const upload = multipartFile('accuse.xml', report);
    const refused = await server.as(partner, { method: 'POST', url: '/api/accrochage/reports', ...upload });
    expect(refused.statusCode).toBe(403);
    const res = await server.as(admin, {
      method: 'POST',
      url: '/api/accrochage/reports',
      ...multipartFile('accuse.xml', report),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 0, rejected: 1, unknown: [] });
    expect(await status()).toEqual({
      accrochageStatus: 'rejected',
      accrochageMessage: 'Plusieurs titulaires ont été identifiés',
    });
  });
});
