import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { successRateOutlier as rule } from './success-rate-outlier.js';

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

  /** A partner presenting `presented` candidates on the certification, `passed` of whom pass. */
  async function partner(certificationId: string, presented: number, passed: number) {
    const org = await plant.organisation();
    const session = await plant.assessmentSession(certificationId, org, {
      startsAt: '2026-06-15T09:00:00+02:00',
    });
    for (let i = 0; i < presented; i++) {
      const candidate = await plant.candidate(org);
      await plant.result(session, candidate, { decision: i < passed ? 'passed' : 'failed' });
    }
    // Absences are not presentations: they change nothing.
    await plant.result(session, await plant.candidate(org), { decision: 'absent' });
    return org;
  }

  it('finds the partner far above and the one far below the rest of the network, not the ordinary ones', async () => {
    const cert = await plant.certification();
    const ordinary = [
      await partner(cert.id, 40, 24),
      await partner(cert.id, 40, 25),
      await partner(cert.id, 40, 23),
    ];
    const high = await partner(cert.id, 30, 30);
    const low = await partner(cert.id, 30, 5);
    const subjects = await find();
    const byKey = new Map(subjects.map((s) => [s.subjectKey, s]));
    expect(byKey.get(`${high}:${cert.id}:2026`)).toMatchObject({
      severity: 'major',
      evidence: { direction: 'high', presented: 30, passed: 30 },
    });
    expect(byKey.get(`${low}:${cert.id}:2026`)).toMatchObject({
      severity: 'minor',
      evidence: { direction: 'low', presented: 30, passed: 5 },
    });
    for (const org of ordinary) expect(byKey.has(`${org}:${cert.id}:2026`)).toBe(false);
  });

  it('does not judge a sample below the minimum, however extreme', async () => {
    const cert = await plant.certification();
    for (let i = 0; i < 3; i++) await partner(cert.id, 30, 15);
    const small = await partner(cert.id, 10, 10);
    expect(await keys()).not.toContain(`${small}:${cert.id}:2026`);
  });
});
