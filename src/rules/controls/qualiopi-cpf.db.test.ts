import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { qualiopiCpf as rule } from './qualiopi-cpf.js';

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
    {
      name: 'not certified, CPF session running',
      found: true,
      status: 'not_certified',
      expires: null,
      funding: 'cpf',
      ends: '2026-12-15',
    },
    {
      name: 'unknown status, CPF session in the window',
      found: true,
      status: 'unknown',
      expires: null,
      funding: 'cpf',
      ends: '2026-10-15',
    },
    {
      name: 'certified but expired before the session',
      found: true,
      status: 'certified',
      expires: '2026-08-31',
      funding: 'cpf',
      ends: '2026-10-15',
    },
    {
      name: 'lapsed during a running session',
      found: true,
      status: 'lapsed',
      expires: '2026-11-01',
      funding: 'cpf',
      ends: '2026-12-15',
    },
    {
      name: 'lapsed after a finished session (clean)',
      found: false,
      status: 'lapsed',
      expires: '2026-11-01',
      funding: 'cpf',
      ends: '2026-10-15',
    },
    {
      name: 'not certified, but no CPF funding (clean)',
      found: false,
      status: 'not_certified',
      expires: null,
      funding: 'employer',
      ends: '2026-12-15',
    },
    {
      name: 'certified and valid (clean)',
      found: false,
      status: 'certified',
      expires: '2027-06-30',
      funding: 'cpf',
      ends: '2026-12-15',
    },
  ];

  it.each(cases)('$name → found: $found', async ({ found, status, expires, funding, ends }) => {
    const org = await plant.organisation({ qualiopiStatus: status, qualiopiExpiresOn: expires });
    const cert = await plant.certification();
    await plant.trainingSession(org, cert.id, { startsOn: '2026-09-01', endsOn: ends, funding });
    const subject = (await find()).find((s) => s.subjectKey === org);
    expect(Boolean(subject)).toBe(found);
    if (subject)
      expect(subject.evidence).toMatchObject({
        qualiopiStatus: status,
        sessionCount: 1,
        certificationCodes: [cert.code],
      });
  });
});
