import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCandidate } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';
import type { Database } from '../../../db/database.js';

/** A certification with two skill blocks, straight in SQL: this suite is not about certifications. */
async function seedCertification(db: Database, code: string) {
  const { id } = await db
    .insertInto('certifications')
    .values({ code, register: 'RNCP', title: `Titre ${code}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const blocks = await db
    .insertInto('skillBlocks')
    .values([1, 2].map((i) => ({ certificationId: id, code: `${code}BC0${i}`, title: `Bloc ${i}` })))
    .returning(['id', 'code'])
    .execute();
  return { id, blocks: blocks.sort((a, b) => a.code.localeCompare(b.code)) };
}

async function seedHabilitation(
  db: Database,
  organisationId: string,
  certificationId: string,
  scope: string,
) {
  await db
    .insertInto('habilitations')
    .values({
      organisationId,
      certificationId,
      scope,
      status: 'active',
      startsOn: '2025-01-01',
      endsOn: null,
    })
    .execute();
}

describe('assessment session routes', () => {
  let server: TestServer;
  let admin: SignedIn;
  let partnerEval: SignedIn;
  let partnerTrain: SignedIn;
  let evaluator: SignedIn;
  let otherEvaluator: SignedIn;
  let cert: Awaited<ReturnType<typeof seedCertification>>;
  let c1: string;
  let c2: string;
  let cTrain: string;
  let certifierSession: string;

  const resultCount = async () =>
    (
      await server.handle.db
        .selectFrom('assessmentResults')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  const newCandidate = async (user: SignedIn) =>
    (await server.as(user, { method: 'POST', url: '/api/candidates', payload: buildCandidate() })).json()
      .id as string;

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    partnerEval = await server.signIn('partner');
    partnerTrain = await server.signIn('partner');
    evaluator = await server.signIn('evaluator');
    otherEvaluator = await server.signIn('evaluator');
    cert = await seedCertification(server.handle.db, 'RNCP36001');
    await seedHabilitation(server.handle.db, partnerEval.organisationId!, cert.id, 'evaluate');
    await seedHabilitation(server.handle.db, partnerTrain.organisationId!, cert.id, 'train');
    c1 = await newCandidate(partnerEval);
    c2 = await newCandidate(partnerEval);
    cTrain = await newCandidate(partnerTrain);
    const res = await server.as(admin, {
      method: 'POST',
      url: '/api/assessment-sessions',
      payload: {
        certificationId: cert.id,
        startsAt: '2026-10-05T09:00:00+02:00',
        place: 'Lyon, salle 2',
        candidateIds: [c1, cTrain],
        evaluatorIds: [evaluator.userId],
      },
    });
    expect(res.statusCode).toBe(201);
    certifierSession = res.json().id;
  });
  afterAll(() => server.close());

  it('the certifier organises a session with candidates of any partner and its evaluators', async () => {
    const res = await server.as(admin, {
      method: 'GET',
      url: `/api/assessment-sessions/${certifierSession}`,
    });
    expect(res.json()).toMatchObject({
      organiserId: null,
      startsAt: '2026-10-05T07:00:00.000Z',
      status: 'planned',
      candidateCount: 2,
      evaluators: [{ userId: evaluator.userId }],
    });
    const log = await server.as(admin, {
      method: 'GET',
      url: `/api/audit-log?entityType=assessment_session&entityId=${certifierSession}`,
    });
    expect(log.json().items[0]).toMatchObject({ action: 'assessment_session.create', actorId: admin.userId });
  });

  it('a partner habilitated to evaluate organises its own session', async () => {
    const res = await server.as(partnerEval, {
      method: 'POST',
      url: '/api/assessment-sessions',
      payload: { certificationId: cert.id, startsAt: '2026-09-14T08:30:00Z', candidateIds: [c1, c2] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ organiserId: partnerEval.organisationId, candidateCount: 2 });
  });

  it('refuses (409) a partner habilitated to train only, naming the scope, and writes nothing', async () => {
    const before = (await server.as(admin, { method: 'GET', url: '/api/assessment-sessions' })).json().total;
    const res = await server.as(partnerTrain, {
      method: 'POST',
      url: '/api/assessment-sessions',
      payload: { certificationId: cert.id, startsAt: '2026-09-14T08:30:00Z' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors).toEqual([
      { field: 'organiserId', message: "the habilitation's scope is train: it does not include evaluation" },
    ]);
    const after = (await server.as(admin, { method: 'GET', url: '/api/assessment-sessions' })).json().total;
    expect(after).toBe(before);
  });

  it('a partner may not declare a session of the certifier (403)', async () => {
    const res = await server.as(partnerEval, {
      method: 'POST',
      url: '/api/assessment-sessions',
      payload: { certificationId: cert.id, organiserId: null, startsAt: '2026-09-14T08:30:00Z' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('a partner does not see sessions it does not organise (404)', async () => {
    const res = await server.as(partnerTrain, {
      method: 'GET',
      url: `/api/assessment-sessions/${certifierSession}`,
    });
    expect(res.statusCode).toBe(404);
    const own = (await server.as(partnerEval, { method: 'GET', url: '/api/assessment-sessions' })).json() as {
      items: { organiserId: string }[];
    };
    expect(own.items.every((s) => s.organiserId === partnerEval.organisationId)).toBe(true);
  });

  it('the assigned evaluator records results per skill block; a second entry corrects the first', async () => {
    const block = cert.blocks[0]!.id;
    const res = await server.as(evaluator, {
      method: 'POST',
      url: `/api/assessment-sessions/${certifierSession}/results`,
      payload: {
        results: [
          { candidateId: c1, skillBlockId: block, score: 14.5, maxScore: 20, decision: 'passed' },
          { candidateId: cTrain, assessmentTask: 'Étude de cas', decision: 'absent' },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({ candidateId: c1, score: 14.5, maxScore: 20, recordedBy: evaluator.userId }),
      expect.objectContaining({ candidateId: cTrain, assessmentTask: 'Étude de cas', decision: 'absent' }),
    ]);
    const fix = await server.as(evaluator, {
      method: 'POST',
      url: `/api/assessment-sessions/${certifierSession}/results`,
      payload: {
        results: [{ candidateId: c1, skillBlockId: block, score: 9, maxScore: 20, decision: 'failed' }],
      },
    });
    expect(fix.statusCode).toBe(200);
    const all = (
      await server.as(admin, { method: 'GET', url: `/api/assessment-sessions/${certifierSession}/results` })
    ).json().items;
    expect(all).toHaveLength(2);
    expect(all.find((r: { candidateId: string }) => r.candidateId === c1)).toMatchObject({
      score: 9,
      decision: 'failed',
    });
  });

  it('a session an evaluator is not assigned to does not exist for it (404): nothing is written', async () => {
    const before = await resultCount();
    const res = await server.as(otherEvaluator, {
      method: 'POST',
      url: `/api/assessment-sessions/${certifierSession}/results`,
      payload: { results: [{ candidateId: c1, skillBlockId: cert.blocks[1]!.id, decision: 'passed' }] },
    });
    expect(res.statusCode).toBe(404);
    expect(await resultCount()).toBe(before);
  });

  it('refuses (409) a result for a candidate not registered in the session, naming the candidate', async () => {
    const before = await resultCount();
    const res = await server.as(evaluator, {
      method: 'POST',
      url: `/api/assessment-sessions/${certifierSession}/results`,
      payload: {
        results: [
          { candidateId: c1, skillBlockId: cert.blocks[1]!.id, decision: 'passed' },
          { candidateId: c2, skillBlockId: cert.blocks[1]!.id, decision: 'passed' },
        ],
      },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors).toEqual([
      { field: 'results/1/candidateId', message: `candidate ${c2} is not registered in this session` },
    ]);
    expect(await resultCount()).toBe(before);
  });

  it('refuses (400) a score above its maximum, naming the field', async () => {
    const res = await server.as(evaluator, {
      method: 'POST',
      url: `/api/assessment-sessions/${certifierSession}/results`,
      payload: {
        results: [
          { candidateId: c1, skillBlockId: cert.blocks[1]!.id, score: 21, maxScore: 20, decision: 'passed' },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'results/0/score', message: 'must be between 0 and 20' }]);
  });

  it('refuses results before the session takes place (409)', async () => {
    const future = (
      await server.as(admin, {
        method: 'POST',
        url: '/api/assessment-sessions',
        payload: {
          certificationId: cert.id,
          startsAt: '2099-01-05T09:00:00Z',
          candidateIds: [c1],
          evaluatorIds: [evaluator.userId],
        },
      })
    ).json();
    const res = await server.as(evaluator, {
      method: 'POST',
      url: `/api/assessment-sessions/${future.id}/results`,
      payload: { results: [{ candidateId: c1, skillBlockId: cert.blocks[0]!.id, decision: 'passed' }] },
    });
    expect(res.statusCode).toBe(409);
  });

  it('evaluators must have the evaluator role (400 naming the user)', async () => {
    const res = await server.as(admin, {
      method: 'PUT',
      url: `/api/assessment-sessions/${certifierSession}/evaluators`,
      payload: { userIds: [evaluator.userId, partnerEval.userId] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'userIds/1', message: expect.stringMatching(/is not an evaluator$/) },
    ]);
    const ok = await server.as(admin, {
      method: 'PUT',
      url: `/api/assessment-sessions/${certifierSession}/evaluators`,
      payload: { userIds: [evaluator.userId, otherEvaluator.userId] },
    });
    expect(ok.json().evaluators).toHaveLength(2);
  });

  it('changing evaluators is audited, scoped, and refused once the session is cancelled', async () => {
    const created = (
      await server.as(admin, {
        method: 'POST',
        url: '/api/assessment-sessions',
        payload: {
          certificationId: cert.id,
          startsAt: '2026-07-01T09:00:00Z',
          evaluatorIds: [evaluator.userId],
        },
      })
    ).json();
    const changed = await server.as(admin, {
      method: 'PUT',
      url: `/api/assessment-sessions/${created.id}/evaluators`,
      payload: { userIds: [otherEvaluator.userId] },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().evaluators).toEqual([expect.objectContaining({ userId: otherEvaluator.userId })]);
    const log = await server.as(admin, {
      method: 'GET',
      url: `/api/audit-log?entityType=assessment_session&entityId=${created.id}`,
    });
    expect(log.json().items[0]).toMatchObject({
      action: 'assessment_session.set_evaluators',
      before: { userIds: [evaluator.userId] },
      after: { userIds: [otherEvaluator.userId] },
    });
    // An evaluator may not name evaluators (403); a partner does not see the certifier's session (404).
    const byEvaluator = await server.as(otherEvaluator, {
      method: 'PUT',
      url: `/api/assessment-sessions/${created.id}/evaluators`,
      payload: { userIds: [] },
    });
    expect(byEvaluator.statusCode).toBe(403);
    const byPartner = await server.as(partnerEval, {
      method: 'PUT',
      url: `/api/assessment-sessions/${created.id}/evaluators`,
      payload: { userIds: [] },
    });
    expect(byPartner.statusCode).toBe(404);
    await server.as(admin, {
      method: 'PATCH',
      url: `/api/assessment-sessions/${created.id}`,
      payload: { status: 'cancelled' },
    });
    const afterCancel = await server.as(admin, {
      method: 'PUT',
      url: `/api/assessment-sessions/${created.id}/evaluators`,
      payload: { userIds: [evaluator.userId] },
    });
    expect(afterCancel.statusCode).toBe(409);
    expect(afterCancel.json().errors).toEqual([{ field: 'userIds', message: 'the session is cancelled' }]);
    const still = await server.as(admin, { method: 'GET', url: `/api/assessment-sessions/${created.id}` });
    expect(still.json().evaluators).toEqual([expect.objectContaining({ userId: otherEvaluator.userId })]);
  });

  it('a held session is history: it is not cancelled afterwards, nor moved', async () => {
    const created = (
      await server.as(admin, {
        method: 'POST',
        url: '/api/assessment-sessions',
        payload: { certificationId: cert.id, startsAt: '2026-06-01T09:00:00Z' },
      })
    ).json();
    const held = await server.as(admin, {
      method: 'PATCH',
      url: `/api/assessment-sessions/${created.id}`,
      payload: { status: 'held', incidents: 'Coupure de courant de 10 minutes' },
    });
    expect(held.statusCode).toBe(200);
    const cancel = await server.as(admin, {
      method: 'PATCH',
      url: `/api/assessment-sessions/${created.id}`,
      payload: { status: 'cancelled' },
    });
    expect(cancel.statusCode).toBe(409);
    const move = await server.as(admin, {
      method: 'PATCH',
      url: `/api/assessment-sessions/${created.id}`,
      payload: { place: 'Ailleurs' },
    });
    expect(move.statusCode).toBe(409);
    expect(move.json().errors).toEqual([{ field: 'place', message: 'the session is held' }]);
  });
});
