import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { habilitationNotEvaluator as rule } from './habilitation-not-evaluator.js';

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

  const cases = [
    { name: 'no habilitation', found: true, scope: null, onBlock: false },
    { name: 'habilitated to train only', found: true, scope: 'train', onBlock: false },
    {
      name: 'habilitated to evaluate block 1, results on block 2',
      found: true,
      scope: 'evaluate',
      onBlock: true,
    },
    { name: 'habilitated to evaluate (clean)', found: false, scope: 'evaluate', onBlock: false },
    { name: 'habilitated to train and evaluate (clean)', found: false, scope: 'both', onBlock: false },
  ] as const;

  it.each(cases)('$name → found: $found', async ({ found, scope, onBlock }) => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    if (scope)
      await plant.habilitation(org, cert.id, {
        scope,
        ...(onBlock ? { blockIds: cert.blockIds.slice(0, 1) } : {}),
      });
    const candidate = await plant.candidate(org);
    const session = await plant.assessmentSession(cert.id, org, { candidateIds: [candidate] });
    await plant.result(session, candidate, { blockId: onBlock ? (cert.blockIds[1] as string) : null });
    expect((await keys()).includes(`assessment_session:${session}`)).toBe(found);
  });

  it('sessions the certifier organises itself (no organiser) are not about a partner', async () => {
    const cert = await plant.certification();
    const session = await plant.assessmentSession(cert.id, null);
    expect(await keys()).not.toContain(`assessment_session:${session}`);
  });
});
