import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

describe('sanction routes', () => {
  let server: TestServer;
  let admin: SignedIn;
  let partnerA: SignedIn;
  let partnerB: SignedIn;
  let findingA: string;
  let findingB: string;

  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  const count = async () =>
    (
      await server.handle.db
        .selectFrom('sanctions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  const sanction = (overrides: Record<string, unknown> = {}) => ({
    organisationId: partnerA.organisationId,
    level: 'warning',
    reasons: 'Trois sessions déclarées hors du périmètre de l’habilitation (art. 7 de la convention)',
    conventionClause: 'Article 7',
    decidedOn: inDays(-1),
    replyDueOn: inDays(14),
    findingIds: [findingA],
    ...overrides,
  });

  const propose = async (overrides: Record<string, unknown> = {}) => {
    const res = await server.as(admin, {
      method: 'POST',
      url: '/api/sanctions',
      payload: sanction(overrides),
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string };
  };

  const notify = (id: string) =>
    server.as(admin, { method: 'PATCH', url: `/api/sanctions/${id}`, payload: { status: 'notified' } });

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    partnerA = await server.signIn('partner');
    partnerB = await server.signIn('partner');
    const finding = async (organisationId: string | null) =>
      (
        await server.as(admin, {
          method: 'POST',
          url: '/api/findings',
          payload: { organisationId, title: 'Session hors périmètre', severity: 'major' },
        })
      ).json().id as string;
    findingA = await finding(partnerA.organisationId);
    findingB = await finding(partnerB.organisationId);
  });
  afterAll(() => server.close());

  it('proposes a sanction with its reasons and findings, and records it in the audit log', async () => {
    const created = await propose();
    expect(created).toMatchObject({
      level: 'warning',
      status: 'proposed',
      findingIds: [findingA],
      decidedBy: admin.userId,
    });
    const log = await server.as(admin, {
      method: 'GET',
      url: `/api/audit-log?entityType=sanction&entityId=${created.id}`,
    });
    expect(log.json().items[0]).toMatchObject({ action: 'sanction.create' });
  });

  it('refuses a sanction without reasons, and a finding about another organisation (400), writing nothing', async () => {
    const before = await count();
    const bare = await server.as(admin, {
      method: 'POST',
      url: '/api/sanctions',
      payload: sanction({ reasons: '  ' }),
    });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors).toEqual([{ field: 'reasons', message: 'must not be empty' }]);
    const foreign = await server.as(admin, {
      method: 'POST',
      url: '/api/sanctions',
      payload: sanction({ findingIds: [findingA, findingB] }),
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors).toEqual([
      { field: 'findingIds/1', message: 'not a finding about this organisation' },
    ]);
    const level = await server.as(admin, {
      method: 'POST',
      url: '/api/sanctions',
      payload: sanction({ level: 'blame' }),
    });
    expect(level.statusCode).toBe(400);
    expect(await count()).toBe(before);
  });

  it('the partner learns of a sanction once notified; another partner never (404)', async () => {
    const created = await propose();
    expect(
      (await server.as(partnerA, { method: 'GET', url: `/api/sanctions/${created.id}` })).statusCode,
    ).toBe(404);
    const hidden = (await server.as(partnerA, { method: 'GET', url: '/api/sanctions' })).json();
    expect(hidden.items.map((s: { id: string }) => s.id)).not.toContain(created.id);
    expect((await notify(created.id)).statusCode).toBe(200);
    expect(
      (await server.as(partnerA, { method: 'GET', url: `/api/sanctions/${created.id}` })).statusCode,
    ).toBe(200);
    expect(
      (await server.as(partnerB, { method: 'GET', url: `/api/sanctions/${created.id}` })).statusCode,
    ).toBe(404);
  });

  it('the partner replies once, by the deadline; another partner cannot reply (404)', async () => {
    const created = await propose();
    const early = await server.as(partnerA, {
      method: 'POST',
      url: `/api/sanctions/${created.id}/reply`,
      payload: { reply: 'Nous contestons' },
    });
    expect(early.statusCode).toBe(404);
    await notify(created.id);
    const other = await server.as(partnerB, {
      method: 'POST',
      url: `/api/sanctions/${created.id}/reply`,
      payload: { reply: 'Nous contestons' },
    });
    expect(other.statusCode).toBe(404);
    const reply = await server.as(partnerA, {
      method: 'POST',
      url: `/api/sanctions/${created.id}/reply`,
      payload: { reply: 'Les sessions ont été annulées; voir pièces jointes.' },
    });
    expect(reply.statusCode).toBe(200);
    expect(reply.json().repliedAt).not.toBeNull();
    const twice = await server.as(partnerA, {
      method: 'POST',
      url: `/api/sanctions/${created.id}/reply`,
      payload: { reply: 'Complément' },
    });
    expect(twice.statusCode).toBe(409);
  });

  it('refuses a reply after the deadline (409)', async () => {
    const created = await propose({ decidedOn: inDays(-30), replyDueOn: inDays(-15) });
    await notify(created.id);
    const res = await server.as(partnerA, {
      method: 'POST',
      url: `/api/sanctions/${created.id}/reply`,
      payload: { reply: 'En retard' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toBe(`The reply was due on ${inDays(-15)}`);
  });

  it('a final sanction is not cancelled (409); a partner may not decide sanctions (403)', async () => {
    // The reply deadline has passed: the sanction may be made final.
    const created = await propose({ level: 'warning', decidedOn: inDays(-10), replyDueOn: inDays(-1) });
    await notify(created.id);
    const final = await server.as(admin, {
      method: 'PATCH',
      url: `/api/sanctions/${created.id}`,
      payload: { status: 'final' },
    });
    expect(final.statusCode).toBe(200);
    const cancel = await server.as(admin, {
      method: 'PATCH',
      url: `/api/sanctions/${created.id}`,
      payload: { status: 'cancelled' },
    });
    expect(cancel.statusCode).toBe(409);
    const byPartner = await server.as(partnerA, {
      method: 'POST',
      url: '/api/sanctions',
      payload: sanction(),
    });
    expect(byPartner.statusCode).toBe(403);
  });
});
