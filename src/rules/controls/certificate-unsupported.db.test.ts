import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { certificateUnsupported as rule } from './certificate-unsupported.js';

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
    {
      name: 'deliberation failed the candidate',
      found: true,
      decision: 'failed',
      passed: 2,
      juryStatus: 'deliberated',
      listed: 0,
    },
    {
      name: 'jury not deliberated yet',
      found: true,
      decision: 'certified',
      passed: 2,
      juryStatus: 'planned',
      listed: 0,
    },
    {
      name: 'certified with one block never passed',
      found: true,
      decision: 'certified',
      passed: 1,
      juryStatus: 'signed',
      listed: 0,
    },
    {
      name: 'by blocks, a listed block never passed',
      found: true,
      decision: 'certified_by_blocks',
      passed: 0,
      juryStatus: 'signed',
      listed: 1,
    },
    {
      name: 'certified, every block passed (clean)',
      found: false,
      decision: 'certified',
      passed: 2,
      juryStatus: 'signed',
      listed: 0,
    },
    {
      name: 'certified, the missing block validated by the jury (clean)',
      found: false,
      decision: 'certified',
      passed: 1,
      juryStatus: 'signed',
      listed: 2,
    },
    {
      name: 'by blocks, the listed block passed (clean)',
      found: false,
      decision: 'certified_by_blocks',
      passed: 1,
      juryStatus: 'signed',
      listed: 1,
    },
  ];

  it.each(cases)('$name → found: $found', async ({ found, decision, passed, juryStatus, listed }) => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    const candidate = await plant.candidate(org);
    const session = await plant.assessmentSession(cert.id, org, { candidateIds: [candidate] });
    for (const blockId of cert.blockIds.slice(0, passed)) await plant.result(session, candidate, { blockId });
    const jury = await plant.jury(cert.id, { status: juryStatus });
    // listed 2: the jury validates the second block itself; listed 1: the first block.
    const blockIds = listed === 2 ? cert.blockIds.slice(1) : cert.blockIds.slice(0, listed);
    const deliberation = await plant.deliberation(jury, candidate, { decision, blockIds });
    const certificate = await plant.certificate(deliberation, candidate, cert.id);
    expect((await keys()).includes(`certificate:${certificate}`)).toBe(found);
  });

  it('names the blocks nobody validated, and ignores revoked certificates', async () => {
    const cert = await plant.certification();
    const candidate = await plant.candidate(null);
    const jury = await plant.jury(cert.id);
    const deliberation = await plant.deliberation(jury, candidate);
    const certificate = await plant.certificate(deliberation, candidate, cert.id);
    const subject = (await find()).find((s) => s.subjectKey === `certificate:${certificate}`);
    expect(subject?.evidence.unvalidatedBlocks).toEqual([`${cert.code}BC01`, `${cert.code}BC02`]);
    await handle.db
      .updateTable('certificates')
      .set({ revokedAt: new Date(), revocationReason: 'erreur' })
      .where('id', '=', certificate)
      .execute();
    expect(await keys()).not.toContain(`certificate:${certificate}`);
  });
});
