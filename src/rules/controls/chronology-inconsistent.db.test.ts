import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { chronologyInconsistent as rule } from './chronology-inconsistent.js';

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

  async function chain(o: { assessedAt: string; decidedAt: string; issuedOn: string }) {
    const org = await plant.organisation();
    const cert = await plant.certification();
    const candidate = await plant.candidate(org);
    const session = await plant.assessmentSession(cert.id, org, {
      startsAt: o.assessedAt,
      candidateIds: [candidate],
    });
    await plant.result(session, candidate);
    const jury = await plant.jury(cert.id);
    const deliberation = await plant.deliberation(jury, candidate, { decidedAt: o.decidedAt });
    const certificate = await plant.certificate(deliberation, candidate, cert.id, { issuedOn: o.issuedOn });
    return { deliberation, certificate };
  }

  it.each([
    {
      name: 'deliberation before the assessment',
      kind: 'deliberation',
      found: true,
      o: {
        assessedAt: '2026-10-20T09:00:00+02:00',
        decidedAt: '2026-10-19T14:00:00+02:00',
        issuedOn: '2026-10-25',
      },
    },
    {
      name: 'certificate before the deliberation',
      kind: 'certificate',
      found: true,
      o: {
        assessedAt: '2026-10-01T09:00:00+02:00',
        decidedAt: '2026-10-10T14:00:00+02:00',
        issuedOn: '2026-10-09',
      },
    },
    {
      name: 'deliberation after the assessment (clean)',
      kind: 'deliberation',
      found: false,
      o: {
        assessedAt: '2026-10-01T09:00:00+02:00',
        decidedAt: '2026-10-10T14:00:00+02:00',
        issuedOn: '2026-10-12',
      },
    },
    {
      name: 'certificate after the deliberation (clean)',
      kind: 'certificate',
      found: false,
      o: {
        assessedAt: '2026-10-01T09:00:00+02:00',
        decidedAt: '2026-10-10T14:00:00+02:00',
        issuedOn: '2026-10-10',
      },
    },
  ] as const)('$name → found: $found', async ({ kind, found, o }) => {
    const ids = await chain(o);
    expect((await keys()).includes(`${kind}:${ids[kind]}`)).toBe(found);
  });

  it.each([
    { name: 'assessed while still in training', found: true, conditions: {} },
    {
      name: 'the habilitation allows assessment during training (clean)',
      found: false,
      conditions: { assessmentDuringTraining: true },
    },
  ])('$name → found: $found', async ({ found, conditions }) => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    await plant.habilitation(org, cert.id, { conditions });
    const candidate = await plant.candidate(org);
    await plant.trainingSession(org, cert.id, {
      startsOn: '2026-09-01',
      endsOn: '2026-11-15',
      candidateIds: [candidate],
    });
    const session = await plant.assessmentSession(cert.id, org, {
      startsAt: '2026-10-20T09:00:00+02:00',
      candidateIds: [candidate],
    });
    expect((await keys()).includes(`assessment_session:${session}`)).toBe(found);
  });

  it('an assessment after the end of training is clean', async () => {
    const org = await plant.organisation();
    const cert = await plant.certification();
    const candidate = await plant.candidate(org);
    await plant.trainingSession(org, cert.id, {
      startsOn: '2026-09-01',
      endsOn: '2026-10-15',
      candidateIds: [candidate],
    });
    const session = await plant.assessmentSession(cert.id, org, {
      startsAt: '2026-10-20T09:00:00+02:00',
      candidateIds: [candidate],
    });
    expect(await keys()).not.toContain(`assessment_session:${session}`);
  });
});
