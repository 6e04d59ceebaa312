import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCertification, buildConvention } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

describe('convention routes', () => {
  let server: TestServer;
  let admin: SignedIn;
  let partnerA: SignedIn;
  let partnerB: SignedIn;
  let orgA: string;
  let orgB: string;
  let certs: { id: string; code: string }[];

  const create = (payload: unknown, user: SignedIn = admin) =>
    server.as(user, { method: 'POST', url: '/api/conventions', payload });
  const post = (url: string, payload: unknown, user: SignedIn = admin) =>
    server.as(user, { method: 'POST', url, payload });
  const totals = async () => ({
    conventions: (await server.as(admin, { method: 'GET', url: '/api/conventions?limit=1' })).json().total,
    audit: (await server.as(admin, { method: 'GET', url: '/api/audit-log?limit=1' })).json().total,
  });

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    partnerA = await server.signIn('partner');
    partnerB = await server.signIn('partner');
    orgA = partnerA.organisationId!;
    orgB = partnerB.organisationId!;
    certs = [];
    for (let i = 0; i < 2; i++)
      certs.push(
        (
          await server.as(admin, {
            method: 'POST',
            url: '/api/certifications',
            payload: buildCertification(),
          })
        ).json(),
      );
  });
  afterAll(() => server.close());

  it('creates a draft convention with its certifications, fees and clauses, and writes the audit log', async () => {
    const input = buildConvention(orgA, [certs[1]!.id, certs[0]!.id], { reference: 'CONV-2025-A1' });
    const res = await create(input);
    expect(res.statusCode).toBe(201);
    const conv = res.json();
    expect(conv).toMatchObject({
      organisationId: orgA,
      reference: 'CONV-2025-A1',
      status: 'draft',
      version: 1,
      startsOn: '2025-01-01',
      endsOn: '2099-12-31',
      signedOn: null,
      feePerCandidateCents: 12_000,
      annualFeeCents: 150_000,
      clauses: input.clauses,
    });
    expect(conv.certifications.map((c: { id: string }) => c.id).sort()).toEqual(
      [certs[0]!.id, certs[1]!.id].sort(),
    );
    const log = await server.as(admin, {
      method: 'GET',
      url: `/api/audit-log?entityType=convention&entityId=${conv.id}`,
    });
    expect(log.json().items[0]).toMatchObject({ action: 'convention.create', actorId: admin.userId });
  });

  it('refuses bad conventions, naming the field, and writes nothing', async () => {
    await create(buildConvention(orgA, [certs[0]!.id], { reference: 'CONV-UNIQUE-1' }));
    const unknown = '00000000-0000-4000-8000-000000000000';
    const before = await totals();

    const duplicate = await create(buildConvention(orgB, [certs[0]!.id], { reference: 'conv-unique-1' }));
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().errors).toEqual([{ field: 'reference', message: 'already used' }]);

    const unknownCert = await create(buildConvention(orgA, [certs[0]!.id, unknown]));
    expect(unknownCert.statusCode).toBe(400);
    expect(unknownCert.json().errors).toEqual([
      { field: 'certificationIds/1', message: 'unknown certification' },
    ]);

    const none = await create(buildConvention(orgA, []));
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0].field).toBe('certificationIds');

    const period = await create(
      buildConvention(orgA, [certs[0]!.id], { startsOn: '2026-01-01', endsOn: '2025-12-31' }),
    );
    expect(period.statusCode).toBe(400);
    expect(period.json().errors).toEqual([{ field: 'endsOn', message: 'must not be before startsOn' }]);

    const fee = await create(buildConvention(orgA, [certs[0]!.id], { feePerCandidateCents: 120.5 }));
    expect(fee.statusCode).toBe(400);
    expect(fee.json().errors[0].field).toBe('feePerCandidateCents');

    const noOrg = await create(buildConvention(unknown, [certs[0]!.id]));
    expect(noOrg.statusCode).toBe(404);

    const document = await create(buildConvention(orgA, [certs[0]!.id], { documentId: unknown }));
    expect(document.statusCode).toBe(400);
    expect(document.json().errors).toEqual([{ field: 'documentId', message: 'unknown evidence file' }]);

    const byPartner = await create(buildConvention(orgA, [certs[0]!.id]), partnerA);
    expect(byPartner.statusCode).toBe(403);

    expect(await totals()).toEqual(before);
  });

  it('lists per organisation; a partner reads its own only', async () => {
    const mine = (await create(buildConvention(orgA, [certs[0]!.id]))).json();
    const theirs = (await create(buildConvention(orgB, [certs[1]!.id]))).json();

    const forB = await server.as(admin, { method: 'GET', url: `/api/conventions?organisationId=${orgB}` });
    expect(forB.json().items.map((c: { id: string }) => c.id)).toEqual([theirs.id]);
    const byCert = await server.as(admin, {
      method: 'GET',
      url: `/api/conventions?certificationId=${certs[1]!.id}&organisationId=${orgB}`,
    });
    expect(byCert.json().total).toBe(1);

    const partnerList = await server.as(partnerA, { method: 'GET', url: '/api/conventions?limit=200' });
    const ids = partnerList.json().items.map((c: { id: string }) => c.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    const asked = await server.as(partnerA, {
      method: 'GET',
      url: `/api/conventions?organisationId=${orgB}`,
    });
    expect(asked.json().total).toBe(0);

    expect(
      (await server.as(partnerA, { method: 'GET', url: `/api/conventions/${mine.id}` })).statusCode,
    ).toBe(200);
    const hidden = await server.as(partnerA, { method: 'GET', url: `/api/conventions/${theirs.id}` });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('not_found');
  });

  it('amends a draft as new versions, records the signature once, then refuses changes', async () => {
    const conv = (await create(buildConvention(orgA, [certs[0]!.id]))).json();
    const amended = await server.as(admin, {
      method: 'PATCH',
      url: `/api/conventions/${conv.id}`,
      payload: { certificationIds: [certs[0]!.id, certs[1]!.id], annualFeeCents: 90_000 },
    });
    expect(amended.statusCode).toBe(200);
    expect(amended.json()).toMatchObject({
      version: 2,
      annualFeeCents: 90_000,
      feePerCandidateCents: 12_000,
    });
    expect(amended.json().certifications).toHaveLength(2);

    const future = await post(`/api/conventions/${conv.id}/signature`, { signedOn: '2999-01-01' });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].field).toBe('signedOn');

    const signed = await post(`/api/conventions/${conv.id}/signature`, { signedOn: '2024-12-20' });
    expect(signed.statusCode).toBe(200);
    expect(signed.json()).toMatchObject({ status: 'signed', signedOn: '2024-12-20', version: 2 });

    const before = await totals();
    const again = await post(`/api/conventions/${conv.id}/signature`, { signedOn: '2024-12-21' });
    expect(again.statusCode).toBe(409);
    const change = await server.as(admin, {
      method: 'PATCH',
      url: `/api/conventions/${conv.id}`,
      payload: { annualFeeCents: 1 },
    });
    expect(change.statusCode).toBe(409);
    expect(change.json().detail).toContain('signed');
    expect(await totals()).toEqual(before);

    const log = await server.as(admin, {
      method: 'GET',
      url: `/api/audit-log?entityType=convention&entityId=${conv.id}`,
    });
    expect(log.json().items.map((e: { action: string }) => e.action)).toEqual([
      'convention.sign',
      'convention.update',
      'convention.create',
    ]);
  });

  it('terminates a convention from a day, with the reasons, once', async () => {
    const conv = (await create(buildConvention(orgB, [certs[1]!.id]))).json();
    await post(`/api/conventions/${conv.id}/signature`, { signedOn: '2024-12-20' });
    const noReasons = await post(`/api/conventions/${conv.id}/termination`, { terminatedOn: '2026-01-01' });
    expect(noReasons.statusCode).toBe(400);
    expect(noReasons.json().errors[0].field).toBe('reasons');

    const ended = await post(`/api/conventions/${conv.id}/termination`, {
      terminatedOn: '2026-01-01',
      reasons: 'Résiliation à l’initiative du partenaire',
    });
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toMatchObject({
      status: 'terminated',
      terminatedOn: '2026-01-01',
      terminationReasons: 'Résiliation à l’initiative du partenaire',
      signedOn: '2024-12-20',
    });
    const again = await post(`/api/conventions/${conv.id}/termination`, {
      terminatedOn: '2026-02-01',
      reasons: 'x',
    });
    expect(again.statusCode).toBe(409);
    const partner = await post(
      `/api/conventions/${conv.id}/termination`,
      { terminatedOn: '2026-02-01', reasons: 'x' },
      partnerB,
    );
    expect(partner.statusCode).toBe(403);
  });
});
