import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../test/database.js';
import { controlPlanter } from '../../test/factories.js';
import { systemActor } from '../core/access/policy.js';
import type { DatabaseHandle } from '../db/database.js';
import { controlRules } from '../rules/controls/index.js';
import { AuditService } from './audit.service.js';
import { ControlRunService } from './control-run.service.js';

describe(ControlRunService.name, () => {
  let handle: DatabaseHandle;
  let now = new Date('2026-11-23T02:30:00+01:00');
  let sut: ControlRunService;
  const actor = systemActor('test');

  beforeAll(async () => {
    handle = await newTestDatabase();
    sut = new ControlRunService({
      db: handle.db,
      now: () => now,
      config: { publicUrl: 'http://habilis.test', filesDir: '/nonexistent', dataDir: '/nonexistent' },
    });
  });
  afterAll(() => handle.close());

  const findingsOf = (ruleId: string) =>
    handle.db.selectFrom('findings').selectAll().where('ruleId', '=', ruleId).orderBy('openedAt').execute();

  it('opens one finding per subject, refreshes it on the next run instead of duplicating it, and closes it when the condition is gone', async () => {
    const plant = controlPlanter(handle.db);
    const org = await plant.organisation();
    const cert = await plant.certification();
    await plant.habilitation(org, cert.id);
    await plant.trainingSession(org, cert.id, { startsOn: '2026-09-01' });

    const first = await sut.run(actor, { ruleId: 'convention.missing' });
    expect(first.rules).toEqual([
      expect.objectContaining({
        id: 'convention.missing',
        severity: 'major',
        subjects: 1,
        findings: { opened: 1, updated: 0, resolved: 0 },
      }),
    ]);
    expect(first.rules[0]?.source).toContain('R6113-16-1');
    expect(first.findings).toEqual({ opened: 1, updated: 0, resolved: 0 });
    const [opened] = await findingsOf('convention.missing');
    expect(opened).toMatchObject({
      subjectKey: `${org}:${cert.id}`,
      organisationId: org,
      certificationId: cert.id,
      status: 'open',
      severity: 'major',
      controlId: first.rules[0]?.controlId,
    });

    // The quality manager qualifies it; the next night finds it again (one more session).
    await handle.db
      .updateTable('findings')
      .set({ status: 'qualified', severity: 'critical' })
      .where('id', '=', opened!.id)
      .execute();
    await plant.trainingSession(org, cert.id, { startsOn: '2026-10-01' });
    now = new Date('2026-11-24T02:30:00+01:00');
    const second = await sut.run(actor, { ruleId: 'convention.missing' });
    expect(second.findings).toEqual({ opened: 0, updated: 1, resolved: 0 });
    const afterSecond = await findingsOf('convention.missing');
    expect(afterSecond).toHaveLength(1);
    expect(afterSecond[0]).toMatchObject({
      id: opened!.id,
      status: 'qualified',
      severity: 'critical', // qualified by a person: the rule no longer sets it
      controlId: second.rules[0]?.controlId,
      source: expect.objectContaining({
        firstControlId: first.rules[0]?.controlId,
        lastControlId: second.rules[0]?.controlId,
      }),
    });
    expect(afterSecond[0]?.description).toContain('2 sessions');

    // A convention signed before the sessions: the condition is gone, the finding closes itself.
    await plant.convention(org, [cert.id], { signedOn: '2026-08-01', startsOn: '2026-08-01' });
    now = new Date('2026-11-25T02:30:00+01:00');
    const third = await sut.run(actor, { ruleId: 'convention.missing' });
    expect(third.findings).toEqual({ opened: 0, updated: 0, resolved: 1 });
    const [closed] = await findingsOf('convention.missing');
    expect(closed).toMatchObject({
      id: opened!.id,
      status: 'closed',
      closedAt: new Date('2026-11-25T02:30:00+01:00'),
    });

    // The history is in the audit log: opened, refreshed (its text changed), resolved.
    const log = await handle.db
      .selectFrom('auditLog')
      .select(['action', 'before', 'after'])
      .where('entityType', '=', 'finding')
      .where('entityId', '=', opened!.id)
      .orderBy('seq')
      .execute();
    expect(log.map((e) => e.action)).toEqual(['finding.open', 'finding.refresh', 'finding.resolve']);
    expect(log[2]).toMatchObject({ before: { status: 'qualified' }, after: { status: 'closed' } });

    // The same subject found again later opens a new finding (the closed one stays closed).
    await handle.db.deleteFrom('conventionCertifications').where('certificationId', '=', cert.id).execute();
    const fourth = await sut.run(actor, { ruleId: 'convention.missing' });
    expect(fourth.findings.opened).toBe(1);
    expect((await findingsOf('convention.missing')).map((f) => f.status)).toEqual(['closed', 'open']);
  });

  it('records each rule run as a control of kind rule, with what it read in the audit log', async () => {
    const summary = await sut.run(actor, { ruleId: 'accrochage.late' });
    const controlId = summary.rules[0]!.controlId;
    const control = await handle.db
      .selectFrom('controls')
      .selectAll()
      .where('id', '=', controlId)
      .executeTakeFirstOrThrow();
    expect(control).toMatchObject({
      kind: 'rule',
      ruleId: 'accrochage.late',
      status: 'done',
      performedOn: '2026-11-25',
    });
    const entry = await handle.db
      .selectFrom('auditLog')
      .select(['action', 'after'])
      .where('entityType', '=', 'control')
      .where('entityId', '=', controlId)
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      action: 'control.run',
      after: {
        ruleId: 'accrochage.late',
        asOf: '2026-11-25',
        parameters: { deadlineMonths: 3 },
        dataset: { certificates: 0, candidates: expect.any(Number) },
      },
    });
  });

  it('runs every rule when none is named, each with its own control', async () => {
    const summary = await sut.run(actor);
    expect(summary.rules.map((r) => r.id)).toEqual(controlRules.map((r) => r.id));
    expect(new Set(summary.rules.map((r) => r.controlId)).size).toBe(controlRules.length);
  });

  it('refuses an unknown rule, and a role that may not manage controls', async () => {
    await expect(sut.run(actor, { ruleId: 'no.such-rule' })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [{ field: 'ruleId', message: 'unknown rule no.such-rule' }],
    });
    const reader = {
      kind: 'user' as const,
      userId: crypto.randomUUID(),
      role: 'read_only' as const,
      organisationId: null,
      label: 'r',
    };
    await expect(sut.run(reader)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(sut.catalogue(reader)).resolves.toMatchObject({ items: expect.any(Array) });
  });

  it('lists the catalogue with each rule’s sources, last run and live findings', async () => {
    const { items } = await sut.catalogue(actor);
    const missing = items.find((r) => r.id === 'convention.missing');
    expect(missing).toMatchObject({
      title: { fr: 'Activité sans convention signée en vigueur' },
      severity: 'major',
      openFindings: 1,
      lastRun: { performedOn: '2026-11-25' },
    });
    expect(missing?.sources.map((s) => s.kind)).toEqual(['law', 'convention']);
  });

  it('writes a run’s audit entries as one batch that chains onto the log and verifies', async () => {
    const plant = controlPlanter(handle.db);
    const cert = await plant.certification();
    for (let i = 0; i < 3; i++) {
      const org = await plant.organisation();
      await plant.habilitation(org, cert.id);
      await plant.trainingSession(org, cert.id, { startsOn: '2026-09-01' });
    }
    const before = await new AuditService(handle.db).verify(actor);
    const summary = await sut.run(actor, { ruleId: 'convention.missing' });
    expect(summary.findings.opened).toBe(3);
    const after = await new AuditService(handle.db).verify(actor);
    // The run, then one entry per finding opened, each chained on the one before.
    expect(after).toMatchObject({ ok: true, entries: before.entries + 4, firstBroken: null });
    const log = await handle.db
      .selectFrom('auditLog')
      .select(['seq', 'action'])
      .where('seq', '>', before.entries)
      .orderBy('seq')
      .execute();
    expect(log.map((e) => e.action)).toEqual(['control.run', 'finding.open', 'finding.open', 'finding.open']);
  });
});
