import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { accrochageLate as rule } from './accrochage-late.js';

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
    { name: 'pending 4 months after issue', found: true, issuedOn: '2026-07-15', status: 'pending' },
    { name: 'rejected 4 months after issue', found: true, issuedOn: '2026-07-15', status: 'rejected' },
    { name: 'accepted (clean)', found: false, issuedOn: '2026-07-15', status: 'accepted' },
    {
      name: 'pending, still within 3 months (clean)',
      found: false,
      issuedOn: '2026-09-01',
      status: 'pending',
    },
  ])('$name → found: $found', async ({ found, issuedOn, status }) => {
    const cert = await plant.certification();
    const candidate = await plant.candidate(null);
    const deliberation = await plant.deliberation(await plant.jury(cert.id), candidate);
    const certificate = await plant.certificate(deliberation, candidate, cert.id, {
      issuedOn,
      accrochageStatus: status,
    });
    const subject = (await find()).find((s) => s.subjectKey === `certificate:${certificate}`);
    expect(Boolean(subject)).toBe(found);
    if (subject) expect(subject.evidence).toMatchObject({ dueOn: '2026-10-15', accrochageStatus: status });
  });
});
