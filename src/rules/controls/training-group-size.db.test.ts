import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { trainingGroupSize as rule } from './training-group-size.js';

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
    { name: '4 trainees for a cap of 3', found: true, enrolled: 4, conditions: { maxGroupSize: 3 } },
    { name: '3 trainees for a cap of 3 (clean)', found: false, enrolled: 3, conditions: { maxGroupSize: 3 } },
    { name: 'no cap (clean)', found: false, enrolled: 6, conditions: {} },
  ])('$name → found: $found', async ({ found, enrolled, conditions }) => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    await plant.habilitation(org, cert.id, { conditions });
    const candidateIds = [];
    for (let i = 0; i < enrolled; i++) candidateIds.push(await plant.candidate(org));
    const session = await plant.trainingSession(org, cert.id, { candidateIds });
    expect((await keys()).includes(`training_session:${session}`)).toBe(found);
  });
});
