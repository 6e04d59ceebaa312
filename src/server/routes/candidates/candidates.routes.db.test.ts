import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCandidate } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

describe('candidate routes', () => {
  let server: TestServer;
  let admin: SignedIn;
  let partnerA: SignedIn;
  let partnerB: SignedIn;

  const count = async () =>
    (
      await server.handle.db
        .selectFrom('candidates')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    partnerA = await server.signIn('partner');
    partnerB = await server.signIn('partner');
  });
  afterAll(() => server.close());

  it('a partner registers a candidate for its own organisation, and the audit log records it', async () => {
    const res = await server.as(partnerA, {
      method: 'POST',
      url: '/api/candidates',
      payload: buildCandidate({ birthName: 'Lefèvre', usageName: "N'Diaye", birthPlaceCode: '2a004' }),
    });
    expect(res.statusCode).toBe(201);
    const candidate = res.json();
    expect(candidate).toMatchObject({
      organisationId: partnerA.organisationId,
      birthName: 'Lefèvre',
      usageName: "N'Diaye",
      birthPlaceCode: '2A004',
      sex: 'F',
    });
    const log = await server.as(admin, {
      method: 'GET',
      url: `/api/audit-log?entityType=candidate&entityId=${candidate.id}`,
    });
    expect(log.json().items[0]).toMatchObject({ action: 'candidate.create', actorId: partnerA.userId });
  });

  it('refuses a birth place that is neither a commune nor a country, naming the field, and writes nothing', async () => {
    const before = await count();
    const res = await server.as(partnerA, {
      method: 'POST',
      url: '/api/candidates',
      payload: buildCandidate({ birthPlaceCode: '6912' }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'birthPlaceCode' }] });
    const abroad = await server.as(partnerA, {
      method: 'POST',
      url: '/api/candidates',
      payload: buildCandidate({ birthPlaceCode: '69123', birthCountryCode: '99350' }),
    });
    expect(abroad.statusCode).toBe(400);
    expect(abroad.json().errors).toEqual([
      { field: 'birthCountryCode', message: 'a commune of birth means born in France (99100)' },
    ]);
    expect(await count()).toBe(before);
  });

  it('refuses a birth date in the future', async () => {
    const res = await server.as(admin, {
      method: 'POST',
      url: '/api/candidates',
      payload: buildCandidate({ birthDate: '2999-01-01' }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'birthDate', message: 'must not be in the future' }]);
  });

  it('a partner may not register a candidate for another organisation (403), and writes nothing', async () => {
    const before = await count();
    const res = await server.as(partnerA, {
      method: 'POST',
      url: '/api/candidates',
      payload: buildCandidate({ organisationId: partnerB.organisationId! }),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
    expect(await count()).toBe(before);
  });

  it('a role without chain.declare gets 403', async () => {
    const evaluator = await server.signIn('evaluator');
    const res = await server.as(evaluator, {
      method: 'POST',
      url: '/api/candidates',
      payload: buildCandidate(),
    });
    expect(res.statusCode).toBe(403);
  });

  it('another partner’s candidate does not exist for a partner (404 to read and to change)', async () => {
    const created = (
      await server.as(partnerA, { method: 'POST', url: '/api/candidates', payload: buildCandidate() })
    ).json();
    const read = await server.as(partnerB, { method: 'GET', url: `/api/candidates/${created.id}` });
    expect(read.statusCode).toBe(404);
    const change = await server.as(partnerB, {
      method: 'PATCH',
      url: `/api/candidates/${created.id}`,
      payload: { firstNames: 'Autre' },
    });
    expect(change.statusCode).toBe(404);
    const list = (await server.as(partnerB, { method: 'GET', url: '/api/candidates?limit=200' })).json();
    expect(list.items.map((c: { id: string }) => c.id)).not.toContain(created.id);
    const staff = await server.as(admin, { method: 'GET', url: `/api/candidates/${created.id}` });
    expect(staff.statusCode).toBe(200);
  });

  it('refuses the same person twice in one organisation (409)', async () => {
    const input = buildCandidate({ birthName: 'Durand', firstNames: 'Léa', birthDate: '1988-02-29' });
    const first = await server.as(partnerA, { method: 'POST', url: '/api/candidates', payload: input });
    expect(first.statusCode).toBe(201);
    const again = await server.as(partnerA, {
      method: 'POST',
      url: '/api/candidates',
      payload: { ...input, birthName: 'DURAND', email: 'autre@example.org' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'conflict', errors: [{ field: 'birthName' }] });
    // Another partner may know the same person: it does not learn that partner A does.
    const elsewhere = await server.as(partnerB, { method: 'POST', url: '/api/candidates', payload: input });
    expect(elsewhere.statusCode).toBe(201);
  });

  it('corrects an identity, checking the place of birth as a whole', async () => {
    const created = (
      await server.as(partnerA, { method: 'POST', url: '/api/candidates', payload: buildCandidate() })
    ).json();
    const contradiction = await server.as(partnerA, {
      method: 'PATCH',
      url: `/api/candidates/${created.id}`,
      payload: { birthCountryCode: '99350' },
    });
    expect(contradiction.statusCode).toBe(400);
    expect(contradiction.json().errors[0].field).toBe('birthCountryCode');
    const abroad = await server.as(partnerA, {
      method: 'PATCH',
      url: `/api/candidates/${created.id}`,
      payload: { birthPlaceCode: null, birthCountryCode: '99350' },
    });
    expect(abroad.statusCode).toBe(200);
    expect(abroad.json()).toMatchObject({ birthPlaceCode: null, birthCountryCode: '99350' });
  });

  describe('a candidate who holds a certificate (its identity is on record)', () => {
    /** Issues a certificate to the candidate straight in SQL: this suite is about the candidate's identity. */
    const certify = async (candidateId: string, number: string, accrochageStatus = 'pending') => {
      const db = server.handle.db;
      const { id: certificationId } = await db
        .insertInto('certifications')
        .values({ code: `RNCP3${number.slice(-4)}`, register: 'RNCP', title: 'Responsable qualité' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const jury = await db
        .insertInto('juries')
        .values({ certificationId, meetsOn: '2026-06-02', status: 'signed', signedAt: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow();
      const deliberation = await db
        .insertInto('deliberations')
        .values({ juryId: jury.id, candidateId, decision: 'certified' })
        .returning('id')
        .executeTakeFirstOrThrow();
      return db
        .insertInto('certificates')
        .values({
          number,
          deliberationId: deliberation.id,
          candidateId,
          certificationId,
          issuedOn: '2026-06-03',
          verificationCode: `V${number.replace(/\D/g, '')}XYZ`,
          accrochageStatus,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    };
    const lastAudit = () =>
      server.handle.db.selectFrom('auditLog').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();

    it('a partner may no longer change the identity (409 identity_certified), only the e-mail', async () => {
      const candidate = (
        await server.as(partnerA, {
          method: 'POST',
          url: '/api/candidates',
          payload: buildCandidate({ birthName: 'Certifiée', firstNames: 'Inès' }),
        })
      ).json();
      await certify(candidate.id, '2026-000901', 'accepted');
      const refused = await server.as(partnerA, {
        method: 'PATCH',
        url: `/api/candidates/${candidate.id}`,
        payload: { birthName: 'Autre', sex: candidate.sex, email: 'ines@example.org' },
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({
        code: 'conflict',
        detail: expect.stringMatching(/certificate 2026-000901: only the certifier/),
        details: { reason: 'identity_certified', certificates: ['2026-000901'] },
        errors: [{ field: 'birthName', message: 'on certificate 2026-000901' }],
      });
      const unchanged = await server.as(partnerA, { method: 'GET', url: `/api/candidates/${candidate.id}` });
      expect(unchanged.json()).toMatchObject({ birthName: 'Certifiée', email: candidate.email });
      // The same values as before, and the e-mail: allowed (the web form sends the whole identity).
      const email = await server.as(partnerA, {
        method: 'PATCH',
        url: `/api/candidates/${candidate.id}`,
        payload: { birthName: 'Certifiée', firstNames: 'Inès', email: 'ines@example.org' },
      });
      expect(email.statusCode).toBe(200);
      expect(email.json().email).toBe('ines@example.org');
      expect((await lastAudit()).action).toBe('candidate.update');
    });

    it('the certifier corrects it with a reason, kept in the audit entry with the certificates concerned', async () => {
      const candidate = (
        await server.as(partnerA, {
          method: 'POST',
          url: '/api/candidates',
          payload: buildCandidate({ birthName: 'Dupond', firstNames: 'Léa' }),
        })
      ).json();
      await certify(candidate.id, '2026-000902', 'sent');
      const noReason = await server.as(admin, {
        method: 'PATCH',
        url: `/api/candidates/${candidate.id}`,
        payload: { birthName: 'Dupont' },
      });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().errors).toEqual([
        { field: 'reason', message: expect.stringMatching(/certificate 2026-000902: say why/) },
      ]);
      const tooShort = await server.as(admin, {
        method: 'PATCH',
        url: `/api/candidates/${candidate.id}`,
        payload: { birthName: 'Dupont', reason: 'typo' },
      });
      expect(tooShort.statusCode).toBe(400);
      expect(tooShort.json().errors[0].field).toBe('reason');
      const corrected = await server.as(admin, {
        method: 'PATCH',
        url: `/api/candidates/${candidate.id}`,
        payload: { birthName: 'Dupont', reason: 'Acte de naissance produit : Dupont avec un t' },
      });
      expect(corrected.statusCode).toBe(200);
      expect(corrected.json().birthName).toBe('Dupont');
      const entry = await lastAudit();
      expect(entry).toMatchObject({
        action: 'candidate.correct_certified_identity',
        entityId: candidate.id,
        before: expect.objectContaining({ birthName: 'Dupond' }),
        after: expect.objectContaining({
          birthName: 'Dupont',
          correction: {
            reason: 'Acte de naissance produit : Dupont avec un t',
            fields: ['birthName'],
            certificates: [{ number: '2026-000902', accrochageStatus: 'sent' }],
          },
        }),
      });
    });

    it('a revoked certificate no longer locks the identity', async () => {
      const candidate = (
        await server.as(partnerA, {
          method: 'POST',
          url: '/api/candidates',
          payload: buildCandidate({ birthName: 'Révoqué', firstNames: 'Jean' }),
        })
      ).json();
      const { id } = await certify(candidate.id, '2026-000903');
      await server.handle.db
        .updateTable('certificates')
        .set({ revokedAt: new Date(), revocationReason: 'Fraude constatée lors du contrôle' })
        .where('id', '=', id)
        .execute();
      const res = await server.as(partnerA, {
        method: 'PATCH',
        url: `/api/candidates/${candidate.id}`,
        payload: { firstNames: 'Jean Paul' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().firstNames).toBe('Jean Paul');
      const last = await server.handle.db
        .selectFrom('auditLog')
        .select(['action'])
        .where('entityId', '=', candidate.id)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      expect(last.action).toBe('candidate.update');
    });
  });
});
