import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { type ControlPlanter, controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ControlRulesRepository } from '../../db/repositories/control-rules.repository.js';
import { findSubjects } from '../engine/run.js';
import { registryNotDeclared as rule } from './registry-not-declared.js';

describe(rule.id, () => {
  let handle: DatabaseHandle;
  let plant: ControlPlanter;
  const runId = randomUUID();
  const find = async () =>
    findSubjects(rule, new ControlRulesRepository(handle.db), {
      asOf: '2026-11-23',
      parameters: rule.parameters,
    });
  const siretOf = async (id: string) =>
    (
      await handle.db
        .selectFrom('organisations')
        .select('siret')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).siret;
  const fiche = (code: string, isActive = true) =>
    sql`insert into fc_fiches (code, register, title, is_active, hash, snapshot, source_line, first_run_id, changed_run_id)
      values (${code}, 'RNCP', 'Fiche', ${isActive}, 'h', '{}', 1, ${runId}::uuid, ${runId}::uuid)`.execute(
      handle.db,
    );
  let position = 0;
  const declare = (code: string, siret: string, state: string | null, type = 'HABILITATION_ORGA_FORM') =>
    sql`insert into fc_declared_partners (fiche_code, position, siret, name, habilitation_type, state, is_active,
        source_line, source_run_id)
      values (${code}, ${++position}, ${siret}, 'Partenaire', ${type}, ${state}, ${state !== 'Inactif'}, 10, ${runId}::uuid)`.execute(
      handle.db,
    );

  beforeAll(async () => {
    handle = await newTestDatabase();
    plant = controlPlanter(handle.db);
  });
  afterAll(() => handle.close());

  it('finds the partners in force that the fiche does not declare, and leaves the others alone', async () => {
    const cert = await plant.certification();
    await fiche(cert.code);
    const cases = {
      /** Habilitation in force, not listed at all: found. */
      notListed: { found: true, habilitation: {}, declared: null as string | null | undefined },
      /** Listed, but in state Inactif: found, with the state in the text. */
      listedInactive: { found: true, habilitation: { scope: 'train' }, declared: 'Inactif' },
      /** Declared Actif: clean. */
      declaredActive: { found: false, habilitation: {}, declared: 'Actif' },
      /** Declared without a published state (CSV bundle): clean. */
      declaredNoState: { found: false, habilitation: {}, declared: undefined },
      /** Habilitation suspended: not in force, clean. */
      suspended: { found: false, habilitation: { status: 'suspended' }, declared: null },
      /** Habilitation ended before the day: clean. */
      ended: { found: false, habilitation: { endsOn: '2026-06-30' }, declared: null },
      /** Habilitation starting later: clean. */
      future: { found: false, habilitation: { startsOn: '2027-01-01' }, declared: null },
      /** An application still under review: clean. */
      application: { found: false, habilitation: { status: 'application' }, declared: null },
    };
    const orgs = new Map<string, string>();
    for (const [name, c] of Object.entries(cases)) {
      const org = await plant.organisation({ legalName: name });
      orgs.set(name, org);
      await plant.habilitation(org, cert.id, c.habilitation);
      if (c.declared !== null) await declare(cert.code, await siretOf(org), c.declared ?? null);
    }
    // A certification whose fiche is inactive, and one never imported from the registry: clean.
    const inactive = await plant.certification();
    await fiche(inactive.code, false);
    const unimported = await plant.certification();
    const other = await plant.organisation({ legalName: 'other fiches' });
    await plant.habilitation(other, inactive.id);
    await plant.habilitation(other, unimported.id);

    const found = await find();
    const expected = Object.entries(cases)
      .filter(([, c]) => c.found)
      .map(([n]) => orgs.get(n));
    expect(found.map((s) => s.organisationId).sort()).toEqual(expected.sort());
    const inactiveListed = found.find((s) => s.organisationId === orgs.get('listedInactive'));
    expect(inactiveListed).toMatchObject({
      subjectKey: `${cert.code}:${await siretOf(orgs.get('listedInactive') as string)}`,
      certificationId: cert.id,
      severity: 'major',
      evidence: {
        ficheCode: cert.code,
        expectedHabilitationType: 'HABILITATION_FORMER',
        listedStates: ['Inactif'],
      },
    });
    expect(inactiveListed?.description).toContain('l’état Inactif');
    expect(found.find((s) => s.organisationId === orgs.get('notListed'))?.description).toContain(
      'France Compétences ne le liste pas',
    );
  });
});
