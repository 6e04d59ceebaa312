import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildConvention,
  buildOrganisation,
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
    expect(auditLines[0]).toBe('N°;Date (UTC);Auteur;Action;Objet;Identifiant;Avant;Après;Empreinte');
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
