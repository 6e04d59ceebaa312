import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { conventionMissing as rule } from './convention-missing.js';

describe(rule.id, () => {
  let handle: DatabaseHandle;
  let plant: ControlPlanter;
  const find = () =>
    findSubjects(rule, new ControlRulesRepository(handle.db), {
      asOf: '2026-11-23',
      parameters: rule.parameters,
    });

  beforeAll(async () => {
    handle = await newTestDatabase();
    plant = controlPlanter(handle.db);
  });
  afterAll(() => handle.close());

  /** Each case plants one partner training on one certification, with the convention it describes. */
  const cases: {
    name: string;
    found: boolean;
    convention: Parameters<ControlPlanter['convention']>[2] | null;
  }[] = [
    { name: 'no convention at all', found: true, convention: null },
    { name: 'a draft, never signed', found: true, convention: { status: 'draft' } },
    { name: 'signed after the session started', found: true, convention: { signedOn: '2026-09-15' } },
    {
      name: 'ended before the session',
      found: true,
      convention: { endsOn: '2026-06-30', status: 'expired' },
    },
    {
      name: 'terminated before the session',
      found: true,
      convention: { status: 'terminated', terminatedOn: '2026-08-01' },
    },
    { name: 'signed and in force (clean)', found: false, convention: {} },
    {
      name: 'terminated after the session started (clean)',
      found: false,
      convention: { status: 'terminated', terminatedOn: '2026-10-01' },
    },
  ];

  it.each(cases)('$name → found: $found', async ({ found, convention }) => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    await plant.habilitation(org, cert.id);
    if (convention) await plant.convention(org, [cert.id], convention);
    await plant.trainingSession(org, cert.id, { startsOn: '2026-09-01' });
    const subject = (await find()).find((s) => s.subjectKey === `${org}:${cert.id}`);
    expect(Boolean(subject)).toBe(found);
    if (subject) {
      expect(subject).toMatchObject({
        organisationId: org,
        certificationId: cert.id,
        evidence: { activityCount: 1 },
      });
      expect(subject.description).toContain(cert.code);
    }
  });

  it('a convention on another certification does not cover this one; assessment sessions count too', async () => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    const other = await plant.certification();
    await plant.convention(org, [other.id]);
    await plant.assessmentSession(cert.id, org, { startsAt: '2026-10-20T09:00:00+02:00' });
    const subject = (await find()).find((s) => s.subjectKey === `${org}:${cert.id}`);
    expect(subject?.evidence).toMatchObject({ activityCount: 1, firstDay: '2026-10-20' });
  });
});
