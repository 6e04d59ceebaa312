import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { trainingHoursBelowMinimum as rule } from './training-hours-below-minimum.js';

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

  it.each([
    { name: '120 h for a 140 h minimum', found: true, hours: 120, conditions: { minimumHours: 140 } },
    {
      name: '140 h for a 140 h minimum (clean)',
      found: false,
      hours: 140,
      conditions: { minimumHours: 140 },
    },
    { name: 'no minimum in the habilitation (clean)', found: false, hours: 10, conditions: {} },
    {
      name: 'a minimum that is not a number is ignored (clean)',
      found: false,
      hours: 10,
      conditions: { minimumHours: 'beaucoup' },
    },
    { name: 'hours not declared (clean)', found: false, hours: null, conditions: { minimumHours: 140 } },
  ])('$name → found: $found', async ({ found, hours, conditions }) => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    await plant.habilitation(org, cert.id, { conditions });
    const session = await plant.trainingSession(org, cert.id, { hours });
    const subject = (await find()).find((s) => s.subjectKey === `training_session:${session}`);
    expect(Boolean(subject)).toBe(found);
    if (subject)
      expect(subject.evidence).toEqual({ trainingSessionId: session, hours: 120, minimumHours: 140 });
  });
});
