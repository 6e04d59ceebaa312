import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

describe('finding routes', () => {
  let server: TestServer;
  let auditor: SignedIn;
  let partnerA: SignedIn;
  let partnerB: SignedIn;

  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  const open = async (organisationId: string | null, extra: Record<string, unknown> = {}) => {
    const res = await server.as(auditor, {
      method: 'POST',
      url: '/api/findings',
      payload: {
        organisationId,
        title: 'Formateur sans justificatif de compétences',
        severity: 'major',
        source: { checkpoint: 'RNQ-21', document: 'CV manquant' },
        ...extra,
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; status: string };
  };

  const move = (id: string, to: string) =>
    server.as(auditor, { method: 'POST', url: `/api/findings/${id}/transition`, payload: { to } });

  const qualify = (id: string) =>
    server.as(auditor, {
      method: 'POST',
      url: `/api/findings/${id}/qualify`,
      payload: { severity: 'major', rootCause: 'Aucune procédure de recrutement des formateurs' },
    });

  const request = (id: string) =>
    server.as(auditor, {
      method: 'POST',
      url: `/api/findings/${id}/request`,
      payload: { dueOn: inDays(30), message: 'Transmettre les CV et diplômes des formateurs' },
    });

  const actionCount = async () =>
    (
      await server.handle.db
        .selectFrom('correctiveActions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  beforeAll(async () => {
    server = await newTestServer();
    auditor = await server.signIn('auditor');
    partnerA = await server.signIn('partner');
    partnerB = await server.signIn('partner');
  });
  afterAll(() => server.close());

  it('follows a finding from open to closed, with the partner’s corrective action', async () => {
    const finding = await open(partnerA.organisationId);
    expect(finding.status).toBe('open');
    expect((await qualify(finding.id)).statusCode).toBe(200);
    expect((await request(finding.id)).statusCode).toBe(200);
    const answer = await server.as(partnerA, {
      method: 'POST',
      url: `/api/findings/${finding.id}/corrective-actions`,
      payload: {
        description: 'Collecter les CV et diplômes des formateurs',
        ownerName: 'Responsable pédagogique',
        dueOn: inDays(30),
      },
    });
    expect(answer.statusCode).toBe(201);
    const detail = answer.json();
    expect(detail).toMatchObject({ status: 'action_submitted', correctiveActions: [{ status: 'proposed' }] });
    const review = await server.as(auditor, {
      method: 'POST',
      url: `/api/findings/${finding.id}/corrective-actions/${detail.correctiveActions[0].id}/review`,
      payload: { status: 'accepted' },
    });
    expect(review.statusCode).toBe(200);
    const done = await server.as(partnerA, {
      method: 'POST',
      url: `/api/findings/${finding.id}/corrective-actions/${detail.correctiveActions[0].id}/complete`,
      payload: { note: 'CV et diplômes déposés' },
    });
    expect(done.statusCode).toBe(200);
    const verified = await server.as(auditor, {
      method: 'POST',
      url: `/api/findings/${finding.id}/corrective-actions/${detail.correctiveActions[0].id}/effectiveness`,
      payload: { effective: true, note: 'Dossiers complets' },
    });
    expect(verified.json()).toMatchObject({
      status: 'verified',
      correctiveActions: [{ status: 'verified', effectiveness: 'effective' }],
    });
    const closed = await move(finding.id, 'closed');
    expect(closed.json().closedAt).not.toBeNull();
    const reopened = await move(finding.id, 'open');
    expect(reopened.json()).toMatchObject({ status: 'open', closedAt: null });
    const log = await server.as(auditor, {
      method: 'GET',
      url: `/api/audit-log?entityType=finding&entityId=${finding.id}&limit=20`,
    });
    expect(log.json().items.map((e: { after: { status?: string } }) => e.after.status)).toEqual([
      'open',
      'closed',
      'verified',
      'action_submitted',
      'action_requested',
      'qualified',
      'open',
    ]);
  });

  it('refuses an illegal move (409), naming the allowed ones, and staff cannot submit for the partner', async () => {
    const finding = await open(partnerA.organisationId);
    const skip = await move(finding.id, 'verified');
    expect(skip.statusCode).toBe(409);
    expect(skip.json().errors).toEqual([
      {
        field: 'to',
        message: 'a finding cannot go from open to verified (from open: qualified, escalated, closed)',
      },
    ]);
    await qualify(finding.id);
    await request(finding.id);
    const submitted = await move(finding.id, 'action_submitted');
    expect(submitted.statusCode).toBe(409);
    expect((await move(finding.id, 'escalated')).json().status).toBe('escalated');
  });

  it('a partner sees only findings about its own organisation (404 for others, not listed)', async () => {
    const ofA = await open(partnerA.organisationId);
    const network = await open(null, { title: 'Constat réseau' });
    expect((await server.as(partnerA, { method: 'GET', url: `/api/findings/${ofA.id}` })).statusCode).toBe(
      200,
    );
    expect((await server.as(partnerB, { method: 'GET', url: `/api/findings/${ofA.id}` })).statusCode).toBe(
      404,
    );
    expect(
      (await server.as(partnerA, { method: 'GET', url: `/api/findings/${network.id}` })).statusCode,
    ).toBe(404);
    const listB = (await server.as(partnerB, { method: 'GET', url: '/api/findings?limit=200' })).json();
    expect(listB.total).toBe(0);
  });

  it('a partner answers only its own findings (404), only when an action is requested (409), and writes nothing', async () => {
    const finding = await open(partnerA.organisationId);
    const before = await actionCount();
    const payload = { description: 'Plan de formation des formateurs', dueOn: inDays(15) };
    const other = await server.as(partnerB, {
      method: 'POST',
      url: `/api/findings/${finding.id}/corrective-actions`,
      payload,
    });
    expect(other.statusCode).toBe(404);
    const early = await server.as(partnerA, {
      method: 'POST',
      url: `/api/findings/${finding.id}/corrective-actions`,
      payload,
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toMatch(/The finding is open/);
    await qualify(finding.id);
    await request(finding.id);
    const past = await server.as(partnerA, {
      method: 'POST',
      url: `/api/findings/${finding.id}/corrective-actions`,
      payload: { ...payload, dueOn: inDays(-2) },
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors).toEqual([{ field: 'dueOn', message: 'must not be in the past' }]);
    expect(await actionCount()).toBe(before);
  });

  it('a partner may not open or move findings (403); staff may not answer for it (403)', async () => {
    const finding = await open(partnerA.organisationId);
    const create = await server.as(partnerA, {
      method: 'POST',
      url: '/api/findings',
      payload: { title: 'x', severity: 'minor' },
    });
    expect(create.statusCode).toBe(403);
    const transition = await server.as(partnerA, {
      method: 'POST',
      url: `/api/findings/${finding.id}/transition`,
      payload: { to: 'closed' },
    });
    expect(transition.statusCode).toBe(403);
    const answer = await server.as(auditor, {
      method: 'POST',
      url: `/api/findings/${finding.id}/corrective-actions`,
      payload: { description: 'x', dueOn: inDays(3) },
    });
    expect(answer.statusCode).toBe(403);
  });

  it('refuses a bad severity (400 naming it), and a second live finding of a rule on the same subject (409)', async () => {
    const bad = await server.as(auditor, {
      method: 'POST',
      url: '/api/findings',
      payload: { title: 'x', severity: 'fatal' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('severity');
    const subject = { ruleId: 'qualiopi-expired', subjectKey: `organisation:${partnerA.organisationId}` };
    await open(partnerA.organisationId, subject);
    const again = await server.as(auditor, {
      method: 'POST',
      url: '/api/findings',
      payload: {
        organisationId: partnerA.organisationId,
        title: 'Qualiopi expirée',
        severity: 'critical',
        ...subject,
      },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors).toEqual([{ field: 'subjectKey', message: 'a live finding already exists' }]);
  });

  it('a finding of a control takes the control’s organisation', async () => {
    const control = (
      await server.as(auditor, {
        method: 'POST',
        url: '/api/controls',
        payload: { kind: 'documentary', title: 'Revue des CV', organisationId: partnerB.organisationId },
      })
    ).json();
    const finding = await open(null, { controlId: control.id });
    const detail = (await server.as(partnerB, { method: 'GET', url: `/api/findings/${finding.id}` })).json();
    expect(detail).toMatchObject({ controlId: control.id, organisationId: partnerB.organisationId });
  });
});
