import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlanter } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

describe('GET /api/quality/overview', () => {
  let server: TestServer;
  let quality: SignedIn;
  let outlier: string;
  const year = new Date().getUTCFullYear();
  const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);

  beforeAll(async () => {
    server = await newTestServer();
    quality = await server.signIn('quality_manager');
    const plant = controlPlanter(server.handle.db);
    const db = server.handle.db;
    const cert = await plant.certification(1);
    // Nine partners at 6 of 10, and one at 60 of 60: the funnel flags only the last one.
    for (let p = 0; p < 10; p++) {
      const org = await plant.organisation({ legalName: `Partenaire ${p}` });
      if (p === 9) outlier = org;
      const n = p === 9 ? 60 : 10;
      const session = await plant.assessmentSession(cert.id, org, { startsAt: daysAgo(20).toISOString() });
      for (let c = 0; c < n; c++) {
        const candidate = await plant.candidate(org);
        await plant.result(session, candidate, { decision: p === 9 || c < 6 ? 'passed' : 'failed' });
      }
    }
    // Live findings: one major opened 100 days ago, two minor this week, one closed (not counted).
    const org = await plant.organisation({ legalName: 'Constats' });
    for (const [severity, opened, status] of [
      ['major', 100, 'open'],
      ['minor', 2, 'open'],
      ['minor', 3, 'escalated'],
      ['critical', 1, 'closed'],
    ] as const)
      await db
        .insertInto('findings')
        .values({ organisationId: org, title: 't', severity, status, openedAt: daysAgo(opened as number) })
        .execute();
    for (const [kind, status, plannedOn] of [
      ['on_site', 'done', `${year}-01-15`],
      ['on_site', 'planned', `${year}-01-20`],
      ['documentary', 'planned', `${year}-12-31`],
      ['documentary', 'cancelled', `${year}-02-01`],
      ['on_site', 'done', `${year - 1}-05-01`],
    ] as const)
      await db.insertInto('controls').values({ kind, status, plannedOn, title: 'Audit' }).execute();
  });
  afterAll(() => server.close());

  it('counts live findings by severity and age, the year’s audits, and flags outliers in the funnel', async () => {
    const res = await server.as(quality, { method: 'GET', url: '/api/quality/overview' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.findings).toMatchObject({ live: 3, escalated: 1 });
    expect(body.findings.bySeverity).toEqual([
      { severity: 'minor', total: 2, ages: { d30: 2, d90: 0, d180: 0, older: 0 } },
      { severity: 'major', total: 1, ages: { d30: 0, d90: 0, d180: 1, older: 0 } },
      { severity: 'critical', total: 0, ages: { d30: 0, d90: 0, d180: 0, older: 0 } },
    ]);
    expect(body.plan).toMatchObject({ year, total: 4, done: 1, planned: 2, cancelled: 1 });
    expect(body.plan.byKind).toEqual([
      { kind: 'documentary', total: 1, done: 0 },
      { kind: 'on_site', total: 2, done: 1 },
    ]);
    const [funnel] = body.funnel;
    expect(funnel).toMatchObject({ presented: 150, passed: 114 });
    const flagged = funnel.partners.filter((p: { zone: string }) => p.zone !== 'inside');
    expect(flagged).toEqual([expect.objectContaining({ organisationId: outlier, zone: 'alarm_high' })]);
  });

  it('is the certifier’s: a partner gets 403', async () => {
    const partner = await server.signIn('partner');
    expect((await server.as(partner, { method: 'GET', url: '/api/quality/overview' })).statusCode).toBe(403);
  });
});
