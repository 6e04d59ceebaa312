import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

describe('control routes', () => {
  let server: TestServer;
  let auditor: SignedIn;
  let partner: SignedIn;

  const count = async () =>
    (
      await server.handle.db
        .selectFrom('controls')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  beforeAll(async () => {
    server = await newTestServer();
    auditor = await server.signIn('auditor');
    partner = await server.signIn('partner');
  });
  afterAll(() => server.close());

  it('an auditor plans an on-site audit of a partner and records it as done', async () => {
    const res = await server.as(auditor, {
      method: 'POST',
      url: '/api/controls',
      payload: {
        kind: 'on_site',
        title: 'Audit sur site — session de mars',
        organisationId: partner.organisationId,
        plannedOn: '2026-12-03',
      },
    });
    expect(res.statusCode).toBe(201);
    const control = res.json();
    expect(control).toMatchObject({ kind: 'on_site', status: 'planned', ruleId: null, findingCount: 0 });
    const done = await server.as(auditor, {
      method: 'PATCH',
      url: `/api/controls/${control.id}`,
      payload: { status: 'done', performedOn: '2026-12-04' },
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      status: 'done',
      performedOn: '2026-12-04',
      performedBy: auditor.userId,
    });
    const reopen = await server.as(auditor, {
      method: 'PATCH',
      url: `/api/controls/${control.id}`,
      payload: { status: 'in_progress' },
    });
    expect(reopen.statusCode).toBe(409);
    expect(reopen.json().errors).toEqual([{ field: 'status', message: 'not allowed from done' }]);
    const log = await server.as(auditor, {
      method: 'GET',
      url: `/api/audit-log?entityType=control&entityId=${control.id}`,
    });
    expect(log.json().items.map((e: { action: string }) => e.action)).toEqual([
      'control.update',
      'control.create',
    ]);
  });

  it('a rule control names its rule, and only a rule control does (400), and nothing is written', async () => {
    const before = await count();
    const rule = await server.as(auditor, {
      method: 'POST',
      url: '/api/controls',
      payload: { kind: 'rule', title: 'Qualiopi expirée' },
    });
    expect(rule.statusCode).toBe(400);
    expect(rule.json().errors).toEqual([{ field: 'ruleId', message: 'a rule control names its rule' }]);
    const audit = await server.as(auditor, {
      method: 'POST',
      url: '/api/controls',
      payload: { kind: 'documentary', ruleId: 'qualiopi-expired', title: 'Revue documentaire' },
    });
    expect(audit.statusCode).toBe(400);
    expect(await count()).toBe(before);
    const ok = await server.as(auditor, {
      method: 'POST',
      url: '/api/controls',
      payload: { kind: 'rule', ruleId: 'qualiopi-expired', title: 'Qualiopi expirée' },
    });
    expect(ok.statusCode).toBe(201);
  });

  it('controls are the certifier’s: a partner neither reads nor plans them (403)', async () => {
    expect((await server.as(partner, { method: 'GET', url: '/api/controls' })).statusCode).toBe(403);
    const res = await server.as(partner, {
      method: 'POST',
      url: '/api/controls',
      payload: { kind: 'self_assessment', title: 'Auto-évaluation' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('an unknown organisation is named (400), an unknown control is 404', async () => {
    const res = await server.as(auditor, {
      method: 'POST',
      url: '/api/controls',
      payload: {
        kind: 'mystery_shop',
        title: 'Client mystère',
        organisationId: '00000000-0000-4000-8000-000000000000',
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('organisationId');
    const missing = await server.as(auditor, {
      method: 'GET',
      url: '/api/controls/00000000-0000-4000-8000-000000000000',
    });
    expect(missing.statusCode).toBe(404);
  });
});
