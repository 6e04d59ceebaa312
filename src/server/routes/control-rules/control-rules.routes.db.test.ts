import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlanter } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

describe('control rule routes', () => {
  let server: TestServer;
  let manager: SignedIn;
  let reader: SignedIn;
  let partner: SignedIn;

  beforeAll(async () => {
    server = await newTestServer();
    manager = await server.signIn('quality_manager');
    reader = await server.signIn('read_only');
    partner = await server.signIn('partner');
  });
  afterAll(() => server.close());

  it('a quality manager runs one rule and sees its finding through the findings API', async () => {
    const plant = controlPlanter(server.handle.db);
    const cert = await plant.certification();
    const session = await plant.trainingSession(partner.organisationId!, cert.id);
    const res = await server.as(manager, {
      method: 'POST',
      url: '/api/control-rules/run',
      payload: { ruleId: 'habilitation.training-scope' },
    });
    expect(res.statusCode).toBe(200);
    const summary = res.json();
    expect(summary.rules).toHaveLength(1);
    expect(summary.rules[0]).toMatchObject({
      id: 'habilitation.training-scope',
      severity: 'critical',
      subjects: 1,
    });
    expect(summary.findings).toEqual({ opened: 1, updated: 0, resolved: 0 });
    const findings = await server.as(manager, {
      method: 'GET',
      url: `/api/findings?controlId=${summary.rules[0].controlId}`,
    });
    expect(findings.json().items).toEqual([
      expect.objectContaining({
        ruleId: 'habilitation.training-scope',
        subjectKey: `training_session:${session}`,
        status: 'open',
      }),
    ]);
    // The partner concerned sees the finding about its own organisation.
    const own = await server.as(partner, { method: 'GET', url: '/api/findings' });
    expect(own.json().items.map((f: { subjectKey: string }) => f.subjectKey)).toContain(
      `training_session:${session}`,
    );
  });

  it('lists the catalogue to staff who may read controls, with the last run', async () => {
    const res = await server.as(reader, { method: 'GET', url: '/api/control-rules' });
    expect(res.statusCode).toBe(200);
    const scope = res.json().items.find((r: { id: string }) => r.id === 'habilitation.training-scope');
    expect(scope).toMatchObject({ openFindings: 1, lastRun: { controlId: expect.any(String) } });
    expect(res.json().items.length).toBeGreaterThanOrEqual(19);
  });

  it('refuses a run to roles that may not manage controls (403) and an unknown rule (400)', async () => {
    for (const user of [reader, partner]) {
      const res = await server.as(user, { method: 'POST', url: '/api/control-rules/run', payload: {} });
      expect(res.statusCode).toBe(403);
    }
    const unknown = await server.as(manager, {
      method: 'POST',
      url: '/api/control-rules/run',
      payload: { ruleId: 'no.such-rule' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([{ field: 'ruleId', message: 'unknown rule no.such-rule' }]);
    const extra = await server.as(manager, {
      method: 'POST',
      url: '/api/control-rules/run',
      payload: { rule: 'x' },
    });
    expect(extra.statusCode).toBe(400);
  });
});
