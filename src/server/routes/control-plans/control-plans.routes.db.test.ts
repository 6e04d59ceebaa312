import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlanter } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

// The risk scores and the plan de contrôle over HTTP: shapes, filters, permissions.
describe('risk score and control plan routes', () => {
  let server: TestServer;
  let manager: SignedIn;
  let reader: SignedIn;
  let partner: SignedIn;
  let a: string;
  let b: string;
  const year = new Date().getFullYear() + 1;

  beforeAll(async () => {
    server = await newTestServer();
    manager = await server.signIn('quality_manager');
    reader = await server.signIn('read_only');
    partner = await server.signIn('partner');
    const plant = controlPlanter(server.handle.db);
    const cert = await plant.certification();
    a = await plant.organisation({ legalName: 'Alpha', qualiopiStatus: 'not_certified' });
    b = await plant.organisation({ legalName: 'Beta' });
    await plant.habilitation(a, cert.id, { startsOn: '2024-01-01', endsOn: `${year}-12-31` });
    await plant.habilitation(b, cert.id, { startsOn: '2024-01-01', endsOn: `${year}-12-31` });
  });
  afterAll(() => server.close());

  it('lists risk scores for a page of organisations, each factor explained; one partner by id', async () => {
    const res = await server.as(reader, { method: 'GET', url: `/api/risk-scores?organisationId=${a},${b}` });
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.items.map((s: { legalName: string }) => s.legalName)).toEqual(['Alpha', 'Beta']);
    expect(page.items[0].factors).toHaveLength(6);
    expect(page.items[0].factors[0]).toEqual({
      id: 'volume',
      value: 0,
      weight: 15,
      contribution: 0,
      why: expect.any(String),
    });
    const one = await server.as(reader, { method: 'GET', url: `/api/risk-scores/${a}` });
    expect(one.json()).toMatchObject({ organisationId: a, level: expect.any(String) });
    const missing = await server.as(reader, {
      method: 'GET',
      url: `/api/risk-scores/${crypto.randomUUID()}`,
    });
    expect(missing.statusCode).toBe(404);
    const bad = await server.as(reader, { method: 'GET', url: '/api/risk-scores?level=extreme' });
    expect(bad.statusCode).toBe(400);
    expect((await server.as(partner, { method: 'GET', url: '/api/risk-scores' })).statusCode).toBe(403);
  });

  it('proposes, adjusts, adds to and commits a plan', async () => {
    const proposed = await server.as(manager, {
      method: 'POST',
      url: '/api/control-plans',
      payload: { year },
    });
    expect(proposed.statusCode).toBe(201);
    const plan = proposed.json();
    expect(plan).toMatchObject({ year, status: 'draft', partners: 2 });
    const view = (await server.as(reader, { method: 'GET', url: `/api/control-plans/${plan.id}` })).json();
    expect(view.entries.total).toBe(plan.entries);
    const entry = view.entries.items[0];
    const adjusted = await server.as(manager, {
      method: 'PATCH',
      url: `/api/control-plans/${plan.id}/entries/${entry.id}`,
      payload: { plannedOn: `${year}-06-03`, kind: 'on_site' },
    });
    expect(adjusted.statusCode).toBe(200);
    expect(adjusted.json()).toMatchObject({ plannedOn: `${year}-06-03`, kind: 'on_site' });
    const outside = await server.as(manager, {
      method: 'PATCH',
      url: `/api/control-plans/${plan.id}/entries/${entry.id}`,
      payload: { plannedOn: `${year + 1}-01-03` },
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors).toEqual([{ field: 'plannedOn', message: `must fall within ${year}` }]);
    const added = await server.as(manager, {
      method: 'POST',
      url: `/api/control-plans/${plan.id}/entries`,
      payload: { organisationId: b, kind: 'self_assessment', depth: 'light', plannedOn: `${year}-02-01` },
    });
    expect(added.statusCode).toBe(201);
    expect(
      (await server.as(reader, { method: 'POST', url: `/api/control-plans/${plan.id}/commit` })).statusCode,
    ).toBe(403);
    const committed = await server.as(manager, {
      method: 'POST',
      url: `/api/control-plans/${plan.id}/commit`,
    });
    expect(committed.statusCode).toBe(200);
    expect(committed.json()).toMatchObject({ status: 'committed', entries: plan.entries + 1 });
    const again = await server.as(manager, { method: 'POST', url: `/api/control-plans/${plan.id}/commit` });
    expect(again.statusCode).toBe(409);
    const list = await server.as(reader, { method: 'GET', url: '/api/control-plans' });
    expect(list.json().items.map((p: { year: number }) => p.year)).toEqual([year]);
    expect((await server.as(partner, { method: 'GET', url: '/api/control-plans' })).statusCode).toBe(403);
  });
});
