import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlanter } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';
import { validateAccrochageXml } from '../../../exporters/accrochage/index.js';

// The certifier settings (CDC identifiers, the assessment-after-training rule) and what reads them: the
// accrochage export and preview, and the registration of candidates for an assessment.

describe('certifier settings', () => {
  let server: TestServer;
  let admin: SignedIn;
  let manager: SignedIn;
  let partner: SignedIn;
  let evaluator: SignedIn;
  let otherEvaluator: SignedIn;
  let plant: ReturnType<typeof controlPlanter>;
  let cert: Awaited<ReturnType<ReturnType<typeof controlPlanter>['certification']>>;

  const settingsUrl = '/api/settings/certifier';
  const auditCount = async () =>
    (
      await server.handle.db
        .selectFrom('auditLog')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', 'certifier_settings.update')
        .executeTakeFirstOrThrow()
    ).n;

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    manager = await server.signIn('quality_manager');
    partner = await server.signIn('partner');
    evaluator = await server.signIn('evaluator');
    otherEvaluator = await server.signIn('evaluator');
    plant = controlPlanter(server.handle.db);
    cert = await plant.certification(1);
  });
  afterAll(() => server.close());

  it('starts empty, and the accrochage export then names the missing identifiers (400)', async () => {
    const res = await server.as(manager, { method: 'GET', url: settingsUrl });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      cdcClientId: null,
      cdcContractId: null,
      cdcDepositorClientId: null,
      assessmentAfterTraining: false,
      updatedAt: null,
      updatedBy: null,
    });
    const exported = await server.as(manager, { method: 'POST', url: '/api/accrochage/export' });
    expect(exported.statusCode).toBe(400);
    expect(exported.json().errors.map((e: { field: string }) => e.field)).toEqual(['clientId', 'contractId']);
  });

  it('only an administrator changes them; partners do not even read them', async () => {
    const payload = { cdcClientId: '03VML243', cdcContractId: 'MCFCER000209' };
    expect((await server.as(manager, { method: 'PATCH', url: settingsUrl, payload })).statusCode).toBe(403);
    expect((await server.as(partner, { method: 'GET', url: settingsUrl })).statusCode).toBe(403);
    expect(await auditCount()).toBe(0);
  });

  it('refuses a malformed idClient, naming the field, and writes nothing', async () => {
    const res = await server.as(admin, {
      method: 'PATCH',
      url: settingsUrl,
      payload: { cdcClientId: 'ABC', cdcContractId: 'MCFCER000209' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'cdcClientId', message: expect.stringContaining('8-character idClient') },
    ]);
    expect(await auditCount()).toBe(0);
    expect((await server.as(admin, { method: 'GET', url: settingsUrl })).json().cdcContractId).toBeNull();
  });

  it('an administrator saves them, with the change in the audit log', async () => {
    const res = await server.as(admin, {
      method: 'PATCH',
      url: settingsUrl,
      payload: { cdcClientId: '03vml243', cdcContractId: 'MCFCER000209' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      cdcClientId: '03VML243',
      cdcContractId: 'MCFCER000209',
      cdcDepositorClientId: null,
      updatedBy: admin.userId,
    });
    const log = await server.as(admin, {
      method: 'GET',
      url: '/api/audit-log?entityType=certifier_settings',
    });
    expect(log.json().items[0]).toMatchObject({
      action: 'certifier_settings.update',
      actorId: admin.userId,
      before: expect.objectContaining({ cdcClientId: null }),
      after: expect.objectContaining({ cdcClientId: '03VML243', cdcContractId: 'MCFCER000209' }),
    });
  });

  describe('accrochage from the settings', () => {
    let completeId: string;
    beforeAll(async () => {
      const juryId = await plant.jury(cert.id);
      const complete = await server.handle.db
        .insertInto('candidates')
        .values({
          organisationId: partner.organisationId,
          birthName: 'Complet',
          firstNames: 'Camille',
          sex: 'F',
          birthDate: '1995-06-14',
          birthPlaceCode: '69123',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const incomplete = await server.handle.db
        .insertInto('candidates')
        .values({ organisationId: partner.organisationId, birthName: 'Sanslieu', firstNames: 'Dominique' })
        .returning('id')
        .executeTakeFirstOrThrow();
      completeId = await plant.certificate(
        await plant.deliberation(juryId, complete.id),
        complete.id,
        cert.id,
      );
      await plant.certificate(await plant.deliberation(juryId, incomplete.id), incomplete.id, cert.id);
    });

    it('the preview lists what would be written and every holder left out, field by field, marking nothing', async () => {
      const res = await server.as(manager, { method: 'GET', url: '/api/accrochage/preview' });
      expect(res.statusCode).toBe(200);
      const preview = res.json();
      expect(preview).toMatchObject({
        clientId: '03VML243',
        contractId: 'MCFCER000209',
        missingSettings: [],
        holders: 1,
        certifications: [{ code: cert.code, passages: 1 }],
      });
      expect(preview.leftOut).toHaveLength(1);
      expect(preview.leftOut[0].holder).toContain('Sanslieu');
      expect(preview.leftOut[0].reasons.map((r: { field: string }) => r.field)).toEqual(
        expect.arrayContaining(['holder.sex', 'holder.birthDate', 'holder.birthPlaceCode']),
      );
      const statuses = await server.handle.db.selectFrom('certificates').select('accrochageStatus').execute();
      expect(statuses.every((s) => s.accrochageStatus === 'pending')).toBe(true);
      expect((await server.as(partner, { method: 'GET', url: '/api/accrochage/preview' })).statusCode).toBe(
        403,
      );
    });

    it('the export without parameters carries the identifiers of the settings, valid against the XSD', async () => {
      const res = await server.as(manager, { method: 'POST', url: '/api/accrochage/export' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-accrochage-holders']).toBe('1');
      expect(res.headers['x-accrochage-left-out']).toBe('1');
      expect(res.body).toContain('<cpf:idClient>03VML243</cpf:idClient>');
      expect(res.body).toContain('<cpf:idContrat>MCFCER000209</cpf:idContrat>');
      expect((await validateAccrochageXml(res.body)).valid).toBe(true);
      const sent = await server.handle.db
        .selectFrom('certificates')
        .select('accrochageStatus')
        .where('id', '=', completeId)
        .executeTakeFirstOrThrow();
      expect(sent.accrochageStatus).toBe('sent');
    });
  });

  describe('assessment after the end of training', () => {
    let organisationId: string;
    let candidateId: string;
    let freeCandidateId: string;

    beforeAll(async () => {
      organisationId = partner.organisationId!;
      await plant.habilitation(organisationId, cert.id, { scope: 'both' });
      candidateId = await plant.candidate(organisationId, { birthName: 'Enformation' });
      freeCandidateId = await plant.candidate(organisationId, { birthName: 'Libre' });
      await plant.trainingSession(organisationId, cert.id, {
        startsOn: '2026-09-01',
        endsOn: '2026-10-15',
        candidateIds: [candidateId],
      });
    });

    const declare = (startsAt: string, candidateIds: string[]) =>
      server.as(admin, {
        method: 'POST',
        url: '/api/assessment-sessions',
        payload: { certificationId: cert.id, startsAt, candidateIds, evaluatorIds: [evaluator.userId] },
      });

    it('without the rule, a candidate may be assessed during its training', async () => {
      expect((await declare('2026-10-01T09:00:00+02:00', [candidateId])).statusCode).toBe(201);
    });

    it('with the rule, refuses (409) naming the candidate and the training, and writes nothing', async () => {
      await server.as(admin, {
        method: 'PATCH',
        url: settingsUrl,
        payload: { assessmentAfterTraining: true },
      });
      const count = async () =>
        (
          await server.handle.db
            .selectFrom('assessmentSessions')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n;
      const before = await count();
      const res = await declare('2026-10-01T09:00:00+02:00', [freeCandidateId, candidateId]);
      expect(res.statusCode).toBe(409);
      expect(res.json().errors).toEqual([
        { field: 'candidateIds/1', message: expect.stringMatching(/ENFORMATION|Enformation/) },
      ]);
      expect(res.json().errors[0].message).toContain(
        'ends on 2026-10-15, after the assessment on 2026-10-01',
      );
      expect(await count()).toBe(before);
    });

    it('with the rule, accepts the last day of training and later, and a candidate without training', async () => {
      expect((await declare('2026-10-15T09:00:00+02:00', [candidateId])).statusCode).toBe(201);
      const free = await declare('2026-10-01T09:00:00+02:00', [freeCandidateId]);
      expect(free.statusCode).toBe(201);
      const added = await server.as(admin, {
        method: 'POST',
        url: `/api/assessment-sessions/${free.json().id}/candidates`,
        payload: { candidateIds: [candidateId] },
      });
      expect(added.statusCode).toBe(409);
      const moved = await server.as(admin, {
        method: 'PATCH',
        url: `/api/assessment-sessions/${(await declare('2026-11-02T09:00:00+01:00', [candidateId])).json().id}`,
        payload: { startsAt: '2026-10-10T09:00:00+02:00' },
      });
      expect(moved.statusCode).toBe(409);
    });

    it('an evaluator lists and opens only the sessions it evaluates', async () => {
      const mine = await server.as(evaluator, { method: 'GET', url: '/api/assessment-sessions' });
      expect(mine.json().total).toBeGreaterThan(0);
      const theirs = await server.as(otherEvaluator, { method: 'GET', url: '/api/assessment-sessions' });
      expect(theirs.json()).toMatchObject({ total: 0, items: [] });
      const id = mine.json().items[0].id;
      expect(
        (await server.as(otherEvaluator, { method: 'GET', url: `/api/assessment-sessions/${id}` }))
          .statusCode,
      ).toBe(404);
      expect(
        (await server.as(otherEvaluator, { method: 'GET', url: `/api/assessment-sessions/${id}/results` }))
          .statusCode,
      ).toBe(404);
      expect(
        (await server.as(evaluator, { method: 'GET', url: `/api/assessment-sessions/${id}` })).statusCode,
      ).toBe(200);
    });
  });
});
