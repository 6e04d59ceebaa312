import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../test/database.js';
import { controlPlanter } from '../../test/factories.js';
import { type Actor, isAppErrorCode, systemActor } from '../core/access/policy.js';
import type { DatabaseHandle } from '../db/database.js';
import { ControlPlanService } from './control-plan.service.js';

describe(ControlPlanService.name, () => {
  let handle: DatabaseHandle;
  let sut: ControlPlanService;
  const actor = systemActor('test');
  const now = new Date('2026-11-23T10:00:00+01:00');
  let high: string;
  let medium: string;
  let lowDue: string;
  let lowAudited: string;
  let stranger: string;

  const rejects = (p: Promise<unknown>, code: string) =>
    expect(p).rejects.toSatisfy((e) => isAppErrorCode(e, code as never));

  beforeAll(async () => {
    handle = await newTestDatabase();
    sut = new ControlPlanService({
      db: handle.db,
      now: () => now,
      config: { publicUrl: 'http://habilis.test', filesDir: '/nonexistent', dataDir: '/nonexistent' },
    });
    const plant = controlPlanter(handle.db);
    const cert = await plant.certification();
    high = await plant.organisation({
      legalName: 'High',
      qualiopiStatus: 'lapsed',
      qualiopiExpiresOn: '2026-01-31',
    });
    medium = await plant.organisation({
      legalName: 'Medium',
      qualiopiStatus: 'certified',
      qualiopiExpiresOn: '2029-01-01',
    });
    lowDue = await plant.organisation({
      legalName: 'Low due',
      qualiopiStatus: 'certified',
      qualiopiExpiresOn: '2029-01-01',
    });
    lowAudited = await plant.organisation({
      legalName: 'Low audited',
      qualiopiStatus: 'certified',
      qualiopiExpiresOn: '2029-01-01',
    });
    stranger = await plant.organisation({ legalName: 'Not habilitated' });
    for (const org of [high, medium, lowDue, lowAudited])
      await plant.habilitation(org, cert.id, { startsOn: '2024-01-01', endsOn: '2027-12-31' });
    const finding = (organisationId: string, severity: string) =>
      handle.db
        .insertInto('findings')
        .values({ organisationId, title: 'f', severity, source: '{}' })
        .execute();
    // High: 30 (critical) + 20 (never audited) + 15 (Qualiopi lapsed while training on CPF) = 65.
    await finding(high, 'critical');
    await plant.trainingSession(high, cert.id, { startsOn: '2026-09-01', funding: 'cpf' });
    // Medium: 30 (critical) + about 1.5 (audited last month) = 31.5.
    await finding(medium, 'critical');
    const audit = (organisationId: string, day: string) =>
      handle.db
        .insertInto('controls')
        .values({
          kind: 'documentary',
          title: 'a',
          organisationId,
          status: 'done',
          plannedOn: day,
          performedOn: day,
        })
        .execute();
    await audit(medium, '2026-10-01');
    await audit(lowDue, '2023-05-01');
    await audit(lowAudited, '2026-09-01');
  });
  afterAll(() => handle.close());

  let planId: string;

  it('proposes the year’s audits by risk: two for high, one for medium, the documentary review due, none for the audited', async () => {
    const plan = await sut.propose(actor, { year: 2027 });
    planId = plan.id;
    expect(plan).toMatchObject({
      year: 2027,
      status: 'draft',
      proposedOn: '2026-11-23',
      entries: 4,
      partners: 3,
    });
    expect(plan.byKind).toEqual({ on_site: 2, observation: 1, documentary: 1 });
    const { entries } = await sut.get(actor, plan.id);
    expect(entries.items.map((e) => [e.legalName, e.kind, e.depth, e.plannedOn])).toEqual([
      ['High', 'on_site', 'reinforced', '2027-01-15'],
      ['Low due', 'documentary', 'light', '2027-01-15'],
      ['Medium', 'on_site', 'standard', '2027-04-15'],
      ['High', 'observation', 'standard', '2027-07-15'],
    ]);
    expect(entries.items[1]?.reason).toContain('obligatoire cette année');
    const log = await handle.db
      .selectFrom('auditLog')
      .select(['action', 'after'])
      .where('entityId', '=', plan.id)
      .execute();
    expect(log).toEqual([expect.objectContaining({ action: 'control_plan.propose' })]);
  });

  it('refuses a second proposal unless replacing the draft, and a year already over', async () => {
    await rejects(sut.propose(actor, { year: 2027 }), 'conflict');
    await rejects(sut.propose(actor, { year: 2025 }), 'validation_failed');
    await rejects(sut.propose(actor, { year: 'next' }), 'validation_failed');
  });

  it('adjusts an entry (date within the year, removal, note), adds one, all audit-logged', async () => {
    const { entries } = await sut.get(actor, planId);
    const doc = entries.items.find((e) => e.kind === 'documentary')!;
    const moved = await sut.adjustEntry(actor, planId, doc.id, {
      plannedOn: '2027-03-02',
      depth: 'standard',
      note: 'Avec le dossier CPF',
    });
    expect(moved).toMatchObject({
      plannedOn: '2027-03-02',
      depth: 'standard',
      note: 'Avec le dossier CPF',
      origin: 'proposed',
    });
    await rejects(sut.adjustEntry(actor, planId, doc.id, { plannedOn: '2028-01-10' }), 'validation_failed');
    await rejects(sut.adjustEntry(actor, planId, doc.id, {}), 'validation_failed');
    const observation = entries.items.find((e) => e.kind === 'observation')!;
    await sut.adjustEntry(actor, planId, observation.id, { removed: true });
    const added = await sut.addEntry(actor, planId, {
      organisationId: lowAudited,
      kind: 'mystery_shop',
      depth: 'light',
      plannedOn: '2027-05-20',
    });
    expect(added).toMatchObject({
      origin: 'added',
      kind: 'mystery_shop',
      riskLevel: 'low',
      legalName: 'Low audited',
    });
    await rejects(
      sut.addEntry(actor, planId, {
        organisationId: crypto.randomUUID(),
        kind: 'documentary',
        depth: 'light',
        plannedOn: '2027-05-20',
      }),
      'validation_failed',
    );
    const after = await sut.get(actor, planId);
    expect([after.plan.entries, after.plan.removed]).toEqual([4, 1]);
    expect((await sut.get(actor, planId, { includeRemoved: 'true' })).entries.total).toBe(5);
    expect((await sut.get(actor, planId, { kind: 'on_site' })).entries.total).toBe(2);
    const actions = await handle.db
      .selectFrom('auditLog')
      .select('action')
      .where('entityType', '=', 'control_plan_entry')
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'control_plan.adjust',
      'control_plan.adjust',
      'control_plan.add',
    ]);
  });

  it('commits: each kept entry becomes a planned control; then the plan can no longer change', async () => {
    const plan = await sut.commit(actor, planId);
    expect(plan).toMatchObject({ status: 'committed', entries: 4, done: 0 });
    const controls = await handle.db
      .selectFrom('controls')
      .select(['kind', 'status', 'plannedOn', 'organisationId', 'title'])
      .where('status', '=', 'planned')
      .orderBy('plannedOn')
      .execute();
    expect(controls.map((c) => [c.kind, c.plannedOn])).toEqual([
      ['on_site', '2027-01-15'],
      ['documentary', '2027-03-02'],
      ['on_site', '2027-04-15'],
      ['mystery_shop', '2027-05-20'],
    ]);
    expect(controls[1]?.title).toContain('Contrôle documentaire (standard) — Low due — plan 2027');
    const { entries } = await sut.get(actor, planId);
    expect(entries.items.every((e) => e.controlId !== null && e.controlStatus === 'planned')).toBe(true);
    await rejects(sut.commit(actor, planId), 'conflict');
    await rejects(sut.adjustEntry(actor, planId, entries.items[0]!.id, { removed: true }), 'conflict');
    await rejects(sut.propose(actor, { year: 2027, replace: true }), 'conflict');
    expect((await sut.list(actor)).items.map((p) => [p.year, p.status])).toEqual([[2027, 'committed']]);
    expect(stranger).toBeDefined();
  });

  it('a proposal for the next year counts the committed audits as done in the period', async () => {
    const plan = await sut.propose(actor, { year: 2026 });
    const { entries } = await sut.get(actor, plan.id);
    expect(entries.items.find((e) => e.legalName === 'Low due')).toBeUndefined();
  });

  it('reading needs control.read, changing control.manage; unknown plans are not found', async () => {
    const partner: Actor = { kind: 'user', userId: high, role: 'partner', organisationId: high, label: 'p' };
    const reader: Actor = { kind: 'user', userId: high, role: 'read_only', organisationId: null, label: 'r' };
    await rejects(sut.list(partner), 'forbidden');
    await expect(sut.list(reader)).resolves.toBeDefined();
    await rejects(sut.propose(reader, { year: 2028 }), 'forbidden');
    await rejects(sut.get(actor, crypto.randomUUID()), 'not_found');
  });
});
