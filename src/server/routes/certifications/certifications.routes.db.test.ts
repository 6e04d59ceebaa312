import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCertification } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

describe('certification routes', () => {
  let server: TestServer;
  let admin: SignedIn;
  let partner: SignedIn;
  let evaluator: SignedIn;

  const create = (user: SignedIn, payload: unknown) =>
    server.as(user, { method: 'POST', url: '/api/certifications', payload });
  const totals = async () => ({
    certifications: (await server.as(admin, { method: 'GET', url: '/api/certifications?limit=1' })).json()
      .total,
    audit: (await server.as(admin, { method: 'GET', url: '/api/audit-log?limit=1' })).json().total,
  });

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    partner = await server.signIn('partner');
    evaluator = await server.signIn('evaluator');
  });
  afterAll(() => server.close());

  it('creates a certification with its skill blocks and writes the audit log', async () => {
    const res = await create(admin, {
      ...buildCertification({ code: 'rncp 35419', title: 'Manager de la formation' }),
      skillBlocks: [
        { code: 'RNCP35419BC02', title: 'Piloter' },
        { code: 'rncp35419bc01', title: 'Concevoir', competences: 'C1. Analyser le besoin' },
      ],
    });
    expect(res.statusCode).toBe(201);
    const cert = res.json();
    expect(cert).toMatchObject({ code: 'RNCP35419', register: 'RNCP', isActive: true, skillBlockCount: 2 });
    expect(cert.skillBlocks.map((b: { code: string }) => b.code)).toEqual(['RNCP35419BC01', 'RNCP35419BC02']);
    expect(cert.skillBlocks[0]).toMatchObject({
      competences: 'C1. Analyser le besoin',
      certificationId: cert.id,
    });
    const log = await server.as(admin, {
      method: 'GET',
      url: `/api/audit-log?entityType=certification&entityId=${cert.id}`,
    });
    expect(log.json().items[0]).toMatchObject({ action: 'certification.create', actorId: admin.userId });
  });

  it('lets partners and evaluators read certifications (public data) but not create them', async () => {
    const created = (await create(admin, buildCertification({ code: 'RS5678' }))).json();
    for (const reader of [partner, evaluator]) {
      const one = await server.as(reader, { method: 'GET', url: `/api/certifications/${created.id}` });
      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({ code: 'RS5678', register: 'RS' });
      expect((await server.as(reader, { method: 'GET', url: '/api/certifications' })).statusCode).toBe(200);
    }
    const before = await totals();
    const refused = await create(partner, buildCertification());
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('forbidden');
    expect(await totals()).toEqual(before);
  });

  it('searches by code or title and filters active and owned', async () => {
    await create(
      admin,
      buildCertification({ code: 'RNCP777', title: 'Conducteur de travaux', isOwned: false }),
    );
    await create(admin, buildCertification({ code: 'RNCP778', title: 'Chef de chantier', isActive: false }));
    const codes = async (query: string) =>
      (await server.as(partner, { method: 'GET', url: `/api/certifications?${query}` }))
        .json()
        .items.map((c: { code: string }) => c.code);
    expect(await codes('q=rncp77')).toEqual(['RNCP777', 'RNCP778']);
    expect(await codes('q=778')).toEqual(['RNCP778']);
    expect(await codes('q=travaux')).toEqual(['RNCP777']);
    expect(await codes('q=77&active=false')).toEqual(['RNCP778']);
    expect(await codes('q=77&owned=false')).toEqual(['RNCP777']);
    // Codes sort by number, not as text: RNCP777 before RNCP35419.
    const all = await codes('register=RNCP&limit=200');
    expect(all.indexOf('RNCP777')).toBeLessThan(all.indexOf('RNCP35419'));
  });

  it('refuses an invalid code and foreign skill block codes, naming the fields, and writes nothing', async () => {
    const before = await totals();
    const badCode = await create(admin, buildCertification({ code: 'RNCP-0123', skillBlocks: [] }));
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'code', message: 'a certification code is RNCP or RS followed by its number' }],
    });
    const foreignBlock = await create(admin, {
      ...buildCertification({ code: 'RNCP4242' }),
      skillBlocks: [{ code: 'RNCP42421BC01', title: 'Autre fiche' }],
    });
    expect(foreignBlock.statusCode).toBe(400);
    expect(foreignBlock.json().errors).toEqual([
      { field: 'skillBlocks/0/code', message: 'must start with RNCP4242BC' },
    ]);
    expect(await totals()).toEqual(before);
  });

  it('refuses a second certification with the same code (409)', async () => {
    await create(admin, buildCertification({ code: 'RNCP9001' }));
    const before = await totals();
    const again = await create(admin, buildCertification({ code: ' rncp9001 ' }));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      code: 'conflict',
      errors: [{ field: 'code', message: 'already registered' }],
    });
    expect(await totals()).toEqual(before);
  });

  it('updates a certification but not its code, and checks the dates', async () => {
    const cert = (await create(admin, buildCertification())).json();
    const res = await server.as(admin, {
      method: 'PATCH',
      url: `/api/certifications/${cert.id}`,
      payload: { title: 'Nouveau titre', isActive: false },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      title: 'Nouveau titre',
      isActive: false,
      isOwned: true,
      code: cert.code,
    });
    const code = await server.as(admin, {
      method: 'PATCH',
      url: `/api/certifications/${cert.id}`,
      payload: { code: 'RNCP1' },
    });
    expect(code.statusCode).toBe(400);
    expect(code.json().errors).toEqual([{ field: 'code', message: 'unknown field' }]);
    const dates = await server.as(admin, {
      method: 'PATCH',
      url: `/api/certifications/${cert.id}`,
      payload: { endsOn: '2020-01-01' },
    });
    expect(dates.statusCode).toBe(400);
    expect(dates.json().errors[0].field).toBe('endsOn');
    const unchanged = (
      await server.as(admin, { method: 'GET', url: `/api/certifications/${cert.id}` })
    ).json();
    expect(unchanged.endsOn).toBe('2029-01-15');
  });

  it('adds and changes skill blocks of the right certification only', async () => {
    const cert = (await create(admin, buildCertification())).json();
    const other = (await create(admin, buildCertification())).json();
    const url = `/api/certifications/${cert.id}/skill-blocks`;

    const wrongPrefix = await server.as(admin, {
      method: 'POST',
      url,
      payload: { code: `${other.code}BC03`, title: 'Bloc 3' },
    });
    expect(wrongPrefix.statusCode).toBe(400);
    expect(wrongPrefix.json().errors).toEqual([{ field: 'code', message: `must start with ${cert.code}BC` }]);

    const duplicate = await server.as(admin, {
      method: 'POST',
      url,
      payload: { code: `${cert.code}BC01`, title: 'x' },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().errors).toEqual([{ field: 'code', message: 'already used' }]);

    const added = await server.as(admin, {
      method: 'POST',
      url,
      payload: { code: `${cert.code}BC03`, title: 'Évaluer' },
    });
    expect(added.statusCode).toBe(201);
    const detail = (
      await server.as(partner, { method: 'GET', url: `/api/certifications/${cert.id}` })
    ).json();
    expect(detail.skillBlocks.map((b: { title: string }) => b.title)).toEqual([
      'Concevoir un dispositif de formation',
      'Piloter un dispositif de formation',
      'Évaluer',
    ]);

    const changed = await server.as(admin, {
      method: 'PATCH',
      url: `${url}/${added.json().id}`,
      payload: { assessmentRules: 'Mise en situation professionnelle' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      title: 'Évaluer',
      assessmentRules: 'Mise en situation professionnelle',
    });

    const underOther = await server.as(admin, {
      method: 'PATCH',
      url: `/api/certifications/${other.id}/skill-blocks/${added.json().id}`,
      payload: { title: 'x' },
    });
    expect(underOther.statusCode).toBe(404);
  });

  it('answers 404 for an unknown certification', async () => {
    const res = await server.as(partner, {
      method: 'GET',
      url: '/api/certifications/00000000-0000-4000-8000-000000000000',
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('not_found');
  });
});
