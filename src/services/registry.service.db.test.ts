import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newTestDatabase } from '../../test/database.js';
import { buildOrganisation, buildUser, insertActiveHabilitation } from '../../test/factories.js';
import { systemActor } from '../core/access/policy.js';
import { AppError } from '../core/errors.js';
import type { Database, DatabaseHandle } from '../db/database.js';
import { RegistryRepository } from '../db/repositories/registry.repository.js';
import { createServices, type Services } from './index.js';
import { RegistryService } from './registry.service.js';

const fixtures = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../importers/france-competences/fixtures',
);
const rncpXml = path.join(fixtures, 'rncp-v4.1-fiches-sample.xml');
const rsXml = path.join(fixtures, 'rs-v4.1-fiches-sample.xml');
const csvZip = path.join(fixtures, 'export-fiches-csv-2024-02-22.zip');
const rncpText = readFileSync(rncpXml, 'utf8');

const system = systemActor('test');
const dir = mkdtempSync(path.join(tmpdir(), 'habilis-registry-'));

function file(name: string, content: string): string {
  const target = path.join(mkdtempSync(path.join(dir, 'f-')), name);
  writeFileSync(target, content);
  return target;
}

/** Every row of every table of the schema, as text: two dumps are equal when the database did not change. */
async function dump(db: Database): Promise<Record<string, string[]>> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    const { rows } = await sql<{
      r: string;
    }>`select row_to_json(t)::text as r from ${sql.table(name)} t order by 1`.execute(db);
    out[name] = rows.map((x) => x.r);
  }
  return out;
}

async function count(db: Database, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
  return rows[0]!.n;
}

let handle: DatabaseHandle;
let services: Services;
let sut: RegistryService;

