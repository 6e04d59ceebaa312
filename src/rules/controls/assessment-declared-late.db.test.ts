import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { assessmentDeclaredLate as rule } from './assessment-declared-late.js';

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
    { name: 'declared 3 days before', found: true, declaredAt: '2026-10-17T09:00:00+02:00', organised: true },
    {
      name: 'declared after it was held',
      found: true,
      declaredAt: '2026-10-22T09:00:00+02:00',
      organised: true,
    },
    {
      name: 'declared 20 days before (clean)',
      found: false,
      declaredAt: '2026-09-30T09:00:00+02:00',
      organised: true,
    },
    {
      name: 'the certifier’s own session (clean)',
      found: false,
      declaredAt: '2026-10-19T09:00:00+02:00',
      organised: false,
    },
  ])('$name → found: $found', async ({ found, declaredAt, organised }) => {
    const cert = await plant.certification();
    const org = organised ? await plant.organisation() : null;
    const session = await plant.assessmentSession(cert.id, org, {
      startsAt: '2026-10-20T09:00:00+02:00',
      declaredAt,
    });
    expect((await keys()).includes(`assessment_session:${session}`)).toBe(found);
  });
});
