import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { resultsLate as rule } from './results-late.js';

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

  it.each([
    {
      name: 'a result recorded 3 weeks after the session',
      found: true,
      severity: 'minor',
      recordedAt: '2026-11-10T10:00:00+01:00',
      recorded: true,
    },
    {
      name: 'a registered candidate still without a result',
      found: true,
      severity: 'major',
      recordedAt: null,
      recorded: false,
    },
    {
      name: 'recorded on the deadline day (clean)',
      found: false,
      severity: null,
      recordedAt: '2026-11-04T18:00:00+01:00',
      recorded: true,
    },
  ])('$name → found: $found', async ({ found, severity, recordedAt, recorded }) => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    const candidate = await plant.candidate(org);
    const session = await plant.assessmentSession(cert.id, org, {
      startsAt: '2026-10-20T09:00:00+02:00',
      candidateIds: [candidate],
    });
    if (recorded) await plant.result(session, candidate, { ...(recordedAt ? { recordedAt } : {}) });
    const subject = (await find()).find((s) => s.subjectKey === `assessment_session:${session}`);
    expect(Boolean(subject)).toBe(found);
    if (subject) expect(subject.severity).toBe(severity);
  });

  it('does not ask for results before the deadline', async () => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    const candidate = await plant.candidate(org);
    const session = await plant.assessmentSession(cert.id, org, {
      startsAt: '2026-11-20T09:00:00+01:00',
      candidateIds: [candidate],
    });
    expect(await keys()).not.toContain(`assessment_session:${session}`);
  });
});