beforeAll(async () => {
  handle = await newTestDatabase();
  services = createServices(handle, { publicUrl: 'http://habilis.test', filesDir: dir, dataDir: dir });
  sut = services.registry;
});
afterAll(async () => {
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(RegistryService.name, () => {
  it('imports the real RNCP sample: summary, registry rows, history, one audit entry', async () => {
    const auditBefore = await count(handle.db, 'audit_log');
    const summary = await sut.importFranceCompetences(system, rncpXml);
    expect(summary).toMatchObject({
      fileName: 'rncp-v4.1-fiches-sample.xml',
      format: 'xml',
      flowVersion: '4.1',
      certifications: 3,
      activeCertifications: 2,
      skillBlocks: 12,
      declaredPartners: 27,
      activeDeclaredPartners: 27,
      certifiers: 4,
      rejected: [],
      rejectedCount: 0,
      unknownElements: 0,
      changes: { newFiches: 3, changedFiches: 0, unchangedFiches: 0 },
      workingCopy: { certifications: 0, skillBlocks: 0 },
      reconciliation: { ownedCertifications: 0, findingsOpened: 0 },
    });
    expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await count(handle.db, 'fc_fiches')).toBe(3);
    expect(await count(handle.db, 'fc_declared_partners')).toBe(27);
    expect(await count(handle.db, 'fc_fiche_certifiers')).toBe(4);

    const partner = await handle.db
      .selectFrom('fcDeclaredPartners')
      .selectAll()
      .where('ficheCode', '=', 'RNCP35419')
      .where('position', '=', 1)
      .executeTakeFirstOrThrow();
    expect(partner).toMatchObject({
      siret: '88877726500016',
      name: 'ISCOD',
      habilitationType: 'HABILITATION_ORGA_FORM',
      state: 'Actif',
      isActive: true,
      activeSince: '2023-04-12',
      sourceLine: 194,
      sourceRunId: summary.runId,
    });
    const detail = await sut.getFiche(system, 'rncp 35419');
    expect(detail).toMatchObject({
      code: 'RNCP35419',
      isActive: false,
      partnerCount: 3,
      isOwned: false,
      certificationId: null,
    });
    expect(detail.record.skillBlocks).toHaveLength(4);
    expect(detail.history.map((h) => h.kind)).toEqual(['new']);

    const audit = await handle.db.selectFrom('auditLog').selectAll().where('seq', '>', auditBefore).execute();
    expect(audit.map((a) => [a.action, a.entityType, a.entityId])).toEqual([
      ['registry.import', 'fc_import_run', summary.runId],
    ]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await dump(handle.db);
    const summary = await sut.importFranceCompetences(system, rncpXml);
    expect(summary.changes).toEqual({
      newFiches: 0,
      changedFiches: 0,
      unchangedFiches: 3,
      becameInactive: 0,
      becameActive: 0,
      partnersAdded: 0,
      partnersRemoved: 0,
      partnersChanged: 0,
    });
    const after = await dump(handle.db);
    // Only the run itself and its audit entry are new.
    for (const table of Object.keys(before)) {
      if (table === 'fc_import_runs' || table === 'audit_log') continue;
      expect(after[table], table).toEqual(before[table]);
    }
    const runs = await sut.listImportRuns(system, { limit: 10, offset: 0 });
    expect(runs.items.map((r) => r.status)).toEqual(['unchanged', 'changed']);
  });

  it('records what changed per fiche when a newer export comes', async () => {
    const newer = rncpText
      // RNCP40344 is the third fiche: it becomes inactive, is renamed, and its partners move.
      .replace(
        '<INTITULE>Auxiliaire spécialisé vétérinaire</INTITULE>',
        '<INTITULE>Auxiliaire vétérinaire</INTITULE>',
      )
      .replace(
        /<PARTENAIRE>\s*<NOM_PARTENAIRE>AGRICAMPUS LAVAL<\/NOM_PARTENAIRE>[\s\S]*?<\/PARTENAIRE>/,
        '<PARTENAIRE><NOM_PARTENAIRE>NOUVEAU CFA</NOM_PARTENAIRE><SIRET_PARTENAIRE>44321186700025</SIRET_PARTENAIRE><HABILITATION_PARTENAIRE>HABILITATION_FORMER</HABILITATION_PARTENAIRE><ETAT_HABILITATION>Actif</ETAT_HABILITATION></PARTENAIRE>',
      )
      .replace(
        /(<SIRET_PARTENAIRE>19761315100103<\/SIRET_PARTENAIRE>\s*<HABILITATION_PARTENAIRE>HABILITATION_ORGA_FORM<\/HABILITATION_PARTENAIRE>\s*<ETAT_HABILITATION>)Actif/,
        '$1Inactif',
      );
    const vetStart = newer.indexOf('<NUMERO_FICHE>RNCP40344');
    const activeAt = newer.indexOf(
      '<ACTIF>Oui</ACTIF>\n    <PREREQUIS_ENTREE_FORMATION>3 conditions',
      vetStart,
    );
    const changed = `${newer.slice(0, activeAt)}<ACTIF>Non</ACTIF>${newer.slice(activeAt + '<ACTIF>Oui</ACTIF>'.length)}`;

    const summary = await sut.importFranceCompetences(
      system,
      file('export_fiches_RNCP_V4_1_2026-09-01.xml', changed),
    );
    expect(summary.changes).toEqual({
      newFiches: 0,
      changedFiches: 1,
      unchangedFiches: 2,
      becameInactive: 1,
      becameActive: 0,
      partnersAdded: 1,
      partnersRemoved: 1,
      partnersChanged: 1,
    });
    const history = await sut.ficheHistory(system, 'RNCP40344', { limit: 20, offset: 0 });
    const kinds = history.items.map((h) => h.kind).sort();
    expect(kinds).toEqual([
      'became_inactive',
      'changed',
      'new',
      'partner_added',
      'partner_changed',
      'partner_removed',
    ]);
    const fields = history.items.find((h) => h.kind === 'changed')!.details;
    expect(fields).toEqual({
      fields: [
        { field: 'title', before: 'Auxiliaire spécialisé vétérinaire', after: 'Auxiliaire vétérinaire' },
      ],
    });
    expect(history.items.find((h) => h.kind === 'partner_changed')!.details).toMatchObject({
      siret: '19761315100103',
      changes: { state: { before: 'Actif', after: 'Inactif' } },
    });
    expect(history.items.find((h) => h.kind === 'partner_removed')!.details).toMatchObject({
      siret: '19530081900016',
    });
    const fiche = await sut.getFiche(system, 'RNCP40344');
    expect(fiche).toMatchObject({
      isActive: false,
      title: 'Auxiliaire vétérinaire',
      partnerCount: 24,
      activePartnerCount: 23,
    });
    // The other fiches were left alone.
    expect(
      (await sut.ficheHistory(system, 'RNCP35809', { limit: 20, offset: 0 })).items.map((h) => h.kind),
    ).toEqual(['new']);
  });

  it('leaves the database exactly as it was when a file turns out to be broken, even after batches were written', async () => {
    // 450 fiches (more than one batch is written before the break), then the file stops mid-fiche.
    const ficheXml = rncpText.slice(
      rncpText.indexOf('  <FICHE>\n    <ID_FICHE>20971'),
      rncpText.indexOf('  <FICHE>\n    <ID_FICHE>27642'),
    );
    const many = Array.from({ length: 450 }, (_, i) =>
      ficheXml.replace('<NUMERO_FICHE>RNCP35419<', `<NUMERO_FICHE>RNCP${60_000 + i}<`),
    );
    const whole = `<?xml version="1.0" encoding="UTF-8"?>\n<FICHES>\n${many.join('')}</FICHES>\n`;
    const truncated = whole.slice(0, whole.length - ficheXml.length / 2);

    const before = await dump(handle.db);
    // A low threshold: the transaction starts after a few fiches, and batches of 400 are written in it.
    const error = await sut
      .importFranceCompetences(system, file('export_fiches_RNCP_V4_1_2026-10-01.xml', truncated), {
        transactionThreshold: 100_000,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('import_rejected');
    expect((error as AppError).message).toMatch(
      /^export_fiches_RNCP_V4_1_2026-10-01\.xml \(line \d+, column \d+\): malformed or truncated XML/,
    );
    expect(await dump(handle.db)).toEqual(before);

    const latin = Buffer.from(rncpText, 'latin1');
    const wrongEncoding = path.join(mkdtempSync(path.join(dir, 'f-')), 'latin.xml');
    writeFileSync(wrongEncoding, latin);
    await expect(sut.importFranceCompetences(system, wrongEncoding)).rejects.toMatchObject({
      code: 'import_rejected',
    });
    expect(await dump(handle.db)).toEqual(before);
    // Read whole before the transaction (the default for a small file): nothing was ever written.
    await expect(
      sut.importFranceCompetences(system, file('export_fiches_RNCP_V4_1_2026-10-02.xml', truncated)),
    ).rejects.toMatchObject({
      code: 'import_rejected',
    });
    expect(await dump(handle.db)).toEqual(before);
  });

  it('rebuilds the indexes and foreign keys a first import suspends, and restores them when it fails', async () => {
    const ficheXml = rncpText.slice(
      rncpText.indexOf('  <FICHE>\n    <ID_FICHE>20971'),
      rncpText.indexOf('  <FICHE>\n    <ID_FICHE>27642'),
    );
    const many = Array.from({ length: 450 }, (_, i) =>
      ficheXml.replace('<NUMERO_FICHE>RNCP35419<', `<NUMERO_FICHE>RNCP${70_000 + i}<`),
    );
    const whole = `<?xml version="1.0" encoding="UTF-8"?>\n<FICHES>\n${many.join('')}</FICHES>\n`;
    const truncated = whole.slice(0, whole.length - ficheXml.length / 2);
    const empty = await newTestDatabase();
    try {
      const registry = createServices(empty, {
        publicUrl: 'http://habilis.test',
        filesDir: dir,
        dataDir: dir,
      }).registry;
      const indexes = async () =>
        (
          await sql<{ definition: string; valid: boolean }>`
            select pg_get_indexdef(i.indexrelid) as definition, i.indisvalid as valid
            from pg_index i join pg_class t on t.oid = i.indrelid
            join pg_namespace n on n.oid = t.relnamespace
            where n.nspname = current_schema()
              and t.relname in ('fc_fiche_certifiers', 'fc_declared_partners', 'fc_fiche_changes')
            order by 1`.execute(empty.db)
        ).rows;
      const foreignKeys = async () =>
        (
          await sql<{ table: string; definition: string; valid: boolean }>`
            select t.relname as table, pg_get_constraintdef(c.oid) as definition, c.convalidated as valid
            from pg_constraint c join pg_class t on t.oid = c.conrelid
            join pg_namespace n on n.oid = t.relnamespace
            where n.nspname = current_schema() and c.contype = 'f'
              and t.relname in ('fc_fiche_certifiers', 'fc_declared_partners', 'fc_fiche_changes')
            order by 1, 2`.execute(empty.db)
        ).rows;
      const before = await indexes();
      expect(before.length).toBeGreaterThanOrEqual(6);
      const keysBefore = await foreignKeys();
      expect(keysBefore).toHaveLength(3);
      expect(keysBefore.every((k) => k.valid && k.definition.includes('REFERENCES fc_fiches(code)'))).toBe(
        true,
      );
      // A low threshold: the rest of the file is read inside the transaction, as in a first full import.
      await expect(
        registry.importFranceCompetences(system, file('export_fiches_RNCP_V4_1_2026-10-03.xml', truncated), {
          transactionThreshold: 100_000,
        }),
      ).rejects.toMatchObject({ code: 'import_rejected' });
      expect(await indexes()).toEqual(before);
      expect(await foreignKeys()).toEqual(keysBefore);
      expect(await count(empty.db, 'fc_fiches')).toBe(0);

      // A partner row pointing to no fiche (a fault injected into the COPY data, which the parser never
      // produces): the foreign key, checked once at the end, fails the import, and nothing stays.
      const copyRows = RegistryRepository.prototype.copyRows;
      let injected = false;
      const orphan = vi.spyOn(RegistryRepository.prototype, 'copyRows').mockImplementation(function (
        this: RegistryRepository,
        table,
        parts,
      ) {
        const extra =
          table === 'fc_declared_partners' && !injected
            ? [
                new TextEncoder().encode(
                  'RNCP99999\t0\t\\N\tOrphelin\tHABILITATION_FORMER\t\\N\tf\t\\N\t\\N\t1\t00000000-0000-4000-8000-000000000000\n',
                ),
              ]
            : [];
        injected ||= extra.length > 0;
        return copyRows.call(this, table, [...parts, ...extra]);
      });
      try {
        await expect(
          registry.importFranceCompetences(system, file('export_fiches_RNCP_V4_1_2026-10-05.xml', whole), {
            transactionThreshold: 100_000,
          }),
        ).rejects.toThrow(/fc_declared_partners_fiche_code_fkey/);
        expect(injected).toBe(true);
      } finally {
        orphan.mockRestore();
      }
      expect(await indexes()).toEqual(before);
      expect(await foreignKeys()).toEqual(keysBefore);
      expect(await count(empty.db, 'fc_fiches')).toBe(0);
      expect(await count(empty.db, 'fc_declared_partners')).toBe(0);

      const summary = await registry.importFranceCompetences(
        system,
        file('export_fiches_RNCP_V4_1_2026-10-04.xml', whole),
        { transactionThreshold: 100_000 },
      );
      expect(summary.changes.newFiches).toBe(450);
      expect(await indexes()).toEqual(before);
      expect(await foreignKeys()).toEqual(keysBefore);
      expect(await count(empty.db, 'fc_fiches')).toBe(450);
      expect(await count(empty.db, 'fc_declared_partners')).toBe(summary.declaredPartners);
    } finally {
      await empty.close();
    }
  });

  it('imports the RS sample and the CSV bundle into the same registry', async () => {
    const rs = await sut.importFranceCompetences(system, rsXml);
    expect(rs).toMatchObject({
      certifications: 3,
      declaredPartners: 20,
      skillBlocks: 0,
      changes: { newFiches: 3 },
    });
    const csv = await sut.importFranceCompetences(system, csvZip);
    expect(csv).toMatchObject({
      format: 'csv',
      certifications: 9,
      activeCertifications: 2,
      skillBlocks: 6,
      declaredPartners: 10,
      activeDeclaredPartners: 0,
      certifiers: 6,
      rejectedCount: 1,
      rejected: [expect.objectContaining({ code: 'orphan_row', line: 3 })],
      // RS5000 was in the RS flow (newer, inactive); the 2024 CSV says active.
      changes: { newFiches: 8, changedFiches: 1, becameActive: 1 },
    });
    const page = await sut.searchFiches(system, { q: 'tourier', limit: 10, offset: 0 } as never);
    expect(page.items.map((f) => f.code)).toEqual(['RNCP19468', 'RS6117']);
    const bySiret = await sut.searchFiches(system, {
      certifier: '78466840200018',
      limit: 10,
      offset: 0,
    } as never);
    expect(bySiret.items.map((f) => f.code)).toEqual(['RNCP19468', 'RS6117']);
    const byName = await sut.searchFiches(system, { certifier: 'simplon', limit: 10, offset: 0 } as never);
    expect(byName.items.map((f) => f.code)).toEqual(['RS5000', 'RS6604']);
    const byCode = await sut.searchFiches(system, { q: '5568', limit: 10, offset: 0 } as never);
    expect(byCode.items.map((f) => f.code)).toEqual(['RS5568']);
  });
});

describe('the certifier’s own certifications', () => {
  const ANIMAL_PRO = '52875765100013'; // certifier of RNCP40344 in the sample
  let agricampus: string;
  let cfaSeine: string;
  let onlyInHabilis: string;

  beforeAll(async () => {
    agricampus = (
      await services.organisations.create(
        system,
        buildOrganisation({ siret: '19530081900016', legalName: 'AGRICAMPUS LAVAL' }),
      )
    ).id;
    cfaSeine = (
      await services.organisations.create(
        system,
        buildOrganisation({ siret: '19761315100103', legalName: 'CFA DE SEINE-MARITIME' }),
      )
    ).id;
    onlyInHabilis = (
      await services.organisations.create(system, buildOrganisation({ legalName: 'Organisme non déclaré' }))
    ).id;
  });

  it('marks the fiches of --certifier as owned, copies them with their blocks, and reconciles their partners', async () => {
    // A fresh file name and content (the registry already has the sample from the suite above).
    const first = await sut.importFranceCompetences(system, rncpXml, { certifierSiret: ANIMAL_PRO });
    expect(first.workingCopy).toEqual({ certifications: 1, skillBlocks: 4 });
    const certification = await handle.db
      .selectFrom('certifications')
      .selectAll()
      .where('code', '=', 'RNCP40344')
      .executeTakeFirstOrThrow();
    expect(certification).toMatchObject({
      isOwned: true,
      isActive: true,
      level: '4',
      title: 'Auxiliaire spécialisé vétérinaire',
      endsOn: '2028-03-28',
    });
    expect(certification.registrySyncedAt).not.toBeNull();
    const blocks = await handle.db
      .selectFrom('skillBlocks')
      .select(['code', 'assessmentRules'])
      .where('certificationId', '=', certification.id)
      .orderBy('code')
      .execute();
    expect(blocks.map((b) => b.code)).toEqual([
      'RNCP40344BC01',
      'RNCP40344BC02',
      'RNCP40344BC03',
      'RNCP40344BC04',
    ]);
    expect(blocks[0]!.assessmentRules).toMatch(/^Mises en situations reconstituées/);
    // No habilitation yet: the 24 declared partners are unknown in Habilis.
    expect(first.reconciliation).toMatchObject({
      ownedCertifications: 1,
      findingsOpened: 24,
      openFindings: 24,
    });

    await insertActiveHabilitation(handle.db, agricampus, certification.id, { scope: 'both' });
    await insertActiveHabilitation(handle.db, cfaSeine, certification.id, { scope: 'train' });
    await insertActiveHabilitation(handle.db, onlyInHabilis, certification.id, { scope: 'evaluate' });
    const second = await sut.importFranceCompetences(system, rncpXml, { certifierSiret: ANIMAL_PRO });
    expect(second.changes.newFiches + second.changes.changedFiches).toBe(0);
    // AGRICAMPUS agrees (closed); CFA de Seine-Maritime: type mismatch (the unknown one closes, a new one opens);
    // the organisation only in Habilis: not declared.
    expect(second.reconciliation).toMatchObject({
      findingsOpened: 2,
      findingsUpdated: 0,
      findingsClosed: 2,
      openFindings: 24,
    });
    const findings = await sut.listFindings(system, {
      status: 'open',
      code: 'RNCP40344',
      limit: 100,
      offset: 0,
    } as never);
    const byRule = (rule: string) => findings.items.filter((f) => f.ruleId === rule);
    expect(byRule('registry.declared_unknown')).toHaveLength(22);
    expect(byRule('registry.type_mismatch').map((f) => [f.subjectKey, f.organisationId])).toEqual([
      ['RNCP40344:19761315100103', cfaSeine],
    ]);
    expect(byRule('registry.not_declared')).toHaveLength(1);
    expect(byRule('registry.not_declared')[0]).toMatchObject({
      organisationId: onlyInHabilis,
      severity: 'major',
      certificationId: certification.id,
    });
    const unknown = byRule('registry.declared_unknown').find(
      (f) => f.subjectKey === 'RNCP40344:19340128800066',
    )!;
    expect(unknown.source).toMatchObject({
      file: 'rncp-v4.1-fiches-sample.xml',
      line: expect.any(Number),
      siret: '19340128800066',
    });
    expect(rncpText.split('\n')[(unknown.source.line as number) - 1]).toContain('<PARTENAIRE>');

    // Same file, same Habilis: nothing moves, not even a finding's date.
    const before = await dump(handle.db);
    const third = await sut.importFranceCompetences(system, rncpXml, { certifierSiret: ANIMAL_PRO });
    expect(third.reconciliation).toMatchObject({
      findingsOpened: 0,
      findingsUpdated: 0,
      findingsClosed: 0,
      openFindings: 24,
    });
    const after = await dump(handle.db);
    expect(after.findings).toEqual(before.findings);
    expect(after.certifications).toEqual(before.certifications);
  });

  it('keeps the registry readable by certifier staff only', async () => {
    const partnerOrganisation = (await services.organisations.create(system, buildOrganisation())).id;
    const seed = buildUser('partner', { organisationId: partnerOrganisation });
    const user = await services.users.create(system, seed);
    const partnerActor = {
      kind: 'user' as const,
      userId: user.user.id,
      role: 'partner' as const,
      organisationId: partnerOrganisation,
      label: seed.email,
    };
    await expect(sut.searchFiches(partnerActor, { limit: 10, offset: 0 } as never)).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(
      sut.listFindings(partnerActor, { status: 'open', limit: 10, offset: 0 } as never),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(sut.importFranceCompetences(partnerActor, rncpXml)).rejects.toMatchObject({
      code: 'forbidden',
    });
    const auditor = {
      kind: 'user' as const,
      userId: user.user.id,
      role: 'auditor' as const,
      organisationId: null,
      label: 'auditor',
    };
    await expect(sut.importFranceCompetences(auditor, rncpXml)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await sut.searchFiches(auditor, { limit: 1, offset: 0 } as never)).total).toBeGreaterThan(0);
  });

  it('refuses an invalid certifier SIRET before reading anything', async () => {
    await expect(
      sut.importFranceCompetences(system, rncpXml, { certifierSiret: '12345678901234' }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [{ field: 'certifierSiret', message: 'invalid SIRET (Luhn checksum)' }],
    });
  });
});
