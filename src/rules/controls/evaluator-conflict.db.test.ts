import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { evaluatorConflict as rule } from './evaluator-conflict.js';

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
      name: 'the evaluator trained a candidate',
      found: true,
      trainer: 'Paul Morel',
      evaluatorOwn: false,
      independent: false,
    },
    {
      name: 'the evaluator belongs to the candidate’s organisation, independence required',
      found: true,
      trainer: 'Autre',
      evaluatorOwn: true,
      independent: true,
    },
    {
      name: 'same organisation, independence not required (clean)',
      found: false,
      trainer: 'Autre',
      evaluatorOwn: true,
      independent: false,
    },
    {
      name: 'an independent evaluator (clean)',
      found: false,
      trainer: 'Autre',
      evaluatorOwn: false,
      independent: true,
    },
  ])('$name → found: $found', async ({ found, trainer, evaluatorOwn, independent }) => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    await plant.habilitation(org, cert.id, {
      conditions: independent ? { independentEvaluators: true } : {},
    });
    const candidate = await plant.candidate(org);
    await plant.trainingSession(org, cert.id, { trainers: [trainer], candidateIds: [candidate] });
    const evaluator = await plant.user({
      displayName: 'paul morel ',
      organisationId: evaluatorOwn ? org : null,
    });
    const session = await plant.assessmentSession(cert.id, org, {
      candidateIds: [candidate],
      evaluatorIds: [evaluator],
    });
    expect((await keys()).includes(`${session}:${evaluator}`)).toBe(found);
  });
});
