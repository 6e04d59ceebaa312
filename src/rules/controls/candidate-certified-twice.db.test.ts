import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { candidateCertifiedTwice as rule } from './candidate-certified-twice.js';

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

  async function certify(certificationId: string, candidate: string, decision = 'certified') {
    const deliberation = await plant.deliberation(await plant.jury(certificationId), candidate, { decision });
    return plant.certificate(deliberation, candidate, certificationId);
  }

  it.each([
    {
      name: 'two records of the same person (case differs), two certificates',
      found: true,
      second: 'same-person',
      decision: 'certified',
    },
    { name: 'the same record certified twice', found: true, second: 'same-record', decision: 'certified' },
    { name: 'a namesake born another day (clean)', found: false, second: 'namesake', decision: 'certified' },
    {
      name: 'a block certificate then the full one (clean)',
      found: false,
      second: 'same-record',
      decision: 'certified_by_blocks',
    },
  ])('$name → found: $found', async ({ found, second, decision }) => {
    const cert = await plant.certification();
    const org = await plant.organisation();
    const first = await plant.candidate(org, {
      birthName: 'Durand',
      firstNames: 'Léa',
      birthDate: '1990-02-03',
    });
    await certify(cert.id, first, decision);
    const other =
      second === 'same-record'
        ? first
        : await plant.candidate(org, {
            birthName: 'DURAND',
            firstNames: 'léa',
            birthDate: second === 'namesake' ? '1991-02-03' : '1990-02-03',
          });
    await certify(cert.id, other);
    const subject = (await find()).find((s) => s.certificationId === cert.id);
    expect(Boolean(subject)).toBe(found);
    if (subject)
      expect(subject).toMatchObject({
        organisationId: org,
        evidence: { certificateNumbers: expect.any(Array) },
      });
  });
});
