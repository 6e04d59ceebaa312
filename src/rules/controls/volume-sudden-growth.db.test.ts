import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { volumeSuddenGrowth as rule } from './volume-sudden-growth.js';

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

  async function trainees(org: string, cert: string, startsOn: string, n: number) {
    const candidateIds = [];
    for (let i = 0; i < n; i++) candidateIds.push(await plant.candidate(org));
    await plant.trainingSession(org, cert, { startsOn, endsOn: startsOn, candidateIds });
  }

  it.each([
    { name: 'a new partner with 25 trainees this quarter', found: true, before: 0, recent: 25 },
    { name: 'from 20 a year to 30 in a quarter', found: true, before: 20, recent: 30 },
    { name: 'steady: 80 a year, 22 this quarter (clean)', found: false, before: 80, recent: 22 },
    { name: 'few trainees: 10 this quarter (clean)', found: false, before: 0, recent: 10 },
  ])('$name → found: $found', async ({ found, before, recent }) => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    if (before) await trainees(org, cert.id, '2026-03-01', before);
    await trainees(org, cert.id, '2026-10-01', recent);
    expect((await keys()).includes(org)).toBe(found);
  });

  it('counts candidates registered in the assessment sessions the partner organises', async () => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    const candidateIds = [];
    for (let i = 0; i < 21; i++) candidateIds.push(await plant.candidate(org));
    await plant.assessmentSession(cert.id, org, { startsAt: '2026-11-02T09:00:00+01:00', candidateIds });
    const subject = (await find()).find((s) => s.subjectKey === org);
    expect(subject?.evidence).toMatchObject({
      recentCandidates: 21,
      baselineCandidates: 0,
      candidates: true,
      trainees: false,
    });
  });
});
