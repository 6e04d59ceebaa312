import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../test/database.js';
import { controlPlanter } from '../../test/factories.js';
import { type Actor, isAppErrorCode, systemActor } from '../core/access/policy.js';
import type { DatabaseHandle } from '../db/database.js';
import { RiskService } from './risk.service.js';

describe(RiskService.name, () => {
  let handle: DatabaseHandle;
  let sut: RiskService;
  const actor = systemActor('test');
  const now = new Date('2026-11-23T10:00:00+01:00');
  let risky: string;
  let quiet: string;
  let archived: string;
  let quietSiret: string;

  const finding = (
    organisationId: string,
    o: { ruleId?: string | null; severity: string; status?: string; direction?: string },
  ) =>
    handle.db
      .insertInto('findings')
      .values({
        organisationId,
        ruleId: o.ruleId ?? null,
        subjectKey: o.ruleId ? `${organisationId}:${Math.random()}` : null,
        title: 'planted',
        severity: o.severity,
        status: o.status ?? 'open',
        source: JSON.stringify(o.direction ? { evidence: { direction: o.direction } } : {}),
      })
      .execute();
  const audit = (organisationId: string, performedOn: string, o: { kind?: string; status?: string } = {}) =>
    handle.db
      .insertInto('controls')
      .values({
        kind: o.kind ?? 'on_site',
        ruleId: o.kind === 'rule' ? 'results.late' : null,
        title: 'Audit',
        organisationId,
        status: o.status ?? 'done',
        plannedOn: performedOn,
        performedOn,
      })
      .execute();

  beforeAll(async () => {
    handle = await newTestDatabase();
    sut = new RiskService({
      db: handle.db,
      now: () => now,
      config: { publicUrl: 'http://habilis.test', filesDir: '/nonexistent', dataDir: '/nonexistent' },
    });
    const plant = controlPlanter(handle.db);
    const cert = await plant.certification();
    risky = await plant.organisation({
      legalName: 'Risky',
      qualiopiStatus: 'lapsed',
      qualiopiExpiresOn: '2026-06-30',
    });
    quiet = await plant.organisation({
      legalName: 'Quiet',
      qualiopiStatus: 'certified',
      qualiopiExpiresOn: '2028-06-30',
    });
    archived = await plant.organisation({ legalName: 'Archived' });
    await handle.db
      .updateTable('organisations')
      .set({ archivedAt: now })
      .where('id', '=', archived)
      .execute();
    quietSiret = (
      await handle.db
        .selectFrom('organisations')
        .select('siret')
        .where('id', '=', quiet)
        .executeTakeFirstOrThrow()
    ).siret;

    // Risky: 12 trainees on CPF this year, 8 candidates assessed, one older session outside the 12 months.
    const trainees = await Promise.all(Array.from({ length: 12 }, () => plant.candidate(risky)));
    await plant.trainingSession(risky, cert.id, {
      startsOn: '2026-03-01',
      endsOn: '2026-05-01',
      funding: 'cpf',
      candidateIds: trainees,
    });
    await plant.trainingSession(risky, cert.id, {
      startsOn: '2025-01-10',
      endsOn: '2025-03-01',
      candidateIds: trainees.slice(0, 5),
    });
    await plant.assessmentSession(cert.id, risky, {
      startsAt: '2026-06-10T09:00:00+02:00',
      candidateIds: trainees.slice(0, 8),
    });
    await plant.assessmentSession(cert.id, risky, {
      startsAt: '2026-06-11T09:00:00+02:00',
      status: 'cancelled',
      candidateIds: trainees.slice(8),
    });
    await finding(risky, { ruleId: 'certificate.unsupported', severity: 'critical' });
    await finding(risky, { ruleId: 'results.late', severity: 'major', status: 'qualified' });
    await finding(risky, { ruleId: 'results.late', severity: 'major', status: 'closed' });
    await finding(risky, { severity: 'minor' });
    await finding(risky, { ruleId: 'success-rate.outlier', severity: 'major', direction: 'high' });
    await finding(risky, { ruleId: 'volume.sudden-growth', severity: 'minor' });
    await audit(risky, '2026-12-01', { status: 'planned' });
    await audit(risky, '2023-05-01', { kind: 'rule' });

    // Quiet: audited a month ago (and earlier), nothing open but a closed finding.
    await audit(quiet, '2025-02-01');
    await audit(quiet, '2026-10-24', { kind: 'documentary' });
    await finding(quiet, { severity: 'critical', status: 'closed' });
  });
  afterAll(() => handle.close());

  it('gathers each partner’s facts and explains the score factor by factor', async () => {
    const page = await sut.list(actor, {});
    expect(page.items.map((s) => s.legalName)).toEqual(['Risky', 'Quiet']);
    expect(page.total).toBe(2);
    const [r, q] = page.items;
    const values = (s: typeof r) => Object.fromEntries(s!.factors.map((f) => [f.id, f.value]));
    expect(values(r)).toEqual({
      volume: 20,
      findings: 3,
      outliers: 2,
      lastAudit: null,
      qualiopi: 'lapsed',
      complaints: null,
    });
    expect(r!.factors.find((f) => f.id === 'findings')?.why).toContain(
      '1 critique(s), 1 majeur(s), 1 mineur(s)',
    );
    expect(r!.factors.find((f) => f.id === 'qualiopi')?.why).toContain('financement CPF');
    expect(r!.level).toBe('high');
    expect(values(q)).toMatchObject({
      volume: 0,
      findings: 0,
      outliers: 0,
      lastAudit: 30,
      qualiopi: 'certified',
    });
    expect(q!.level).toBe('low');
    expect(page.byLevel).toEqual({ low: 1, medium: 0, high: 1 });
    expect(page.asOf).toBe('2026-11-23');
  });

  it('filters by SIRET, by organisations and by level; pages keep the total', async () => {
    expect((await sut.list(actor, { siret: quietSiret })).items.map((s) => s.organisationId)).toEqual([
      quiet,
    ]);
    expect(
      (await sut.list(actor, { organisationId: [quiet, archived] })).items.map((s) => s.legalName),
    ).toEqual(['Quiet']);
    expect(
      (await sut.list(actor, { organisationId: `${risky},${quiet}`, level: 'high' })).items,
    ).toHaveLength(1);
    const second = await sut.list(actor, { limit: 1, offset: 1 });
    expect([second.total, second.items.map((s) => s.legalName)]).toEqual([2, ['Quiet']]);
  });

  it('one partner, or not_found for an archived or unknown one; refused without control.read', async () => {
    expect((await sut.get(actor, risky)).legalName).toBe('Risky');
    await expect(sut.get(actor, archived)).rejects.toSatisfy((e) => isAppErrorCode(e, 'not_found'));
    const partner: Actor = {
      kind: 'user',
      userId: quiet,
      role: 'partner',
      organisationId: quiet,
      label: 'p',
    };
    await expect(sut.list(partner, {})).rejects.toSatisfy((e) => isAppErrorCode(e, 'forbidden'));
    await expect(sut.list(actor, { level: 'extreme' })).rejects.toSatisfy((e) =>
      isAppErrorCode(e, 'validation_failed'),
    );
  });
});
