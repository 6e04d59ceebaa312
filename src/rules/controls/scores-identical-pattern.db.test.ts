import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { scoresIdenticalPattern as rule } from './scores-identical-pattern.js';

describe(rule.id, () => {
  let handle: DatabaseHandle;
  let plant: ControlPlanter;
  const find = async () =>
    findSubjects(rule, new ControlRulesRepository(handle.db), {
      asOf: '2026-11-23',
      parameters: rule.parameters,
    });

  beforeAll(async () => {
    handle = await newTestDatabase();
    plant = controlPlanter(handle.db);
  });
  afterAll(() => handle.close());

  /** A session where `same` candidates score 12 and 15 and the others differ. */
  async function session(same: number, others: number, tasks = ['E1', 'E2']) {
    const org = await plant.organisation();
    const cert = await plant.certification();
    const id = await plant.assessmentSession(cert.id, org);
    for (let i = 0; i < same + others; i++) {
      const candidate = await plant.candidate(org);
      for (const [t, task] of tasks.entries())
        await plant.result(id, candidate, { task, score: i < same ? 12 + 3 * t : 5 + i + t, maxScore: 20 });
    }
    return id;
  }

  it.each([
    {
      name: 'three candidates with the same two scores',
      found: true,
      same: 3,
      others: 2,
      tasks: ['E1', 'E2'],
    },
    { name: 'only two alike (clean)', found: false, same: 2, others: 3, tasks: ['E1', 'E2'] },
    { name: 'alike on a single task only (clean)', found: false, same: 4, others: 0, tasks: ['E1'] },
  ])('$name → found: $found', async ({ found, same, others, tasks }) => {
    const id = await session(same, others, tasks);
    const subject = (await find()).find((s) => s.subjectKey === `assessment_session:${id}`);
    expect(Boolean(subject)).toBe(found);
    if (subject)
      expect(subject.evidence).toMatchObject({
        candidatesInPatterns: 3,
        scoredCandidates: 5,
        patterns: ['3 × E1=12/20;E2=15/20'],
      });
  });
});
