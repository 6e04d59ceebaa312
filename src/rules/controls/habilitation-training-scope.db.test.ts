import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { habilitationTrainingScope as rule } from './habilitation-training-scope.js';

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

  const cases = [
    { name: 'no habilitation', found: true, hab: null, sessionBlocks: 'none' },
    { name: 'habilitated to evaluate only', found: true, hab: { scope: 'evaluate' }, sessionBlocks: 'none' },
    { name: 'only an application', found: true, hab: { status: 'application' }, sessionBlocks: 'none' },
    {
      name: 'habilitated on block 1, training the whole certification',
      found: true,
      hab: { blocks: 1 },
      sessionBlocks: 'none',
    },
    {
      name: 'habilitated on block 1, training block 2',
      found: true,
      hab: { blocks: 1 },
      sessionBlocks: 'second',
    },
    {
      name: 'habilitated on block 1, training block 1 (clean)',
      found: false,
      hab: { blocks: 1 },
      sessionBlocks: 'first',
    },
    { name: 'habilitated on every block (clean)', found: false, hab: {}, sessionBlocks: 'none' },
  ] as const;

  it.each(cases)('$name → found: $found', async ({ found, hab, sessionBlocks }) => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    if (hab)
      await plant.habilitation(org, cert.id, {
        ...('scope' in hab ? { scope: hab.scope } : {}),
        ...('status' in hab ? { status: hab.status } : {}),
        ...('blocks' in hab ? { blockIds: cert.blockIds.slice(0, 1) } : {}),
      });
    const blockIds =
      sessionBlocks === 'first'
        ? cert.blockIds.slice(0, 1)
        : sessionBlocks === 'second'
          ? cert.blockIds.slice(1)
          : [];
    const session = await plant.trainingSession(org, cert.id, { blockIds });
    const subject = (await find()).find((s) => s.subjectKey === `training_session:${session}`);
    expect(Boolean(subject)).toBe(found);
    if (hab && 'blocks' in hab && subject)
      expect(subject.evidence.missingBlocks).toEqual([`${cert.code}BC02`]);
  });
});
