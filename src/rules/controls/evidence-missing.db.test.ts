import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { evidenceMissing as rule } from './evidence-missing.js';

describe(rule.id, () => {
  let handle: DatabaseHandle;
  let plant: ControlPlanter;
  const find = async () =>
    findSubjects(rule, new ControlRulesRepository(handle.db), {
      asOf: '2026-11-23',
      parameters: rule.parameters,
    });
  const keys = async () => (await find()).map((s) => s.subjectKey);

  beforeAll(async () => {
    handle = await newTestDatabase();
    plant = controlPlanter(handle.db);
  });
  afterAll(() => handle.close());

  const all = ['attendance_sheet', 'assessment_minutes', 'identity_check'];

  it.each([
    { name: 'no evidence at all', found: true, linked: [], startsAt: '2026-10-20T09:00:00+02:00' },
    {
      name: 'identity checks missing',
      found: true,
      linked: ['attendance_sheet', 'assessment_minutes'],
      startsAt: '2026-10-20T09:00:00+02:00',
    },
    { name: 'everything linked (clean)', found: false, linked: all, startsAt: '2026-10-20T09:00:00+02:00' },
    {
      name: 'held a week ago, still within the grace period (clean)',
      found: false,
      linked: [],
      startsAt: '2026-11-16T09:00:00+01:00',
    },
  ])('$name → found: $found', async ({ found, linked, startsAt }) => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    const session = await plant.assessmentSession(cert.id, org, { startsAt });
    for (const purpose of linked) await plant.evidence('assessment_session', session, purpose, org);
    const subject = (await find()).find((s) => s.subjectKey === `assessment_session:${session}`);
    expect(Boolean(subject)).toBe(found);
    if (subject) expect(subject.evidence.missing).toEqual(all.filter((p) => !linked.includes(p)).sort());
  });

  it('a deliberated jury without minutes', async () => {
    const cert = await plant.certification();
    const jury = await plant.jury(cert.id, { meetsOn: '2026-10-30', status: 'deliberated' });
    const planned = await plant.jury(cert.id, { meetsOn: '2026-10-30', status: 'planned' });
    const found = await keys();
    expect(found).toContain(`jury:${jury}`);
    expect(found).not.toContain(`jury:${planned}`);
  });
});
