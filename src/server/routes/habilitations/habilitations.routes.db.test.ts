import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCertification,
  buildConvention,
  buildHabilitation,
  buildOrganisation,
  multipartFile,
} from '../../../../test/factories.js';
import { newTestServer, type SignedIn, system, type TestServer } from '../../../../test/server.js';

interface Certification {
  id: string;
  code: string;
  skillBlocks: { id: string; code: string }[];
}

describe('habilitation routes', () => {
  let server: TestServer;
  let admin: SignedIn;
  let auditor: SignedIn;
  let partnerA: SignedIn;
  let partnerB: SignedIn;
  let orgA: string;
  let orgB: string;

  const newCertification = async (): Promise<Certification> =>
    (
      await server.as(admin, { method: 'POST', url: '/api/certifications', payload: buildCertification() })
    ).json();
  const apply = (payload: unknown, user: SignedIn = admin) =>
    server.as(user, { method: 'POST', url: '/api/habilitations', payload });
  const decide = (id: string, toStatus: string, reasons = `Décision : ${toStatus}`, user: SignedIn = admin) =>
    server.as(user, {
      method: 'POST',
      url: `/api/habilitations/${id}/decisions`,
      payload: { toStatus, reasons },
    });
  const get = (id: string, user: SignedIn = admin) =>
    server.as(user, { method: 'GET', url: `/api/habilitations/${id}` });
  /** A convention of the organisation covering the certifications, signed. */
  const signedConvention = async (organisationId: string, certificationIds: string[], overrides = {}) => {
    const created = await server.as(admin, {
      method: 'POST',
      url: '/api/conventions',
      payload: buildConvention(organisationId, certificationIds, overrides),
    });
    expect(created.statusCode).toBe(201);
    const signed = await server.as(admin, {
      method: 'POST',
      url: `/api/conventions/${created.json().id}/signature`,
      payload: { signedOn: '2024-12-15' },
    });
    expect(signed.statusCode).toBe(200);
    return signed.json();
  };
  const totals = async () => ({
    habilitations: (await server.as(admin, { method: 'GET', url: '/api/habilitations?limit=1' })).json()
      .total,
    audit: (await server.as(admin, { method: 'GET', url: '/api/audit-log?limit=1' })).json().total,
  });

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    auditor = await server.signIn('auditor');
    partnerA = await server.signIn('partner');
    partnerB = await server.signIn('partner');
    orgA = partnerA.organisationId!;
    orgB = partnerB.organisationId!;
  });
  afterAll(() => server.close());

  it('records an application with its first decision and writes the audit log', async () => {
    const cert = await newCertification();
    const res = await apply(buildHabilitation(orgA, cert.id, { reasons: 'Dossier reçu le 2 janvier' }));
    expect(res.statusCode).toBe(201);
    const hab = res.json();
    expect(hab).toMatchObject({
      organisationId: orgA,
      certificationId: cert.id,
      certificationCode: cert.code,
      scope: 'both',
      coversAllSkillBlocks: true,
      skillBlocks: [],
      status: 'application',
      allowedTransitions: ['review', 'ended'],
    });
    expect(hab.decisions).toEqual([
      expect.objectContaining({
        fromStatus: null,
        toStatus: 'application',
        reasons: 'Dossier reçu le 2 janvier',
        decidedBy: admin.userId,
      }),
    ]);
    const log = await server.as(admin, {
      method: 'GET',
      url: `/api/audit-log?entityType=habilitation&entityId=${hab.id}`,
    });
    expect(log.json().items[0]).toMatchObject({ action: 'habilitation.create', actorId: admin.userId });
  });

  it('keeps a list of skill blocks of its certification', async () => {
    const cert = await newCertification();
    const res = await apply(
      buildHabilitation(orgA, cert.id, {
        coversAllSkillBlocks: false,
        skillBlockIds: [cert.skillBlocks[1]!.id],
      }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().skillBlocks.map((b: { code: string }) => b.code)).toEqual([`${cert.code}BC02`]);
  });

  it('refuses bad applications with the right status, naming the field, and writes nothing', async () => {
    const cert = await newCertification();
    const other = await newCertification();
    const unknown = '00000000-0000-4000-8000-000000000000';
    const before = await totals();

    const noCert = await apply(buildHabilitation(orgA, unknown));
    expect(noCert.statusCode).toBe(404);
    expect(noCert.json().detail).toBe(`certification ${unknown} not found`);
    const noOrg = await apply(buildHabilitation(unknown, cert.id));
    expect(noOrg.statusCode).toBe(404);
    expect(noOrg.json().detail).toBe(`organisation ${unknown} not found`);

    const foreignBlock = await apply(
      buildHabilitation(orgA, cert.id, {
        coversAllSkillBlocks: false,
        skillBlockIds: [cert.skillBlocks[0]!.id, other.skillBlocks[0]!.id],
      }),
    );
    expect(foreignBlock.statusCode).toBe(400);
    expect(foreignBlock.json().errors).toEqual([
      {
        field: 'skillBlockIds/1',
        message: `${other.skillBlocks[0]!.code} is not a skill block of ${cert.code}`,
      },
    ]);

    const endsBeforeStart = await apply(
      buildHabilitation(orgA, cert.id, { startsOn: '2025-06-01', endsOn: '2025-05-31' }),
    );
    expect(endsBeforeStart.statusCode).toBe(400);
    expect(endsBeforeStart.json().errors).toEqual([
      { field: 'endsOn', message: 'must not be before startsOn' },
    ]);

    const blocksWithoutFlag = await apply(
      buildHabilitation(orgA, cert.id, { skillBlockIds: [cert.skillBlocks[0]!.id] }),
    );
    expect(blocksWithoutFlag.statusCode).toBe(400);
    expect(blocksWithoutFlag.json().errors[0].field).toBe('skillBlockIds');

    const forbidden = await apply(buildHabilitation(orgA, cert.id), auditor);
    expect(forbidden.statusCode).toBe(403);

    expect(await totals()).toEqual(before);
  });

  it('refuses an archived organisation or an inactive certification (409)', async () => {
    const cert = await newCertification();
    const archived = (
      await server.as(admin, { method: 'POST', url: '/api/organisations', payload: buildOrganisation() })
    ).json();
    await server.as(admin, { method: 'POST', url: `/api/organisations/${archived.id}/archive` });
    const inactive = await newCertification();
    await server.as(admin, {
      method: 'PATCH',
      url: `/api/certifications/${inactive.id}`,
      payload: { isActive: false },
    });
    const before = await totals();
    const toArchived = await apply(buildHabilitation(archived.id, cert.id));
    expect(toArchived.statusCode).toBe(409);
    expect(toArchived.json().errors).toEqual([{ field: 'organisationId', message: 'archived' }]);
    const forInactive = await apply(buildHabilitation(orgA, inactive.id));
    expect(forInactive.statusCode).toBe(409);
    expect(forInactive.json().errors).toEqual([
      { field: 'certificationId', message: 'inactive certification' },
    ]);
    expect(await totals()).toEqual(before);
  });

  it('refuses an overlapping habilitation of the same pair, and accepts disjoint scopes or periods', async () => {
    const cert = await newCertification();
    const first = await apply(
      buildHabilitation(orgA, cert.id, { scope: 'train', startsOn: '2025-01-01', endsOn: '2025-12-31' }),
    );
    expect(first.statusCode).toBe(201);
    const before = await totals();

    const overlapping = await apply(
      buildHabilitation(orgA, cert.id, { scope: 'both', startsOn: '2025-12-31' }),
    );
    expect(overlapping.statusCode).toBe(409);
    expect(overlapping.json()).toMatchObject({
      code: 'conflict',
      details: { habilitationId: first.json().id },
    });
    expect(overlapping.json().detail).toContain('overlaps');
    expect(await totals()).toEqual(before);

    expect(
      (await apply(buildHabilitation(orgA, cert.id, { scope: 'evaluate', startsOn: '2025-03-01' })))
        .statusCode,
    ).toBe(201);
    expect(
      (await apply(buildHabilitation(orgA, cert.id, { scope: 'train', startsOn: '2026-01-01' }))).statusCode,
    ).toBe(201);
    // Another organisation is another pair.
    expect(
      (await apply(buildHabilitation(orgB, cert.id, { scope: 'train', startsOn: '2025-01-01' }))).statusCode,
    ).toBe(201);
  });

  it('goes through its lifecycle; becoming active needs a signed convention in force for the certification', async () => {
    const cert = await newCertification();
    const otherCert = await newCertification();
    const hab = (await apply(buildHabilitation(orgA, cert.id))).json();
    expect((await decide(hab.id, 'review', 'Instruction du dossier')).statusCode).toBe(201);

    // Conventions that do not count: unsigned, covering another certification, no longer in force.
    await server.as(admin, {
      method: 'POST',
      url: '/api/conventions',
      payload: buildConvention(orgA, [cert.id]),
    });
    await signedConvention(orgA, [otherCert.id]);
    await signedConvention(orgA, [cert.id], { startsOn: '2020-01-01', endsOn: '2021-12-31' });
    await signedConvention(orgB, [cert.id]);
    const before = await totals();
    const refused = await decide(hab.id, 'active', 'Avis favorable du comité');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(
      /has no signed convention covering RNCP\d+ in force on \d{4}-\d{2}-\d{2}/,
    );
    expect(refused.json().errors).toEqual([
      { field: 'toStatus', message: 'no signed convention in force covers this certification' },
    ]);
    expect(await totals()).toEqual(before);
    expect((await get(hab.id)).json()).toMatchObject({ status: 'review' });

    await signedConvention(orgA, [otherCert.id, cert.id]);
    const activated = await decide(hab.id, 'active', 'Avis favorable du comité');
    expect(activated.statusCode).toBe(201);
    expect(activated.json()).toMatchObject({
      status: 'active',
      allowedTransitions: ['under_watch', 'suspended', 'withdrawn', 'expired', 'ended'],
    });

    expect((await decide(hab.id, 'suspended', 'Non-conformité majeure non levée')).statusCode).toBe(201);
    const withdrawn = await decide(hab.id, 'withdrawn', 'Retrait après procédure contradictoire');
    expect(withdrawn.statusCode).toBe(201);
    expect(
      withdrawn
        .json()
        .decisions.map((d: { fromStatus: string; toStatus: string }) => `${d.fromStatus}→${d.toStatus}`),
    ).toEqual([
      'null→application',
      'application→review',
      'review→active',
      'active→suspended',
      'suspended→withdrawn',
    ]);
    expect(withdrawn.json().decisions.at(-1)).toMatchObject({
      reasons: 'Retrait après procédure contradictoire',
      decidedBy: admin.userId,
      decidedByName: expect.any(String),
    });

    const afterWithdrawal = await totals();
    const illegal = await decide(hab.id, 'active', 'Réintégration');
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json()).toMatchObject({ code: 'conflict', details: { from: 'withdrawn', to: 'active' } });
    expect(illegal.json().detail).toContain('from withdrawn to active');
    expect(await totals()).toEqual(afterWithdrawal);

    // A withdrawn habilitation no longer blocks a new application for the same pair.
    expect((await apply(buildHabilitation(orgA, cert.id))).statusCode).toBe(201);
  });

  it('links a decision to the evidence and findings it rests on; another partner’s are refused, nothing written', async () => {
    const cert = await newCertification();
    const hab = (await apply(buildHabilitation(orgA, cert.id))).json();
    const pdf = (text: string) => `%PDF-1.7\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n`;
    const upload = async (query: string, name: string) => {
      const res = await server.as(admin, {
        method: 'POST',
        url: `/api/evidence${query}`,
        ...multipartFile(name, pdf(name)),
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const report = await upload(`?organisationId=${orgA}`, 'rapport-audit.pdf');
    const minutes = await upload('', 'pv-comite.pdf');
    const foreign = await upload(`?organisationId=${orgB}`, 'autre.pdf');
    const finding = async (organisationId: string) =>
      (
        await server.services.findings.create(system, {
          organisationId,
          title: 'Jury incomplet',
          severity: 'major',
        })
      ).id as string;
    const own = await finding(orgA);
    const other = await finding(orgB);
    const before = await totals();

    const refused = await server.as(admin, {
      method: 'POST',
      url: `/api/habilitations/${hab.id}/decisions`,
      payload: {
        toStatus: 'review',
        reasons: 'Instruction',
        evidenceIds: [report, foreign, '00000000-0000-4000-8000-000000000000'],
        findingIds: [other],
      },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([
      { field: 'evidenceIds/1', message: 'a file of another organisation' },
      { field: 'evidenceIds/2', message: 'no such evidence file' },
      { field: 'findingIds/0', message: 'a finding about another organisation' },
    ]);
    const twice = await server.as(admin, {
      method: 'POST',
      url: `/api/habilitations/${hab.id}/decisions`,
      payload: { toStatus: 'review', reasons: 'Instruction', findingIds: [own, own] },
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().errors[0].field).toBe('findingIds');
    expect(await totals()).toEqual(before);
    expect((await get(hab.id)).json()).toMatchObject({ status: 'application' });

    const res = await server.as(admin, {
      method: 'POST',
      url: `/api/habilitations/${hab.id}/decisions`,
      payload: {
        toStatus: 'review',
        reasons: 'Instruction sur pièces',
        evidenceIds: [report, minutes],
        findingIds: [own],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const decision = res.json().decisions.at(-1);
    expect(decision).toMatchObject({
      toStatus: 'review',
      reasons: 'Instruction sur pièces',
      decidedByName: expect.any(String),
      decidedAt: expect.any(String),
      findings: [{ id: own, title: 'Jury incomplet', severity: 'major' }],
    });
    expect(decision.evidence.map((e: { fileName: string }) => e.fileName)).toEqual([
      'pv-comite.pdf',
      'rapport-audit.pdf',
    ]);
    // The partner reads the grounds of decisions on its own habilitation.
    expect((await get(hab.id, partnerA)).json().decisions.at(-1).findings).toHaveLength(1);
    const log = (
      await server.as(admin, { method: 'GET', url: `/api/audit-log?entityId=${hab.id}&limit=5` })
    ).json();
    expect(log.items[0]).toMatchObject({
      action: 'habilitation.decide',
      after: { evidenceIds: [report, minutes], findingIds: [own] },
    });
  });

  it('requires the reasons of a decision', async () => {
    const cert = await newCertification();
    const hab = (await apply(buildHabilitation(orgA, cert.id))).json();
    const res = await server.as(admin, {
      method: 'POST',
      url: `/api/habilitations/${hab.id}/decisions`,
      payload: { toStatus: 'review', reasons: '  ' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'reasons', message: 'must not be empty' }]);
    const missing = await server.as(admin, {
      method: 'POST',
      url: `/api/habilitations/${hab.id}/decisions`,
      payload: { toStatus: 'review' },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].field).toBe('reasons');
    expect((await get(hab.id)).json().decisions).toHaveLength(1);
  });

  it('shows a partner only its own organisation’s habilitations', async () => {
    const cert = await newCertification();
    const mine = (await apply(buildHabilitation(orgA, cert.id))).json();
    const theirs = (await apply(buildHabilitation(orgB, cert.id))).json();

    const list = await server.as(partnerA, { method: 'GET', url: '/api/habilitations?limit=200' });
    const ids = list.json().items.map((h: { id: string }) => h.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect(list.json().items.every((h: { organisationId: string }) => h.organisationId === orgA)).toBe(true);
    const filtered = await server.as(partnerA, {
      method: 'GET',
      url: `/api/habilitations?organisationId=${orgB}`,
    });
    expect(filtered.json()).toMatchObject({ items: [], total: 0 });

    expect((await get(mine.id, partnerA)).statusCode).toBe(200);
    const other = await get(theirs.id, partnerA);
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('not_found');

    const before = await totals();
    expect((await decide(mine.id, 'review', 'Je m’auto-habilite', partnerA)).statusCode).toBe(403);
    expect(await totals()).toEqual(before);
  });

  it('changes the terms of a live habilitation with the same checks as a new one', async () => {
    const cert = await newCertification();
    const train = (await apply(buildHabilitation(orgA, cert.id, { scope: 'train' }))).json();
    const evaluate = (await apply(buildHabilitation(orgA, cert.id, { scope: 'evaluate' }))).json();
    const patch = (id: string, payload: unknown) =>
      server.as(admin, { method: 'PATCH', url: `/api/habilitations/${id}`, payload });

    const narrowed = await patch(train.id, {
      coversAllSkillBlocks: false,
      skillBlockIds: [cert.skillBlocks[0]!.id],
      endsOn: '2027-12-31',
      territory: 'Rhône (69)',
    });
    expect(narrowed.statusCode).toBe(200);
    expect(narrowed.json()).toMatchObject({
      coversAllSkillBlocks: false,
      endsOn: '2027-12-31',
      territory: 'Rhône (69)',
    });
    expect(narrowed.json().skillBlocks).toHaveLength(1);

    const before = await totals();
    const overlap = await patch(evaluate.id, { scope: 'both' });
    expect(overlap.statusCode).toBe(409);
    const badPeriod = await patch(train.id, { startsOn: '2028-01-01' });
    expect(badPeriod.statusCode).toBe(400);
    expect(badPeriod.json().errors).toEqual([{ field: 'endsOn', message: 'must not be before startsOn' }]);
    expect(await totals()).toEqual(before);

    await decide(evaluate.id, 'ended', 'Abandon de la candidature');
    const final = await patch(evaluate.id, { territory: 'Ain (01)' });
    expect(final.statusCode).toBe(409);
    expect(final.json().detail).toContain('ended');
  });

  it('lists the habilitations in force on a day', async () => {
    const cert = await newCertification();
    await signedConvention(orgB, [cert.id]);
    const hab = (
      await apply(buildHabilitation(orgB, cert.id, { startsOn: '2025-01-01', endsOn: '2098-12-31' }))
    ).json();
    const inForce = async (day: string) =>
      (
        await server.as(admin, {
          method: 'GET',
          url: `/api/habilitations?certificationId=${cert.id}&effectiveOn=${day}`,
        })
      )
        .json()
        .items.map((h: { id: string }) => h.id);
    expect(await inForce('2026-01-01')).toEqual([]);
    await decide(hab.id, 'review');
    await decide(hab.id, 'active');
    expect(await inForce('2026-01-01')).toEqual([hab.id]);
    expect(await inForce('2024-12-31')).toEqual([]);
    expect(await inForce('2099-01-01')).toEqual([]);
  });
});
