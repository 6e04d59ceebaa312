import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlanter } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

// The sanction scale applied: right of reply before a decision is final, the habilitation suspended then
// withdrawn through its own decisions (so France Compétences' declaration list gets them), new training
// sessions refused, and the suggestion of the level from the partner's findings.
describe('sanctions applied to habilitations', () => {
  let server: TestServer;
  let quality: SignedIn;
  let partner: SignedIn;
  let certificationId: string;
  let habilitationId: string;
  const findings: string[] = [];

  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  const propose = async (level: string, overrides: Record<string, unknown> = {}) => {
    const res = await server.as(quality, {
      method: 'POST',
      url: '/api/sanctions',
      payload: {
        organisationId: partner.organisationId,
        level,
        reasons: 'Constats majeurs répétés sur les sessions d’examen',
        conventionClause: 'Article 12 — Sanctions',
        decidedOn: inDays(0),
        replyDueOn: inDays(15),
        findingIds: findings,
        ...overrides,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };

  const patch = (id: string, payload: unknown) =>
    server.as(quality, { method: 'PATCH', url: `/api/sanctions/${id}`, payload });

  const habilitationStatus = async () =>
    (await server.as(quality, { method: 'GET', url: `/api/habilitations/${habilitationId}` })).json().status;

  const declareSession = () =>
    server.as(partner, {
      method: 'POST',
      url: '/api/training-sessions',
      payload: {
        certificationId,
        startsOn: inDays(30),
        endsOn: inDays(60),
        modality: 'in_person',
      },
    });

  beforeAll(async () => {
    server = await newTestServer();
    quality = await server.signIn('quality_manager');
    partner = await server.signIn('partner');
    const plant = controlPlanter(server.handle.db);
    const organisationId = partner.organisationId ?? '';
    const certification = await plant.certification(1);
    certificationId = certification.id;
    await plant.convention(organisationId, [certificationId]);
    habilitationId = await plant.habilitation(organisationId, certificationId, { startsOn: '2025-01-01' });
    for (const title of ['Identité non vérifiée', 'Sujets divulgués', 'Jury incomplet']) {
      const res = await server.as(quality, {
        method: 'POST',
        url: '/api/findings',
        payload: { organisationId, title, severity: 'major' },
      });
      findings.push(res.json().id);
    }
  });
  afterAll(() => server.close());

  it('cites findings and the convention clause, and gives a date to reply (400 otherwise, nothing written)', async () => {
    const res = await server.as(quality, {
      method: 'POST',
      url: '/api/sanctions',
      payload: {
        organisationId: partner.organisationId,
        level: 'suspension',
        reasons: 'x',
        decidedOn: inDays(0),
      },
    });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['conventionClause', 'findingIds', 'replyDueOn']);
  });

  it('suggests a suspension after three major findings, with its reasons', async () => {
    const res = await server.as(quality, {
      method: 'GET',
      url: `/api/sanctions/suggestion?organisationId=${partner.organisationId}`,
    });
    expect(res.json()).toEqual({
      suggestion: { level: 'suspension', reasons: [{ code: 'repeated_major', count: 3, months: 12 }] },
    });
  });

  it('makes a suspension final after the reply, suspends the habilitation and blocks new sessions', async () => {
    expect((await declareSession()).statusCode).toBe(201);
    const { id } = await propose('suspension');
    expect((await patch(id, { status: 'final' })).statusCode).toBe(409);
    expect((await patch(id, { status: 'notified' })).statusCode).toBe(200);
    const early = await patch(id, { status: 'final' });
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toMatch(/the partner may reply until/);
    expect(await habilitationStatus()).toBe('active');

    const reply = await server.as(partner, {
      method: 'POST',
      url: `/api/sanctions/${id}/reply`,
      payload: { reply: 'Nous avons remplacé le responsable des examens.' },
    });
    expect(reply.statusCode).toBe(200);
    const final = await patch(id, { status: 'final' });
    expect(final.statusCode, final.body).toBe(200);
    expect(final.json().appliedAt).not.toBeNull();
    expect(await habilitationStatus()).toBe('suspended');

    const refused = await declareSession();
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/suspended/);

    const changes = await server.as(quality, {
      method: 'GET',
      url: `/api/declarations/changes?limit=100`,
    });
    expect(
      changes.json().items.filter((c: { habilitationId: string }) => c.habilitationId === habilitationId),
    ).toEqual(expect.arrayContaining([expect.objectContaining({ toStatus: 'suspended' })]));
  });

  it('then withdraws it; the suggestion says withdrawal for a suspended partner with major findings', async () => {
    const suggestion = await server.as(quality, {
      method: 'GET',
      url: `/api/sanctions/suggestion?organisationId=${partner.organisationId}`,
    });
    expect(suggestion.json().suggestion.level).toBe('withdrawal');
    const { id } = await propose('withdrawal', {
      habilitationId,
      decidedOn: inDays(-20),
      replyDueOn: inDays(-5),
    });
    await patch(id, { status: 'notified' });
    const final = await patch(id, { status: 'final' });
    expect(final.statusCode, final.body).toBe(200);
    expect(await habilitationStatus()).toBe('withdrawn');
    const detail = (
      await server.as(quality, { method: 'GET', url: `/api/habilitations/${habilitationId}` })
    ).json();
    expect(detail.decisions.at(-1)).toMatchObject({
      toStatus: 'withdrawn',
      reasons: expect.stringMatching(/Sanction \(withdrawal\).*Article 12/),
    });
    // Nothing left to apply a second withdrawal to: refused, and the sanction stays notified.
    const again = await propose('withdrawal', { decidedOn: inDays(-20), replyDueOn: inDays(-5) });
    await patch(again.id, { status: 'notified' });
    const refused = await patch(again.id, { status: 'final' });
    expect(refused.statusCode).toBe(409);
    expect(
      (await server.as(quality, { method: 'GET', url: `/api/sanctions/${again.id}` })).json().status,
    ).toBe('notified');
  });
});
