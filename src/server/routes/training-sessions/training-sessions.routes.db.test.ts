import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCandidate } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';
import type { Database } from '../../../db/database.js';

/** A certification with `blocks` skill blocks, straight in SQL: this suite is not about certifications. */
async function seedCertification(db: Database, code: string, blocks = 3) {
  const { id } = await db
    .insertInto('certifications')
    .values({ code, register: 'RNCP', title: `Titre ${code}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const skillBlocks = await db
    .insertInto('skillBlocks')
    .values(
      Array.from({ length: blocks }, (_, i) => ({
        certificationId: id,
        code: `${code}BC0${i + 1}`,
        title: `Bloc ${i + 1}`,
      })),
    )
    .returning(['id', 'code'])
    .execute();
  return { id, code, blocks: skillBlocks.sort((a, b) => a.code.localeCompare(b.code)) };
}

async function seedHabilitation(
  db: Database,
  h: {
    organisationId: string;
    certificationId: string;
    scope: 'train' | 'evaluate' | 'both';
    status: string;
    startsOn: string;
    endsOn: string | null;
    skillBlockIds?: string[];
  },
) {
  const { id } = await db
    .insertInto('habilitations')
    .values({
      organisationId: h.organisationId,
      certificationId: h.certificationId,
      scope: h.scope,
      status: h.status,
      startsOn: h.startsOn,
      endsOn: h.endsOn,
      coversAllSkillBlocks: h.skillBlockIds === undefined,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (h.skillBlockIds?.length)
    await db
      .insertInto('habilitationSkillBlocks')
      .values(h.skillBlockIds.map((skillBlockId) => ({ habilitationId: id, skillBlockId })))
      .execute();
  return id;
}

describe('training session routes', () => {
  let server: TestServer;
  let admin: SignedIn;
  let partnerA: SignedIn;
  let partnerB: SignedIn;
  let cert: Awaited<ReturnType<typeof seedCertification>>;
  let otherCert: Awaited<ReturnType<typeof seedCertification>>;
  let candidateA: string;

  const session = (overrides: Record<string, unknown> = {}) => ({
    certificationId: cert.id,
    skillBlockIds: [cert.blocks[0]!.id],
    startsOn: '2026-03-02',
    endsOn: '2026-06-26',
    hours: 210.5,
    modality: 'blended',
    site: 'Lyon 3e',
    trainers: ['Jeanne Morel'],
    funding: 'cpf',
    ...overrides,
  });

  const count = async () =>
    (
      await server.handle.db
        .selectFrom('trainingSessions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    partnerA = await server.signIn('partner');
    partnerB = await server.signIn('partner');
    const db = server.handle.db;
    cert = await seedCertification(db, 'RNCP35419');
    otherCert = await seedCertification(db, 'RS5678', 1);
    // Partner A may train for blocks 1 and 2 of the certification in 2026; partner B may only evaluate.
    await seedHabilitation(db, {
      organisationId: partnerA.organisationId!,
      certificationId: cert.id,
      scope: 'train',
      status: 'active',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      skillBlockIds: [cert.blocks[0]!.id, cert.blocks[1]!.id],
    });
    await seedHabilitation(db, {
      organisationId: partnerB.organisationId!,
      certificationId: cert.id,
      scope: 'evaluate',
      status: 'active',
      startsOn: '2026-01-01',
      endsOn: null,
    });
    candidateA = (
      await server.as(partnerA, { method: 'POST', url: '/api/candidates', payload: buildCandidate() })
    ).json().id;
  });
  afterAll(() => server.close());

  it('a habilitated partner declares a session with its candidates, and the audit log records it', async () => {
    const res = await server.as(partnerA, {
      method: 'POST',
      url: '/api/training-sessions',
      payload: session({ candidateIds: [candidateA] }),
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      organisationId: partnerA.organisationId,
      hours: 210.5,
      trainers: ['Jeanne Morel'],
      enrolmentCount: 1,
      skillBlocks: [{ code: 'RNCP35419BC01' }],
      enrolments: [{ candidateId: candidateA }],
    });
    const log = await server.as(admin, {
      method: 'GET',
      url: `/api/audit-log?entityType=training_session&entityId=${created.id}`,
    });
    expect(log.json().items[0]).toMatchObject({
      action: 'training_session.create',
      actorId: partnerA.userId,
    });
  });

  it('refuses (409) a skill block the habilitation does not cover, naming it, and writes nothing', async () => {
    const before = await count();
    const res = await server.as(partnerA, {
      method: 'POST',
      url: '/api/training-sessions',
      payload: session({ skillBlockIds: [cert.blocks[0]!.id, cert.blocks[2]!.id] }),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'conflict',
      errors: [
        { field: 'skillBlockIds', message: 'skill blocks not covered by the habilitation: RNCP35419BC03' },
      ],
    });
    // No blocks named means the whole certification: block 3 is missing there too.
    const whole = await server.as(partnerA, {
      method: 'POST',
      url: '/api/training-sessions',
      payload: session({ skillBlockIds: [] }),
    });
    expect(whole.statusCode).toBe(409);
    expect(whole.json().detail).toMatch(/RNCP35419BC03/);
    expect(await count()).toBe(before);
  });

  it('refuses dates outside the habilitation’s period, naming the period', async () => {
    const res = await server.as(partnerA, {
      method: 'POST',
      url: '/api/training-sessions',
      payload: session({ startsOn: '2026-11-02', endsOn: '2027-02-26' }),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors).toEqual([
      {
        field: 'endsOn',
        message:
          'the habilitation runs from 2026-01-01 to 2026-12-31: it does not cover 2026-11-02 to 2027-02-26',
      },
    ]);
  });

  it('refuses a habilitation to evaluate only, and an organisation without habilitation', async () => {
    const scopeOnly = await server.as(partnerB, {
      method: 'POST',
      url: '/api/training-sessions',
      payload: session(),
    });
    expect(scopeOnly.statusCode).toBe(409);
    expect(scopeOnly.json().errors[0].message).toBe(
      "the habilitation's scope is evaluate: it does not include training",
    );
    const none = await server.as(admin, {
      method: 'POST',
      url: '/api/training-sessions',
      payload: session({
        organisationId: partnerA.organisationId,
        certificationId: otherCert.id,
        skillBlockIds: [],
      }),
    });
    expect(none.statusCode).toBe(409);
    expect(none.json().detail).toMatch(/holds no habilitation for this certification/);
  });

  it('accepts a habilitation under watch for training, refuses a suspended one', async () => {
    const partnerC = await server.signIn('partner');
    const habilitationId = await seedHabilitation(server.handle.db, {
      organisationId: partnerC.organisationId!,
      certificationId: cert.id,
      scope: 'both',
      status: 'suspended',
      startsOn: '2025-01-01',
      endsOn: null,
    });
    const suspended = await server.as(partnerC, {
      method: 'POST',
      url: '/api/training-sessions',
      payload: session(),
    });
    expect(suspended.statusCode).toBe(409);
    expect(suspended.json().errors[0].message).toBe(
      'the habilitation is suspended (it must be active or under_watch)',
    );
    await server.handle.db
      .updateTable('habilitations')
      .set({ status: 'under_watch' })
      .where('id', '=', habilitationId)
      .execute();
    const watched = await server.as(partnerC, {
      method: 'POST',
      url: '/api/training-sessions',
      payload: session(),
    });
    expect(watched.statusCode).toBe(201);
  });

  it('refuses (400) an end before the start and a block of another certification, naming the fields', async () => {
    const dates = await server.as(partnerA, {
      method: 'POST',
      url: '/api/training-sessions',
      payload: session({ endsOn: '2026-03-01' }),
    });
    expect(dates.statusCode).toBe(400);
    expect(dates.json().errors).toEqual([
      { field: 'endsOn', message: 'must not be before startsOn (2026-03-02)' },
    ]);
    const block = await server.as(partnerA, {
      method: 'POST',
      url: '/api/training-sessions',
      payload: session({ skillBlockIds: [otherCert.blocks[0]!.id] }),
    });
    expect(block.statusCode).toBe(400);
    expect(block.json().errors).toEqual([
      { field: 'skillBlockIds/0', message: 'not a skill block of this certification' },
    ]);
  });

  it('a partner declares only for itself (403), and an evaluator not at all (403)', async () => {
    const before = await count();
    const other = await server.as(partnerB, {
      method: 'POST',
      url: '/api/training-sessions',
      payload: session({ organisationId: partnerA.organisationId }),
    });
    expect(other.statusCode).toBe(403);
    const evaluator = await server.signIn('evaluator');
    const role = await server.as(evaluator, {
      method: 'POST',
      url: '/api/training-sessions',
      payload: session(),
    });
    expect(role.statusCode).toBe(403);
    expect(await count()).toBe(before);
  });

  it('another partner’s session does not exist for a partner (404), nor can it enrol there', async () => {
    const created = (
      await server.as(partnerA, { method: 'POST', url: '/api/training-sessions', payload: session() })
    ).json();
    const read = await server.as(partnerB, { method: 'GET', url: `/api/training-sessions/${created.id}` });
    expect(read.statusCode).toBe(404);
    const enrol = await server.as(partnerB, {
      method: 'POST',
      url: `/api/training-sessions/${created.id}/enrolments`,
      payload: { candidateIds: [candidateA] },
    });
    expect(enrol.statusCode).toBe(404);
    const list = (await server.as(partnerB, { method: 'GET', url: '/api/training-sessions' })).json();
    expect(list.items.map((s: { id: string }) => s.id)).not.toContain(created.id);
  });

  it('enrols only the organisation’s own candidates, and removes an enrolment', async () => {
    const created = (
      await server.as(partnerA, { method: 'POST', url: '/api/training-sessions', payload: session() })
    ).json();
    const candidateB = (
      await server.as(partnerB, { method: 'POST', url: '/api/candidates', payload: buildCandidate() })
    ).json().id;
    const foreign = await server.as(partnerA, {
      method: 'POST',
      url: `/api/training-sessions/${created.id}/enrolments`,
      payload: { candidateIds: [candidateA, candidateB] },
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors).toEqual([
      { field: 'candidateIds/1', message: `no candidate ${candidateB} in this organisation` },
    ]);
    const enrolled = await server.as(partnerA, {
      method: 'POST',
      url: `/api/training-sessions/${created.id}/enrolments`,
      payload: { candidateIds: [candidateA], enrolledOn: '2026-02-20' },
    });
    expect(enrolled.statusCode).toBe(200);
    expect(enrolled.json().enrolments).toEqual([
      expect.objectContaining({ candidateId: candidateA, enrolledOn: '2026-02-20' }),
    ]);
    const removed = await server.as(partnerA, {
      method: 'DELETE',
      url: `/api/training-sessions/${created.id}/enrolments/${candidateA}`,
    });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().enrolmentCount).toBe(0);
  });

  it('checks changed dates against the habilitation again', async () => {
    const created = (
      await server.as(partnerA, { method: 'POST', url: '/api/training-sessions', payload: session() })
    ).json();
    const late = await server.as(partnerA, {
      method: 'PATCH',
      url: `/api/training-sessions/${created.id}`,
      payload: { endsOn: '2027-01-15' },
    });
    expect(late.statusCode).toBe(409);
    const ok = await server.as(partnerA, {
      method: 'PATCH',
      url: `/api/training-sessions/${created.id}`,
      payload: { endsOn: '2026-07-10', skillBlockIds: [cert.blocks[1]!.id] },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ endsOn: '2026-07-10', skillBlocks: [{ code: 'RNCP35419BC02' }] });
    const reread = (
      await server.as(partnerA, { method: 'GET', url: `/api/training-sessions/${created.id}` })
    ).json();
    expect(reread.endsOn).toBe('2026-07-10');
  });
});
