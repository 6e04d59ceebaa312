import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartFile } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

const sample = readFileSync(
  path.resolve(
    import.meta.dirname,
    '../../../importers/cpf-catalogue/fixtures/catalogue-record-synthetic.json',
  ),
);

describe('/api/cpf-offers', () => {
  let server: TestServer;
  let admin: SignedIn;
  let auditor: SignedIn;
  let partner: SignedIn;

  const upload = (user: SignedIn, file: ReturnType<typeof multipartFile>) =>
    server.as(user, { method: 'POST', url: '/api/cpf-offers/imports', ...file });

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    auditor = await server.signIn('auditor');
    partner = await server.signIn('partner');
    await server.handle.db
      .insertInto('certifications')
      .values({ code: 'RNCP37674', register: 'RNCP', title: 'Développeur web et web mobile', level: '5' })
      .execute();
  });
  afterAll(() => server.close());

  it('imports an uploaded catalogue and shows the unknown seller first, with its finding', async () => {
    const res = await upload(admin, multipartFile('catalogue.json', sample));
    expect(res.statusCode).toBe(200);
    const summary = res.json();
    expect(summary).toMatchObject({ fileName: 'catalogue.json', offers: 1, matched: 1 });
    expect(summary.findings['cpf.seller-not-habilitated']).toBe(1);

    const sellers = (await server.as(auditor, { method: 'GET', url: '/api/cpf-offers/sellers' })).json();
    expect(sellers.items).toEqual([
      expect.objectContaining({
        siret: '99999999800019',
        verdict: 'unknown_seller',
        offers: 1,
        openFindings: 1,
      }),
    ]);
    const history = (await server.as(auditor, { method: 'GET', url: '/api/cpf-offers/imports' })).json();
    expect(history.items[0]).toMatchObject({ id: summary.importId, changes: { new: 1 } });
    const detail = await server.as(auditor, {
      method: 'GET',
      url: `/api/cpf-offers/imports/${summary.importId}`,
    });
    expect(detail.json()).toMatchObject({ rejectedRows: [], unknownColumns: [] });
  });

  it('answers 422 import_rejected with the line for a broken file, and changes nothing', async () => {
    const before = (await server.as(admin, { method: 'GET', url: '/api/cpf-offers/imports' })).json().total;
    const res = await upload(admin, multipartFile('broken.csv', 'numero_formation;siret\n"A1;123\n'));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'import_rejected' });
    expect((await server.as(admin, { method: 'GET', url: '/api/cpf-offers/imports' })).json().total).toBe(
      before,
    );
  });

  it('edits the forbidden claims, refusing a duplicate phrase', async () => {
    const put = (body: unknown) =>
      server.as(admin, { method: 'PUT', url: '/api/cpf-offers/settings', payload: body });
    const ok = await put({ forbiddenClaims: [{ phrase: 'Master', reason: 'grade universitaire' }] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().forbiddenClaims).toEqual([
      { phrase: 'Master', reason: 'grade universitaire', allowedLevels: [] },
    ]);
    const bad = await put({
      forbiddenClaims: [
        { phrase: 'Master', reason: 'a' },
        { phrase: 'master', reason: 'b' },
      ],
    });
    expect(bad.statusCode).toBe(400);
  });

  it('keeps the catalogue from partners and from roles that cannot manage controls', async () => {
    expect((await server.as(partner, { method: 'GET', url: '/api/cpf-offers/sellers' })).statusCode).toBe(
      403,
    );
    expect((await upload(partner, multipartFile('catalogue.json', sample))).statusCode).toBe(403);
    const readOnly = await server.signIn('read_only');
    expect((await upload(readOnly, multipartFile('catalogue.json', sample))).statusCode).toBe(403);
  });
});
