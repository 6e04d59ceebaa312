import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildConvention,
  buildOrganisation,
  controlPlanter,
  insertActiveHabilitation,
  insertChainCertification,
} from '../../../../test/factories.js';
import { newTestServer, type SignedIn, system, type TestServer } from '../../../../test/server.js';

/** The CSV lines without the byte-order mark, header first. */
function csvLines(body: string): string[] {
  return body
    .replace(/^\ufeff/, '')
    .trimEnd()
    .split('\r\n');
}

async function xlsxRows(content: Buffer): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = book.worksheets[0];
  if (!sheet) throw new Error('no sheet');
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    rows.push(
      (row.values as unknown[]).slice(1).map((v) => (v instanceof Date ? v.toISOString() : String(v ?? ''))),
    );
  });
  return rows;
}

describe('list exports of the web app lists', () => {
  let server: TestServer;
  let admin: SignedIn;
  let evaluator: SignedIn;
  let partner: SignedIn;
  let otherId: string;

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    evaluator = await server.signIn('evaluator');
    partner = await server.signIn('partner');
    const cert = await insertChainCertification(server.handle.db, 'RNCP41077');
    const other = await server.services.organisations.create(
      system,
      buildOrganisation({ legalName: 'Formation Gamma' }),
    );
    otherId = other.id;
    await insertActiveHabilitation(server.handle.db, partner.organisationId!, cert.id);
    await insertActiveHabilitation(server.handle.db, other.id, cert.id, { status: 'suspended' });
    await server.services.conventions.create(
      system,
      buildConvention(partner.organisationId!, [cert.id], { reference: 'CONV-EXP-MINE' }),
    );
    await server.services.conventions.create(
      system,
      buildConvention(other.id, [cert.id], { reference: 'CONV-EXP-OTHER' }),
    );
  });
  afterAll(() => server.close());

  it('exports habilitations as UTF-8 CSV with a BOM and `;`, with the list filters applied', async () => {
    const all = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/habilitations?format=csv',
    });
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(all.headers['content-disposition']).toContain('habilitations-');
    expect(all.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csvLines(all.body);
    expect(lines[0]).toBe('Organisme;Certification;Intitulé;Périmètre;Blocs;Territoire;Début;Fin;Statut');
    expect(lines).toHaveLength(3);
    const suspended = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/habilitations?format=csv&status=suspended',
    });
    const suspendedLines = csvLines(suspended.body);
    expect(suspendedLines).toHaveLength(2);
    expect(suspendedLines[1]).toContain('Formation Gamma');
    expect(suspendedLines[1]).toContain('Suspendue');
    const bad = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/habilitations?status=nope',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('a partner exports its own rows only', async () => {
    const habilitations = await server.as(partner, {
      method: 'GET',
      url: '/api/reports/exports/habilitations?format=csv',
    });
    expect(habilitations.statusCode).toBe(200);
    const lines = csvLines(habilitations.body);
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toContain('Formation Gamma');
    const conventions = await server.as(partner, {
      method: 'GET',
      url: '/api/reports/exports/conventions?format=csv',
    });
    const conventionLines = csvLines(conventions.body);
    expect(conventionLines).toHaveLength(2);
    expect(conventionLines[1]).toContain('CONV-EXP-MINE');
    // Asking for another partner's rows gives none of them.
    const foreign = await server.as(partner, {
      method: 'GET',
      url: `/api/reports/exports/conventions?format=csv&organisationId=${otherId}`,
    });
    expect(foreign.body).not.toContain('CONV-EXP-OTHER');
  });

  it('exports conventions as XLSX that opens with exceljs, header row first', async () => {
    const res = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/conventions?format=xlsx&q=CONV-EXP-OTHER',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('conventions-');
    const rows = await xlsxRows(res.rawPayload);
    expect(rows[0]?.slice(0, 3)).toEqual(['Référence', 'Version', 'Organisme']);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.[0]).toBe('CONV-EXP-OTHER');
    expect(rows[1]?.[2]).toBe('Formation Gamma');
  });

  it('exports training sessions with the partner name and certification code the screen shows', async () => {
    const certification = await server.handle.db
      .selectFrom('certifications')
      .select('id')
      .where('code', '=', 'RNCP41077')
      .executeTakeFirstOrThrow();
    const session = (organisationId: string, reference: string) => ({
      organisationId,
      certificationId: certification.id,
      reference,
      startsOn: '2026-03-02',
      endsOn: '2026-06-30',
      modality: 'in_person',
    });
    await server.handle.db
      .insertInto('trainingSessions')
      .values([session(partner.organisationId!, 'SESS-MINE'), session(otherId, 'SESS-OTHER')])
      .execute();
    const filtered = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/training-sessions?format=csv&organisationId=${otherId}`,
    });
    const lines = csvLines(filtered.body);
    expect(lines).toHaveLength(2);
    expect(lines[1]?.split(';').slice(0, 3)).toEqual(['SESS-OTHER', 'Formation Gamma', 'RNCP41077']);
    const mine = await server.as(partner, {
      method: 'GET',
      url: '/api/reports/exports/training-sessions?format=csv',
    });
    expect(csvLines(mine.body).map((l) => l.split(';')[0])).toEqual(['Référence', 'SESS-MINE']);
  });

  it('the other lists export with their header, XLSX by default', async () => {
    for (const [path, firstTitle] of [
      ['training-sessions', 'Référence'],
      ['assessment-sessions', 'Date'],
      ['juries', 'Date'],
      ['certificates', 'Numéro'],
      ['certifications', 'Code'],
      ['users', 'Nom'],
      ['accrochage-deadlines', 'Échéance'],
    ] as const) {
      const res = await server.as(admin, { method: 'GET', url: `/api/reports/exports/${path}` });
      expect(res.statusCode, path).toBe(200);
      const rows = await xlsxRows(res.rawPayload);
      expect(rows[0]?.[0], path).toBe(firstTitle);
    }
  });

  it('exports partner requests (a partner its own), the audit log and the registry and CPF lists', async () => {
    const request = (organisationId: string, title: string) => ({
      organisationId,
      title,
      body: 'Merci de transmettre les pièces.',
      dueOn: '2099-01-31',
    });
    await server.services.partnerRequests.create(system, request(partner.organisationId!, 'Demande à moi'));
    await server.services.partnerRequests.create(system, request(otherId, 'Demande ailleurs'));
    const mine = await server.as(partner, {
      method: 'GET',
      url: '/api/reports/exports/partner-requests?format=csv',
    });
    expect(mine.statusCode).toBe(200);
    const mineLines = csvLines(mine.body);
    expect(mineLines).toHaveLength(2);
    expect(mineLines[1]).toContain('Demande à moi');
    const searched = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/partner-requests?format=csv&q=ailleurs',
    });
    expect(
      csvLines(searched.body)
        .slice(1)
        .map((l) => l.split(';')[1]),
    ).toEqual(['Demande ailleurs']);

    const audit = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/audit-log?format=csv&organisationId=${otherId}`,
    });
    expect(audit.statusCode).toBe(200);
    const auditLines = csvLines(audit.body);
    expect(auditLines[0]).toBe(
      'N°;Date (UTC);Auteur;Action;Code de l’action;Objet;Identifiant;Avant;Après;Empreinte',
    );
    // The action as the screen names it, its code beside it.
    expect(auditLines.some((l) => l.includes(';Création d’organisme;organisation.create;'))).toBe(true);
    const auditEn = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/audit-log?format=csv&organisationId=${otherId}&lang=en`,
    });
    expect(csvLines(auditEn.body).some((l) => l.includes(';Organisation created;organisation.create;'))).toBe(
      true,
    );
    expect(auditLines.length).toBeGreaterThan(1);
    expect(auditLines.join('\n')).not.toContain(partner.organisationId!);

    for (const [path, firstTitle] of [
      ['registry-fiches', 'Code'],
      ['cpf-sellers', 'SIRET'],
    ] as const) {
      const res = await server.as(admin, { method: 'GET', url: `/api/reports/exports/${path}` });
      expect(res.statusCode, path).toBe(200);
      expect((await xlsxRows(res.rawPayload))[0]?.[0], path).toBe(firstTitle);
    }
  });

  it('writes the labels the screen shows, not codes: French by default, English on request or by account', async () => {
    const certification = await server.handle.db
      .selectFrom('certifications')
      .select('id')
      .where('code', '=', 'RNCP41077')
      .executeTakeFirstOrThrow();
    await server.handle.db
      .insertInto('trainingSessions')
      .values({
        organisationId: otherId,
        certificationId: certification.id,
        reference: 'SESS-LABELS',
        startsOn: '2026-04-01',
        endsOn: '2026-05-30',
        modality: 'blended',
        funding: 'apprenticeship',
      })
      .execute();
    const row = (body: string) =>
      csvLines(body)
        .find((l) => l.startsWith('SESS-LABELS'))
        ?.split(';') ?? [];
    const french = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/training-sessions?format=csv&q=SESS-LABELS',
    });
    expect(row(french.body)).toContain('Mixte');
    expect(row(french.body)).toContain('Apprentissage');
    expect(row(french.body)).not.toContain('blended');
    const english = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/training-sessions?format=csv&q=SESS-LABELS&lang=en',
    });
    expect(csvLines(english.body)[0]?.split(';').slice(0, 3)).toEqual([
      'Reference',
      'Organisation',
      'Certification',
    ]);
    expect(row(english.body)).toContain('Blended');
    expect(row(english.body)).toContain('Apprenticeship');
    // Without `lang`, the account's language decides.
    await server.handle.db
      .updateTable('users')
      .set({ locale: 'en' })
      .where('id', '=', admin.userId)
      .execute();
    try {
      const byAccount = await server.as(admin, {
        method: 'GET',
        url: '/api/reports/exports/habilitations?format=xlsx&status=suspended',
      });
      const rows = await xlsxRows(byAccount.rawPayload);
      expect(rows[0]?.[0]).toBe('Organisation');
      expect(rows[1]).toContain('Suspended');
    } finally {
      await server.handle.db
        .updateTable('users')
        .set({ locale: 'fr' })
        .where('id', '=', admin.userId)
        .execute();
    }
    const bad = await server.as(admin, { method: 'GET', url: '/api/reports/exports/juries?lang=de' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'lang' }] });
    const badState = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/accrochage-deadlines?state=soon',
    });
    expect(badState.statusCode).toBe(400);
    expect(badState.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: 'state' }] });
  });

  it('exports the registry imports and gaps, the CPF offers and the CPF imports with the list filters', async () => {
    const db = server.handle.db;
    await db
      .insertInto('fcImportRuns')
      .values({
        fileName: 'export_fiches_RNCP_V4_1_2026-11-20.xml',
        format: 'xml',
        entryName: null,
        sha256: 'a'.repeat(64),
        sizeBytes: 1234,
        flowVersion: '4.1',
        certifierSiret: null,
        status: 'changed',
        startedAt: new Date('2026-11-20T08:00:00Z'),
        finishedAt: new Date('2026-11-20T08:05:00Z'),
        summary: JSON.stringify({ certifications: 12, changes: { newFiches: 3, changedFiches: 2 } }),
        actorLabel: 'Admin',
      })
      .execute();
    const runs = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/registry-import-runs?format=csv',
    });
    expect(runs.statusCode).toBe(200);
    expect(runs.headers['content-disposition']).toContain('imports-registre-');
    const runLine = csvLines(runs.body)[1]?.split(';') ?? [];
    expect(runLine).toContain('export_fiches_RNCP_V4_1_2026-11-20.xml');
    expect(runLine).toContain('Registre mis à jour');
    expect(runLine.slice(4, 7)).toEqual(['12', '3', '2']);

    const gap = (ruleId: string, title: string, status: string) => ({
      ruleId,
      subjectKey: `RNCP41077:${title}`,
      organisationId: otherId,
      title,
      severity: 'major',
      status,
      source: JSON.stringify({ file: 'export.xml', line: 42 }),
      closedAt: status === 'closed' ? new Date('2026-11-21T00:00:00Z') : null,
    });
    await db
      .insertInto('findings')
      .values([
        gap('registry.declared_unknown', 'Gap open', 'open'),
        gap('registry.type_mismatch', 'Gap closed', 'closed'),
      ])
      .execute();
    const open = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/registry-findings?format=csv',
    });
    expect(open.statusCode).toBe(200);
    const openLines = csvLines(open.body);
    expect(openLines).toHaveLength(2);
    expect(openLines[1]).toContain('Déclaré mais inconnu de Habilis');
    expect(openLines[1]).toContain('export.xml:42');
    const closed = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/registry-findings?format=csv&status=closed&lang=en',
    });
    const closedLines = csvLines(closed.body);
    expect(closedLines).toHaveLength(2);
    expect(closedLines[1]).toContain('Different habilitation type');
    expect(closedLines[1]).toContain('Closed');

    const certification = await db
      .selectFrom('certifications')
      .select('id')
      .where('code', '=', 'RNCP41077')
      .executeTakeFirstOrThrow();
    const { id: importId } = await db
      .insertInto('cpfOfferImports')
      .values({
        fileName: 'catalogue.csv',
        sha256: 'b'.repeat(64),
        sizeBytes: 999,
        format: 'csv',
        encoding: 'utf-8',
        extractedOn: '2026-11-19',
        startedAt: new Date('2026-11-19T10:00:00Z'),
        finishedAt: new Date('2026-11-19T10:01:00Z'),
        rowsRead: 3,
        offers: 3,
        matched: 2,
        rejectedCount: 1,
        warningCount: 0,
        newCount: 2,
        changedCount: 0,
        goneCount: 0,
        unchangedCount: 0,
        findings: JSON.stringify({}),
        findingChanges: JSON.stringify({ opened: 1 }),
        unknownColumns: JSON.stringify([]),
        warnings: JSON.stringify([{ line: 4, code: 'price_missing', message: 'no price', key: 'OF-3' }]),
        actorLabel: 'Admin',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const offer = (offerId: string, siret: string, modality: string) => ({
      offerId,
      certificationId: certification.id,
      certificationCode: 'RNCP41077',
      certifInfoCode: null,
      siret,
      siren: siret.slice(0, 9),
      organisationName: null,
      organisationId: null,
      matchedBy: null,
      verdict: 'unknown_seller',
      title: `Offre ${offerId}`,
      priceMin: 1200,
      priceMax: 1500,
      hoursMin: 35,
      hoursMax: 70,
      departmentCode: '75',
      regionName: null,
      modality,
      extractedOn: '2026-11-19',
      hash: offerId,
      record: '{}',
      sourceLine: 2,
      firstImportId: importId,
      changedImportId: importId,
    });
    await db
      .insertInto('cpfOffers')
      .values([offer('OF-1', '73282932000074', 'mixed'), offer('OF-2', '55210055400013', 'distance')])
      .execute();
    const offers = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/cpf-offers?format=csv&siret=73282932000074&certificationId=${certification.id}`,
    });
    expect(offers.statusCode).toBe(200);
    const offerLines = csvLines(offers.body);
    expect(offerLines).toHaveLength(2);
    expect(offerLines[1]).toContain('Offre OF-1');
    expect(offerLines[1]).toContain('Vendeur inconnu');
    expect(offerLines[1]).toContain('Mixte');
    const imports = await server.as(admin, { method: 'GET', url: '/api/reports/exports/cpf-imports' });
    expect(imports.statusCode).toBe(200);
    const importRows = await xlsxRows(imports.rawPayload);
    expect(importRows[1]).toContain('catalogue.csv');

    await db
      .insertInto('cpfOfferImportRejects')
      .values({
        importId,
        position: 0,
        line: 3,
        columnName: 'siret',
        code: 'invalid_siret',
        message: 'invalid SIRET',
        offerKey: 'OF-9',
      })
      .execute();
    const issues = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/cpf-imports/${importId}/issues?format=csv`,
    });
    expect(issues.statusCode).toBe(200);
    expect(issues.headers['content-disposition']).toContain('rejets-import-cpf-');
    expect(csvLines(issues.body)).toEqual([
      'Nature;Ligne;Colonne;Code;Message;Offre',
      'Ligne rejetée;3;siret;invalid_siret;invalid SIRET;OF-9',
      'Avertissement;4;;price_missing;no price;OF-3',
    ]);
    expect(
      (
        await server.as(partner, {
          method: 'GET',
          url: `/api/reports/exports/cpf-imports/${importId}/issues`,
        })
      ).statusCode,
    ).toBe(403);

    for (const path of ['registry-import-runs', 'registry-findings', 'cpf-offers', 'cpf-imports']) {
      const res = await server.as(partner, { method: 'GET', url: `/api/reports/exports/${path}` });
      expect(res.statusCode, path).toBe(403);
    }
  });

  it('exports the user accounts with their role and state as the screen names them', async () => {
    const res = await server.as(admin, { method: 'GET', url: '/api/reports/exports/users?format=csv' });
    expect(res.statusCode).toBe(200);
    const lines = csvLines(res.body);
    expect(lines[0]).toBe('Nom;Adresse électronique;Rôle;État;Langue;Dernière connexion (UTC);Créé le');
    expect(lines.some((l) => l.includes(';Administrateur;Actif;'))).toBe(true);
    expect(lines.some((l) => l.includes(';Partenaire;'))).toBe(true);
    const forbidden = await server.as(partner, { method: 'GET', url: '/api/reports/exports/users' });
    expect(forbidden.statusCode).toBe(403);
  });

  it('exports the entries of one control plan with the page filters, labelled, for control.read only', async () => {
    const plan = await server.services.controlPlans.propose(system, { year: 2099 });
    const add = (organisationId: string, kind: 'on_site' | 'documentary', plannedOn: string) =>
      server.services.controlPlans.addEntry(system, plan.id, {
        organisationId,
        kind,
        depth: 'reinforced',
        plannedOn,
      });
    await add(partner.organisationId!, 'on_site', '2099-03-01');
    const removed = await add(otherId, 'documentary', '2099-04-01');
    await server.services.controlPlans.adjustEntry(system, plan.id, removed.id, { removed: true });
    const url = `/api/reports/exports/control-plans/${plan.id}?format=csv`;
    const kept = await server.as(admin, { method: 'GET', url });
    expect(kept.statusCode).toBe(200);
    expect(kept.headers['content-disposition']).toContain('plan-de-controle-2099-');
    const keptLines = csvLines(kept.body);
    expect(keptLines[0]?.split(';').slice(0, 3)).toEqual(['Prévu le', 'Organisme', 'SIRET']);
    const added = keptLines.filter((l) => l.includes(';Ajouté;'));
    expect(added).toHaveLength(1);
    expect(added[0]).toContain(';Audit sur site;Approfondi;Ajouté;Non;');
    // The page lists removed entries too, and the kind filter applies.
    const all = await server.as(admin, { method: 'GET', url: `${url}&includeRemoved=true` });
    expect(csvLines(all.body).filter((l) => l.includes(';Ajouté;'))).toHaveLength(2);
    const documentary = await server.as(admin, {
      method: 'GET',
      url: `${url}&includeRemoved=true&kind=documentary`,
    });
    const documentaryRows = csvLines(documentary.body).slice(1);
    expect(documentaryRows.every((l) => l.includes(';Contrôle documentaire;'))).toBe(true);
    expect(documentaryRows.some((l) => l.includes('Formation Gamma') && l.includes(';Ajouté;Oui;'))).toBe(
      true,
    );
    const english = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/control-plans/${plan.id}?lang=en`,
    });
    const rows = await xlsxRows(english.rawPayload);
    expect(rows[0]?.[0]).toBe('Planned on');
    expect(rows.some((r) => r.includes('In depth') && r.includes('Added'))).toBe(true);
    // control.read: not an evaluator, not a partner (the plan names other partners); an unknown plan is 404.
    expect((await server.as(evaluator, { method: 'GET', url })).statusCode).toBe(403);
    expect((await server.as(partner, { method: 'GET', url })).statusCode).toBe(403);
    const unknown = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/control-plans/00000000-0000-4000-8000-000000000000?format=csv',
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('exports what one registry import changed and a fiche’s history, with the page filters, staff only', async () => {
    const db = server.handle.db;
    const run = await db
      .insertInto('fcImportRuns')
      .values({
        fileName: 'export_changes.xml',
        format: 'xml',
        entryName: null,
        sha256: 'c'.repeat(64),
        sizeBytes: 10,
        flowVersion: '4.1',
        certifierSiret: null,
        status: 'changed',
        startedAt: new Date('2026-11-21T08:00:00Z'),
        finishedAt: new Date('2026-11-21T08:01:00Z'),
        summary: JSON.stringify({}),
        actorLabel: 'Admin',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const fiche = (code: string, title: string, sourceLine: number) => ({
      code,
      register: 'RNCP' as const,
      title,
      level: 6,
      state: 'ACTIVE',
      isActive: true,
      registeredOn: '2025-01-01',
      endsOn: '2030-01-01',
      hash: 'h',
      snapshot: Buffer.from('{}'),
      sourceLine,
      firstRunId: run.id,
      changedRunId: run.id,
    });
    await db
      .insertInto('fcFiches')
      .values([fiche('RNCP99001', 'Fiche exportée', 1), fiche('RNCP99002', 'Nouveau', 2)])
      .execute();
    const change = (ficheCode: string, kind: 'new' | 'changed', details: Record<string, unknown>) => ({
      runId: run.id,
      ficheCode,
      kind,
      details: JSON.stringify(details),
    });
    await db
      .insertInto('fcFicheChanges')
      .values([
        change('RNCP99001', 'new', { title: 'Fiche exportée' }),
        change('RNCP99002', 'changed', { fields: [{ field: 'title', before: 'Ancien', after: 'Nouveau' }] }),
      ])
      .execute();
    const url = `/api/reports/exports/registry-import-runs/${run.id}/changes?format=csv`;
    const all = await server.as(admin, { method: 'GET', url });
    expect(all.statusCode).toBe(200);
    const lines = csvLines(all.body);
    expect(lines[0]?.split(';').slice(0, 4)).toEqual(['Date (UTC)', 'Fiche', 'Changement', 'Détail']);
    expect(lines).toHaveLength(3);
    const changed = await server.as(admin, { method: 'GET', url: `${url}&kind=changed&lang=en` });
    const changedLines = csvLines(changed.body);
    expect(changedLines).toHaveLength(2);
    expect(changedLines[1]).toContain(';RNCP99002;Fiche changed;title : Ancien → Nouveau;');
    const history = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/registry-fiches/rncp99001/history?format=csv',
    });
    expect(history.statusCode).toBe(200);
    expect(history.headers['content-disposition']).toContain('historique-RNCP99001-');
    const historyLines = csvLines(history.body);
    expect(historyLines).toHaveLength(2);
    expect(historyLines[1]).toContain(';RNCP99001;Nouvelle fiche;Fiche exportée;');
    // Registry lists are the certifier's: a partner and an evaluator get 403; an unknown fiche or run is 404.
    expect((await server.as(partner, { method: 'GET', url })).statusCode).toBe(403);
    expect((await server.as(evaluator, { method: 'GET', url })).statusCode).toBe(403);
    const unknownFiche = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/registry-fiches/RNCP12/history',
    });
    expect(unknownFiche.statusCode).toBe(404);
    const unknownRun = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/registry-import-runs/00000000-0000-4000-8000-000000000000/changes',
    });
    expect(unknownRun.statusCode).toBe(404);
  });

  it('exports the invitations with the list filters, their state and role as the screen names them', async () => {
    const invite = (email: string, organisationId: string) =>
      server.services.invitations.invite(system, {
        email,
        displayName: email.split('@')[0],
        role: 'partner',
        organisationId,
      });
    await invite('gamma.export@example.org', otherId);
    const revoked = await invite('gamma.revoked@example.org', otherId);
    await server.services.invitations.revoke(system, revoked.invitation.id);
    const url = `/api/reports/exports/invitations?format=csv&organisationId=${otherId}`;
    const all = await server.as(admin, { method: 'GET', url });
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-disposition']).toContain('invitations-');
    const lines = csvLines(all.body);
    expect(lines[0]?.split(';').slice(0, 5)).toEqual([
      'Nom',
      'Adresse électronique',
      'Rôle',
      'Organisme',
      'État',
    ]);
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.includes('gamma.export@'))).toContain(
      ';Partenaire;Formation Gamma;En attente;',
    );
    const withdrawn = await server.as(admin, { method: 'GET', url: `${url}&state=revoked&lang=en` });
    const withdrawnLines = csvLines(withdrawn.body);
    expect(withdrawnLines).toHaveLength(2);
    expect(withdrawnLines[1]).toContain(';Partner;Formation Gamma;Withdrawn;');
    // user.read: a partner and an evaluator have no access to the invitations list.
    expect((await server.as(partner, { method: 'GET', url })).statusCode).toBe(403);
    expect((await server.as(evaluator, { method: 'GET', url })).statusCode).toBe(403);
  });

  it('exports an organisation’s directory, contacts then sites; a partner its own only', async () => {
    const directory = server.services.organisationDirectory;
    await directory.addContact(system, otherId, {
      fullName: 'Claire Gamma',
      role: 'Directrice',
      email: 'claire@gamma.example.org',
      phone: '0102030405',
    });
    await directory.addSite(system, otherId, {
      label: 'Site de Lyon',
      addressLine: '1 rue du Rhône',
      postalCode: '69001',
      city: 'Lyon',
    });
    await directory.addContact(system, partner.organisationId!, { fullName: 'Paul Partenaire' });
    const url = `/api/reports/exports/organisations/${otherId}/directory?format=csv`;
    const res = await server.as(admin, { method: 'GET', url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('annuaire-');
    const lines = csvLines(res.body);
    expect(lines[0]?.split(';').slice(0, 3)).toEqual(['Nature', 'Nom ou libellé', 'Fonction']);
    expect(lines.slice(1).map((l) => l.split(';').slice(0, 2).join(';'))).toEqual([
      'Contact;Claire Gamma',
      'Site;Site de Lyon',
    ]);
    expect(lines[2]).toContain(';1 rue du Rhône;69001;Lyon;');
    const mine = await server.as(partner, {
      method: 'GET',
      url: `/api/reports/exports/organisations/${partner.organisationId}/directory?format=csv&lang=en`,
    });
    expect(mine.statusCode).toBe(200);
    expect(csvLines(mine.body).slice(1)).toEqual([expect.stringContaining('Contact;Paul Partenaire;')]);
    // Another partner's directory is not found for a partner; the evaluator has no organisation.read.
    expect((await server.as(partner, { method: 'GET', url })).statusCode).toBe(404);
    expect((await server.as(evaluator, { method: 'GET', url })).statusCode).toBe(403);
  });

  it('the partner page’s panels export their list filtered on the organisation (findings, sanctions)', async () => {
    const finding = (organisationId: string, title: string) => ({
      ruleId: 'manual',
      subjectKey: `panel:${title}`,
      organisationId,
      title,
      severity: 'minor',
      status: 'open',
      source: JSON.stringify({}),
    });
    await server.handle.db
      .insertInto('findings')
      .values([
        finding(otherId, 'Panel finding other'),
        finding(partner.organisationId!, 'Panel finding mine'),
      ])
      .execute();
    const titles = (body: string) =>
      csvLines(body)
        .slice(1)
        .map((l) => l.split(';')[1])
        .filter((title) => title?.startsWith('Panel finding'));
    const other = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/findings?format=csv&organisationId=${otherId}`,
    });
    expect(other.statusCode).toBe(200);
    expect(titles(other.body)).toEqual(['Panel finding other']);
    // A partner asking for another organisation's panel still gets its own rows only.
    const foreign = await server.as(partner, {
      method: 'GET',
      url: `/api/reports/exports/findings?format=csv&organisationId=${otherId}`,
    });
    expect(titles(foreign.body)).not.toContain('Panel finding other');
    const sanctions = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/sanctions?format=csv&organisationId=${otherId}`,
    });
    expect(sanctions.statusCode).toBe(200);
    expect(csvLines(sanctions.body)[0]).toMatch(/^Décidée le;Organisme;/);
  });

  it('exports the evidence files of a partner page, a partner its own only', async () => {
    const pdf = (label: string) =>
      Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
    const upload = (organisationId: string, fileName: string) =>
      server.services.evidence.upload(
        system,
        { organisationId, entityType: 'organisation', entityId: organisationId, purpose: 'attestation' },
        { fileName, content: Readable.from([pdf(fileName)]) },
      );
    await upload(otherId, 'preuve-gamma.pdf');
    await upload(partner.organisationId!, 'preuve-mine.pdf');
    const res = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/evidence?format=csv&organisationId=${otherId}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('preuves-');
    const lines = csvLines(res.body);
    expect(lines[0]?.split(';').slice(0, 2)).toEqual(['Déposée le (UTC)', 'Fichier']);
    expect(lines.slice(1).map((l) => l.split(';')[1])).toEqual(['preuve-gamma.pdf']);
    expect(lines[1]).toContain(`organisation ${otherId} (attestation)`);
    const mine = await server.as(partner, { method: 'GET', url: '/api/reports/exports/evidence?format=csv' });
    expect(
      csvLines(mine.body)
        .slice(1)
        .map((l) => l.split(';')[1]),
    ).toEqual(['preuve-mine.pdf']);
    const foreign = await server.as(partner, {
      method: 'GET',
      url: `/api/reports/exports/evidence?format=csv&organisationId=${otherId}`,
    });
    expect(csvLines(foreign.body)).toHaveLength(1);
    expect(
      (await server.as(evaluator, { method: 'GET', url: '/api/reports/exports/evidence' })).statusCode,
    ).toBe(403);
  });

  it('exports the requests of a convention or habilitation panel with its `about` filter, a partner its own', async () => {
    const cert = await insertChainCertification(server.handle.db, 'RNCP41078');
    const mineConvention = await server.services.conventions.create(
      system,
      buildConvention(partner.organisationId!, [cert.id], { reference: 'CONV-REQ-MINE' }),
    );
    const otherConvention = await server.services.conventions.create(
      system,
      buildConvention(otherId, [cert.id], { reference: 'CONV-REQ-OTHER' }),
    );
    const ask = (organisationId: string, conventionId: string | null, title: string) =>
      server.services.partnerRequests.create(system, {
        organisationId,
        conventionId,
        title,
        body: 'Merci de transmettre l’annexe.',
        dueOn: '2099-02-28',
      });
    await ask(partner.organisationId!, mineConvention.id, 'Annexe de ma convention');
    await ask(partner.organisationId!, null, 'Sans convention');
    await ask(otherId, otherConvention.id, 'Annexe de l’autre convention');
    const titles = (body: string) =>
      csvLines(body)
        .slice(1)
        .map((l) => l.split(';')[1]);
    const about = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/partner-requests?format=csv&organisationId=${partner.organisationId}&conventionId=${mineConvention.id}`,
    });
    expect(about.statusCode).toBe(200);
    expect(titles(about.body)).toEqual(['Annexe de ma convention']);
    const english = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/partner-requests?format=csv&conventionId=${mineConvention.id}&lang=en`,
    });
    expect(csvLines(english.body)[0]).not.toBe(csvLines(about.body)[0]);
    const mine = await server.as(partner, {
      method: 'GET',
      url: `/api/reports/exports/partner-requests?format=csv&conventionId=${mineConvention.id}`,
    });
    expect(titles(mine.body)).toEqual(['Annexe de ma convention']);
    // Another partner's convention: the partner scope leaves nothing, not an error that would reveal it.
    const foreign = await server.as(partner, {
      method: 'GET',
      url: `/api/reports/exports/partner-requests?format=csv&conventionId=${otherConvention.id}`,
    });
    expect(csvLines(foreign.body)).toHaveLength(1);
    const denied = await server.as(evaluator, {
      method: 'GET',
      url: `/api/reports/exports/partner-requests?conventionId=${mineConvention.id}`,
    });
    expect(denied.statusCode).toBe(403);
  });

  it('exports the tables of the chain detail pages: a session’s enrolments, a jury’s members and candidates', async () => {
    const plant = controlPlanter(server.handle.db);
    const cert = await plant.certification(1);
    const enrolled = await plant.candidate(partner.organisationId!, {
      birthName: 'Inscrite',
      firstNames: 'Ana',
    });
    const foreign = await plant.candidate(otherId, { birthName: 'Ailleurs', firstNames: 'Bo' });
    const mySession = await plant.trainingSession(partner.organisationId!, cert.id, {
      candidateIds: [enrolled],
    });
    const otherSession = await plant.trainingSession(otherId, cert.id, { candidateIds: [foreign] });
    const enrolments = (who: SignedIn, id: string, extra = '') =>
      server.as(who, {
        method: 'GET',
        url: `/api/reports/exports/training-sessions/${id}/enrolments?format=csv${extra}`,
      });
    const mine = await enrolments(partner, mySession);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-disposition']).toContain('inscrits-session-');
    const mineLines = csvLines(mine.body);
    expect(mineLines[0]?.split(';').slice(0, 3)).toEqual(['Nom de naissance', 'Nom d’usage', 'Prénoms']);
    expect(mineLines.slice(1).map((l) => l.split(';')[0])).toEqual(['Inscrite']);
    expect(csvLines((await enrolments(admin, otherSession, '&lang=en')).body)[0]).toMatch(/^Birth name;/);
    // Another partner's session is not found for a partner: its candidates do not leak.
    expect((await enrolments(partner, otherSession)).statusCode).toBe(404);

    const held = await plant.assessmentSession(cert.id, null, { candidateIds: [enrolled, foreign] });
    await plant.result(held, enrolled, { blockId: cert.blockIds[0]!, score: 14.5, maxScore: 20 });
    await plant.result(held, foreign, { blockId: cert.blockIds[0]!, decision: 'failed' });
    const results = (who: SignedIn, extra = '') =>
      server.as(who, {
        method: 'GET',
        url: `/api/reports/exports/assessment-sessions/${held}/results?format=csv${extra}`,
      });
    const resultLines = csvLines((await results(admin)).body);
    expect(resultLines[0]?.split(';').slice(0, 6)).toEqual([
      'Candidat',
      'Bloc',
      'Épreuve',
      'Note',
      'Sur',
      'Décision',
    ]);
    const byCandidate = Object.fromEntries(
      resultLines.slice(1).map((l) => [l.split(';')[0], l.split(';').slice(1, 6).join('|')]),
    );
    const blockCode = (
      await server.handle.db
        .selectFrom('skillBlocks')
        .select('code')
        .where('id', '=', cert.blockIds[0]!)
        .executeTakeFirstOrThrow()
    ).code;
    expect(byCandidate['INSCRITE Ana']).toMatch(new RegExp(`^${blockCode}\\|\\|14[,.]5\\|20\\|Admis$`));
    expect(byCandidate['AILLEURS Bo']).toBe(`${blockCode}||||Ajourné`);
    expect(csvLines((await results(admin, '&lang=en')).body)[0]).toMatch(
      /^Candidate;Skill block;Task;Score;/,
    );
    // An evaluator not assigned to the session may not read its results, nor export them: to it the
    // session does not exist.
    const refused = await results(evaluator);
    expect(refused.statusCode).toBe(404);
    expect(refused.json().code).toBe('not_found');
    const juryId = await plant.jury(cert.id, { status: 'planned' });
    await plant.deliberation(juryId, enrolled, { decision: 'failed' });
    await server.services.juries.setMembers(system, juryId, {
      members: [
        { fullName: 'Claire Présidente', role: 'president' },
        {
          fullName: 'Paul Formateur',
          role: 'professional',
          organisationId: otherId,
          hasConflictOfInterest: true,
          conflictNote: 'Formateur chez Gamma',
        },
      ],
    });
    const members = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/juries/${juryId}/members?format=csv`,
    });
    expect(members.statusCode).toBe(200);
    expect(csvLines(members.body).slice(1)).toEqual([
      'Claire Présidente;Président;;Non;',
      'Paul Formateur;Professionnel du métier;Formation Gamma;Oui;Formateur chez Gamma',
    ]);
    const membersEn = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/juries/${juryId}/members?format=csv&lang=en`,
    });
    expect(csvLines(membersEn.body)[1]).toBe('Claire Présidente;President;;No;');
    const candidates = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/juries/${juryId}/candidates?format=csv`,
    });
    expect(candidates.statusCode).toBe(200);
    const candidateLines = csvLines(candidates.body);
    expect(candidateLines[0]?.split(';').slice(0, 4)).toEqual([
      'Candidat',
      'Né le',
      'Résultats',
      'Décision du jury',
    ]);
    const decisions = Object.fromEntries(
      candidateLines.slice(1).map((l) => [l.split(';')[0], l.split(';')[3]]),
    );
    expect(decisions).toEqual({ 'AILLEURS Bo': '', 'INSCRITE Ana': 'Non certifié' });
    // The jury is the certifier's: neither a partner nor an evaluator may export it.
    for (const who of [partner, evaluator])
      for (const table of ['members', 'candidates'])
        expect(
          (await server.as(who, { method: 'GET', url: `/api/reports/exports/juries/${juryId}/${table}` }))
            .statusCode,
        ).toBe(403);
  });

  it('exports the likely duplicate candidates, one line per candidate numbered by group, staff only', async () => {
    const plant = controlPlanter(server.handle.db);
    const same = { birthName: 'Doublonnée', firstNames: 'Zoé', birthDate: '1991-03-04' };
    await plant.candidate(partner.organisationId!, same);
    await plant.candidate(otherId, { ...same, birthName: 'DOUBLONNEE', firstNames: 'Zoe Marie' });
    const res = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/candidate-duplicates?format=csv',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('doublons-candidats-');
    const lines = csvLines(res.body);
    expect(lines[0]?.split(';').slice(0, 4)).toEqual([
      'Groupe',
      'Nom de naissance',
      'Nom d’usage',
      'Prénoms',
    ]);
    const group = lines.slice(1).filter((l) => /^\d+;(Doublonnée|DOUBLONNEE);/.test(l));
    expect(group).toHaveLength(2);
    expect(group.map((l) => l.split(';')[5])).toContain('Formation Gamma');
    expect(new Set(group.map((l) => l.split(';')[0])).size).toBe(1);
    const english = await server.as(admin, {
      method: 'GET',
      url: '/api/reports/exports/candidate-duplicates?format=csv&lang=en',
    });
    expect(csvLines(english.body)[0]).toMatch(/^Group;Birth name;/);
    for (const who of [partner, evaluator])
      expect(
        (await server.as(who, { method: 'GET', url: '/api/reports/exports/candidate-duplicates' }))
          .statusCode,
      ).toBe(403);
  });

  it('exports a partner’s timeline with its events named, a partner its own only, and a convention’s documents', async () => {
    const res = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/organisations/${otherId}/timeline?format=csv`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('chronologie-partenaire-');
    const lines = csvLines(res.body);
    expect(lines[0]?.split(';').slice(0, 3)).toEqual(['Date (UTC)', 'Événement', 'Code de l’événement']);
    expect(lines.some((l) => l.includes(';Création d’organisme;organisation.create;'))).toBe(true);
    const english = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/organisations/${otherId}/timeline?format=csv&lang=en`,
    });
    expect(csvLines(english.body).some((l) => l.includes(';Organisation created;organisation.create;'))).toBe(
      true,
    );
    const mine = await server.as(partner, {
      method: 'GET',
      url: `/api/reports/exports/organisations/${partner.organisationId}/timeline?format=csv`,
    });
    expect(mine.statusCode).toBe(200);
    expect(csvLines(mine.body).length).toBeGreaterThan(1);
    const foreign = await server.as(partner, {
      method: 'GET',
      url: `/api/reports/exports/organisations/${otherId}/timeline?format=csv`,
    });
    // Another partner's organisation is not found, as on its page.
    expect(foreign.statusCode).toBe(404);
    expect(
      (
        await server.as(evaluator, {
          method: 'GET',
          url: `/api/reports/exports/organisations/${otherId}/timeline`,
        })
      ).statusCode,
    ).toBe(403);

    // The convention page's documents: the evidence export filtered on the convention.
    const cert = await insertChainCertification(server.handle.db, 'RNCP41079');
    const convention = await server.services.conventions.create(
      system,
      buildConvention(otherId, [cert.id], { reference: 'CONV-DOCS' }),
    );
    await server.services.evidence.upload(
      system,
      {
        organisationId: otherId,
        entityType: 'convention',
        entityId: convention.id,
        purpose: 'signed_convention',
      },
      { fileName: 'convention-signee.pdf', content: Readable.from([Buffer.from('%PDF-1.4\n%%EOF\n')]) },
    );
    const documents = await server.as(admin, {
      method: 'GET',
      url: `/api/reports/exports/evidence?format=csv&entityType=convention&entityId=${convention.id}`,
    });
    expect(documents.statusCode).toBe(200);
    expect(
      csvLines(documents.body)
        .slice(1)
        .map((l) => l.split(';')[1]),
    ).toEqual(['convention-signee.pdf']);
  });

  it('a role without the list permission gets 403', async () => {
    for (const path of ['habilitations', 'conventions', 'juries']) {
      const res = await server.as(evaluator, { method: 'GET', url: `/api/reports/exports/${path}` });
      expect(res.statusCode, path).toBe(403);
    }
    for (const path of ['juries', 'audit-log', 'cpf-sellers', 'registry-fiches']) {
      const res = await server.as(partner, { method: 'GET', url: `/api/reports/exports/${path}` });
      expect(res.statusCode, path).toBe(403);
    }
    const anonymous = await server.as(undefined, { method: 'GET', url: '/api/reports/exports/certificates' });
    expect(anonymous.statusCode).toBe(401);
  });
});
