import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { conventionExpiring as rule } from './convention-expiring.js';

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
    {
      name: 'ends in 38 days, habilitation continues, no successor',
      found: true,
      endsOn: '2026-12-31',
      hab: {},
      successor: null,
    },
    {
      name: 'a draft successor is being prepared (clean)',
      found: false,
      endsOn: '2026-12-31',
      hab: {},
      successor: 'draft',
    },
    { name: 'ends in 8 months (clean)', found: false, endsOn: '2027-07-31', hab: {}, successor: null },
    {
      name: 'the habilitation ends with it (clean)',
      found: false,
      endsOn: '2026-12-31',
      hab: { endsOn: '2026-12-31' },
      successor: null,
    },
  ])('$name → found: $found', async ({ found, endsOn, hab, successor }) => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    await plant.habilitation(org, cert.id, hab);
    const convention = await plant.convention(org, [cert.id], { endsOn });
    if (successor)
      await plant.convention(org, [cert.id], {
        status: successor,
        startsOn: '2027-01-01',
        endsOn: '2029-12-31',
      });
    const subject = (await find()).find((s) => s.subjectKey === `convention:${convention}`);
    expect(Boolean(subject)).toBe(found);
    if (subject)
      expect(subject).toMatchObject({
        certificationId: cert.id,
        evidence: { certificationCodes: [cert.code] },
      });
  });
});
