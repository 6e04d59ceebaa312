import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlanter } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

/**
 * An evaluator reads only what relates to the assessment sessions it is assigned to: the candidates of those
 * sessions, their trainings towards that certification, their certificates of it. Anything else is 404 and
 * absent from lists; certifier staff still see everything.
 */
describe('evaluator scope on chain reads', () => {
  let server: TestServer;
  let admin: SignedIn;
  let evaluator: SignedIn;
  let otherEvaluator: SignedIn;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    evaluator = await server.signIn('evaluator');
    otherEvaluator = await server.signIn('evaluator');
    const plant = controlPlanter(server.handle.db);
    const org = await plant.organisation();
    const cert = await plant.certification();
    const otherCert = await plant.certification();
    id.mine = await plant.candidate(org, { birthName: 'VISIBLE' });
    id.hidden = await plant.candidate(org, { birthName: 'CACHE' });
    // The candidate's training towards the assessed certification is visible; its training towards another
    // certification, and the other candidate's training, are not.
    id.trainingMine = await plant.trainingSession(org, cert.id, { candidateIds: [id.mine] });
    id.trainingOtherCert = await plant.trainingSession(org, otherCert.id, { candidateIds: [id.mine] });
    id.trainingHidden = await plant.trainingSession(org, cert.id, { candidateIds: [id.hidden] });
    id.sessionMine = await plant.assessmentSession(cert.id, null, {
      candidateIds: [id.mine],
      evaluatorIds: [evaluator.userId],
    });
    id.sessionHidden = await plant.assessmentSession(cert.id, null, {
      candidateIds: [id.hidden],
      evaluatorIds: [otherEvaluator.userId],
    });
    const jury = await plant.jury(cert.id);
    const otherJury = await plant.jury(otherCert.id);
    id.certificateMine = await plant.certificate(await plant.deliberation(jury, id.mine), id.mine, cert.id);
    id.certificateOtherCert = await plant.certificate(
      await plant.deliberation(otherJury, id.mine),
      id.mine,
      otherCert.id,
    );
    id.certificateHidden = await plant.certificate(
      await plant.deliberation(jury, id.hidden),
      id.hidden,
      cert.id,
    );
  });
  afterAll(() => server.close());

  const get = (user: SignedIn, url: string) => server.as(user, { method: 'GET', url });
  const ids = async (user: SignedIn, url: string) => {
    const res = await get(user, url);
    expect(res.statusCode).toBe(200);
    return (res.json().items as { id: string }[]).map((i) => i.id).sort();
  };

  it('lists only the candidates of its sessions; another candidate is 404', async () => {
    expect(await ids(evaluator, '/api/candidates')).toEqual([id.mine]);
    expect((await get(evaluator, `/api/candidates/${id.mine}`)).statusCode).toBe(200);
    expect((await get(evaluator, `/api/candidates/${id.hidden}`)).statusCode).toBe(404);
    expect(await ids(otherEvaluator, '/api/candidates')).toEqual([id.hidden]);
    expect(await ids(admin, '/api/candidates')).toEqual([id.mine, id.hidden].sort());
  });

  it('lists only the trainings of those candidates towards the assessed certification', async () => {
    const list = await get(evaluator, '/api/training-sessions');
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: id.trainingMine }] });
    expect((await get(evaluator, `/api/training-sessions/${id.trainingMine}`)).statusCode).toBe(200);
    for (const other of [id.trainingOtherCert, id.trainingHidden])
      expect((await get(evaluator, `/api/training-sessions/${other}`)).statusCode).toBe(404);
    expect(await ids(admin, '/api/training-sessions')).toHaveLength(3);
  });

  it('lists only the certificates of those candidates for that certification', async () => {
    const list = await get(evaluator, '/api/certificates');
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: id.certificateMine }] });
    expect((await get(evaluator, `/api/certificates/${id.certificateMine}`)).statusCode).toBe(200);
    for (const other of [id.certificateOtherCert, id.certificateHidden]) {
      expect((await get(evaluator, `/api/certificates/${other}`)).statusCode).toBe(404);
      expect((await get(evaluator, `/api/certificates/${other}/pdf`)).statusCode).toBe(404);
    }
    expect(await ids(admin, '/api/certificates')).toHaveLength(3);
  });

  it('sees the accrochage deadlines of those certificates only', async () => {
    const res = await get(evaluator, '/api/accrochage/deadlines');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((i: { certificateId: string }) => i.certificateId)).toEqual([
      id.certificateMine,
    ]);
    expect((await get(admin, '/api/accrochage/deadlines')).json().items).toHaveLength(3);
  });

  it('lists and reads only its assessment sessions', async () => {
    expect(await ids(evaluator, '/api/assessment-sessions')).toEqual([id.sessionMine]);
    expect((await get(evaluator, `/api/assessment-sessions/${id.sessionHidden}`)).statusCode).toBe(404);
  });
});
