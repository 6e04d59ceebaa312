import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { habilitationOutsidePeriod as rule } from './habilitation-outside-period.js';

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

  type Hab = Parameters<ControlPlanter['habilitation']>[2];
  const cases: { name: string; found: boolean; hab: Hab; activity: 'training' | 'assessment' }[] = [
    {
      name: 'training before the habilitation starts',
      found: true,
      hab: { startsOn: '2026-10-01' },
      activity: 'training',
    },
    {
      name: 'training after it ended',
      found: true,
      hab: { startsOn: '2024-01-01', endsOn: '2026-06-30', status: 'expired' },
      activity: 'training',
    },
    {
      name: 'training while suspended (suspension decided before, lifted since)',
      found: true,
      hab: {
        decisions: [
          { to: 'active', at: '2024-01-01T10:00:00Z' },
          { to: 'suspended', at: '2026-08-01T10:00:00Z' },
          { to: 'active', at: '2026-10-01T10:00:00Z' },
        ],
      },
      activity: 'training',
    },
    {
      name: 'assessing while under watch (evaluation needs active)',
      found: true,
      hab: { status: 'under_watch' },
      activity: 'assessment',
    },
    {
      name: 'training while under watch (clean)',
      found: false,
      hab: { status: 'under_watch' },
      activity: 'training',
    },
    {
      name: 'training before a suspension decided later (clean)',
      found: false,
      hab: {
        status: 'suspended',
        decisions: [
          { to: 'active', at: '2024-01-01T10:00:00Z' },
          { to: 'suspended', at: '2026-11-01T10:00:00Z' },
        ],
      },
      activity: 'training',
    },
    { name: 'within the period, active (clean)', found: false, hab: {}, activity: 'assessment' },
  ];

  it.each(cases)('$name → found: $found', async ({ found, hab, activity }) => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    await plant.habilitation(org, cert.id, hab);
    const id =
      activity === 'training'
        ? await plant.trainingSession(org, cert.id, { startsOn: '2026-09-01', endsOn: '2026-10-15' })
        : await plant.assessmentSession(cert.id, org, { startsAt: '2026-09-10T09:00:00+02:00' });
    const kind = activity === 'training' ? 'training_session' : 'assessment_session';
    expect((await keys()).includes(`${kind}:${id}`)).toBe(found);
  });

  it('leaves partners without any habilitation of that scope to the scope rules', async () => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    await plant.habilitation(org, cert.id, { scope: 'train' });
    const session = await plant.assessmentSession(cert.id, org);
    expect(await keys()).not.toContain(`assessment_session:${session}`);
  });
});
