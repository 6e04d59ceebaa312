import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCertification,
  buildHabilitation,
  buildOrganisation,
  validSiret,
} from '../../../../test/factories.js';
import { newTestServer, type SignedIn, system, type TestServer } from '../../../../test/server.js';
import { partnerColumns } from '../../../importers/partner-list/columns.js';

function multipart(fileName: string, content: Buffer | string, name = 'file') {
  const boundary = `habilis-${randomUUID()}`;
  return {
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${fileName}"\r\n\r\n`,
      ),
      Buffer.isBuffer(content) ? content : Buffer.from(content),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const HEADER =
  'SIRET;Raison sociale;NDA;Adresse;Code postal;Ville;E-mail;Téléphone;Qualiopi;Qualiopi expire le;Code certification;Périmètre;Début habilitation;Fin habilitation';
const csv = (...rows: string[]) => `\ufeff${[HEADER, ...rows].join('\r\n')}\r\n`;

// Far from the factories' own series, so no test organisation shares these SIRETs.
const siretA = validSiret(9001);
const siretB = validSiret(9002);
const siretC = validSiret(9003);

describe('partner-list onboarding', () => {
  let server: TestServer;
  let admin: SignedIn;
  let auditor: SignedIn;
  let certCode: string;
  let otherCode: string;
  let existing: { id: string; siret: string };

  const upload = (file: ReturnType<typeof multipart>, query = '', user: SignedIn = admin) =>
    server.as(user, { method: 'POST', url: `/api/onboarding/partners${query}`, ...file });
  const totals = async () => ({
    organisations: (await server.as(admin, { method: 'GET', url: '/api/organisations?limit=1' })).json()
      .total,
    habilitations: (await server.as(admin, { method: 'GET', url: '/api/habilitations?limit=1' })).json()
      .total,
    audit: (await server.as(admin, { method: 'GET', url: '/api/audit-log?limit=1' })).json().total,
  });

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    auditor = await server.signIn('auditor');
    certCode = (await server.services.certifications.create(system, buildCertification())).code;
    otherCode = (await server.services.certifications.create(system, buildCertification())).code;
    existing = await server.services.organisations.create(system, buildOrganisation({ siret: siretC }));
  });
  afterAll(() => server.close());

  it('serves the template: the header row and one example row', async () => {
    const res = await server.as(admin, { method: 'GET', url: '/api/onboarding/partners/template' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toContain('modele-liste-partenaires.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(partnerColumns.map((c) => c.header));
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(partnerColumns.map((c) => c.example));
    expect(sheet.rowCount).toBe(2);
  });

  it('checks the template’s own example row as a valid partner (dry run)', async () => {
    const res = await server.as(admin, { method: 'GET', url: '/api/onboarding/partners/template' });
    const dry = await upload(multipart('modele.xlsx', res.rawPayload), '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    // Only the example certification is unknown here.
    expect(dry.json().errors).toEqual([
      { line: 2, column: 'Code certification', message: 'unknown certification RNCP12345' },
    ]);
  });

  const goodList = () =>
    csv(
      `${siretA};Forma Sud;11755555575;3 rue du Port;13002;Marseille;contact@formasud.fr;04 91 00 00 00;certifié;31/12/2027;${certCode};former et évaluer;01/01/2026;31/12/2028`,
      `${siretA};;;;;;;;;;${otherCode};former;2026-03-01;`,
      `${siretB};Atelier Nord;;;59000;Lille;;;non;;;;;`,
      `${siretC};${'Nom ignoré'};;;;;;;;;${certCode};évaluer;01/02/2026;`,
    );

  it('dry run: reports what would be created and writes nothing', async () => {
    const before = await totals();
    const res = await upload(multipart('partenaires.csv', goodList()), '?dryRun=true');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      dryRun: true,
      format: 'csv',
      rows: 4,
      valid: true,
      errors: [],
      organisations: { created: 2, existing: 1 },
      habilitations: { created: 3 },
    });
    expect(
      res.json().items.map((i: { line: number; organisation: string }) => [i.line, i.organisation]),
    ).toEqual([
      [2, 'created'],
      [3, 'created'],
      [4, 'created'],
      [5, 'existing'],
    ]);
    expect(await totals()).toEqual(before);
  });

  it('imports the list in one go: organisations, applications with their first decision, audit entries', async () => {
    const before = await totals();
    const res = await upload(multipart('partenaires.csv', goodList()));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      dryRun: false,
      valid: true,
      organisations: { created: 2, existing: 1 },
    });
    const after = await totals();
    expect(after.organisations).toBe(before.organisations + 2);
    expect(after.habilitations).toBe(before.habilitations + 3);

    const forma = (await server.as(admin, { method: 'GET', url: `/api/organisations?q=${siretA}` })).json()
      .items[0];
    expect(forma).toMatchObject({
      legalName: 'Forma Sud',
      nda: '11755555575',
      postalCode: '13002',
      city: 'Marseille',
      email: 'contact@formasud.fr',
      qualiopiStatus: 'certified',
      qualiopiExpiresOn: '2027-12-31',
    });
    const habs = (
      await server.as(admin, {
        method: 'GET',
        url: `/api/habilitations?organisationId=${forma.id}&sort=certification`,
      })
    ).json().items;
    expect(
      habs.map((h: { certificationCode: string; scope: string; status: string; endsOn: string | null }) => [
        h.certificationCode,
        h.scope,
        h.status,
        h.endsOn,
      ]),
    ).toEqual(
      [
        [certCode, 'both', 'application', '2028-12-31'],
        [otherCode, 'train', 'application', null],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const detail = (
      await server.as(admin, { method: 'GET', url: `/api/habilitations/${habs[0].id}` })
    ).json();
    expect(detail.decisions[0].reasons).toMatch(
      /^Import de la liste des partenaires \(partenaires\.csv, ligne \d\)$/,
    );
    // The existing organisation is left as it was (its name is not overwritten).
    expect((await server.services.organisations.get(system, existing.id)).legalName).not.toBe('Nom ignoré');
    const audit = (await server.as(admin, { method: 'GET', url: '/api/audit-log?limit=1' })).json().items[0];
    expect(audit.action).toBe('organisation.import');
  });

  it('names the line and column of every error, and the real run then writes nothing (422)', async () => {
    const list = csv(
      `12345678901234;Mauvais SIRET;;;;;;;;;;;;`,
      `${validSiret(9010)};Forma Est;;;;;pas-un-email;;peut-être;;RNCP99999;former;01/01/2026;`,
      `${validSiret(9011)};Forma Ouest;;;;;;;;;${certCode};;2026-06-01;2026-01-01`,
      `${siretC};;;;;;;;;;${certCode};évaluer;2026-05-01;`,
      `${validSiret(9012)};Forma Centre;;;;;;;;;${certCode};former;31/02/2026;`,
    );
    const dry = await upload(multipart('erreurs.csv', list), '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    expect(dry.json().valid).toBe(false);
    const errors = dry.json().errors as { line: number; column: string; message: string }[];
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'SIRET'],
      [3, 'E-mail'],
      [3, 'Qualiopi'],
      [3, 'Code certification'],
      [4, 'Périmètre'],
      [4, 'Fin habilitation'],
      [5, 'Début habilitation'],
      [6, 'Début habilitation'],
    ]);
    expect(errors.find((e) => e.line === 3 && e.column === 'Code certification')?.message).toBe(
      'unknown certification RNCP99999',
    );
    expect(errors.find((e) => e.line === 5)?.message).toMatch(
      /already has a application habilitation for .* that overlaps/,
    );
    expect(errors.find((e) => e.line === 6)?.message).toBe(
      '"31/02/2026" is not a date (write 31/12/2026 or 2026-12-31)',
    );

    const before = await totals();
    const real = await upload(multipart('erreurs.csv', list));
    expect(real.statusCode).toBe(422);
    expect(real.json().code).toBe('import_rejected');
    expect(real.json().details.errors).toEqual(errors);
    expect(real.json().errors[0]).toEqual({ field: 'line 2, SIRET', message: errors[0]!.message });
    expect(await totals()).toEqual(before);
  });

  it('refuses rows that disagree about one SIRET, or apply twice for the same habilitation', async () => {
    const s = validSiret(9020);
    const res = await upload(
      multipart(
        'doublons.csv',
        csv(
          `${s};Forma Une;;;;Lyon;;;;;${certCode};former;2026-01-01;`,
          `${s};Forma Deux;;;;Lyon;;;;;${certCode};former et évaluer;2026-06-01;`,
        ),
      ),
      '?dryRun=true',
    );
    expect(res.json().errors).toEqual([
      { line: 3, column: 'Raison sociale', message: 'differs from line 2 for the same SIRET' },
      {
        line: 3,
        column: 'Début habilitation',
        message: 'overlaps the habilitation of line 2 (same SIRET, certification and scope)',
      },
    ]);
  });

  it('reads XLSX with typed cells (a SIRET that lost its leading zeros, real dates) and Windows-1252 CSV', async () => {
    const s = validSiret(1001);
    expect(s.startsWith('0')).toBe(true);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Feuil1');
    sheet.addRow(['siret', 'Raison sociale', 'code certification', 'perimetre', 'debut habilitation']);
    sheet.addRow([
      Number(s),
      'Forma Numérique',
      certCode,
      'HABILITATION_ORGA_FORM',
      new Date(Date.UTC(2026, 0, 15)),
    ]);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await upload(multipart('liste.xlsx', xlsx));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      format: 'xlsx',
      valid: true,
      items: [{ siret: s, certificationCode: certCode }],
    });

    const legacy = iconv.encode(
      `SIRET;Raison sociale;Ville\r\n${validSiret(9031)};Société Générale de Formation;Besançon\r\n`,
      'win1252',
    );
    const latin = await upload(multipart('ancien.csv', legacy));
    expect(latin.statusCode).toBe(200);
    const org = (
      await server.as(admin, { method: 'GET', url: `/api/organisations?q=${validSiret(9031)}` })
    ).json().items[0];
    expect(org).toMatchObject({ legalName: 'Société Générale de Formation', city: 'Besançon' });
  });

  it('refuses a file whose header is not the template’s, naming the columns', async () => {
    const res = await upload(multipart('autre.csv', 'SIRET;Nom commercial\r\n12;x\r\n'), '?dryRun=true');
    expect(res.json().valid).toBe(false);
    expect(res.json().errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([
      [1, 'Nom commercial'],
      [1, 'Raison sociale'],
    ]);
  });

  it('is for admins and quality managers, as multipart only', async () => {
    expect((await upload(multipart('p.csv', goodList()), '?dryRun=true', auditor)).statusCode).toBe(403);
    expect(
      (await server.as(auditor, { method: 'GET', url: '/api/onboarding/partners/template' })).statusCode,
    ).toBe(403);
    const json = await server.as(admin, { method: 'POST', url: '/api/onboarding/partners', payload: {} });
    expect(json.statusCode).toBe(415);
    const wrongPart = await upload(multipart('p.csv', goodList(), 'document'));
    expect(wrongPart.statusCode).toBe(400);
    expect(wrongPart.json().errors).toEqual([
      { field: 'file', message: 'send the partner list in a part named file' },
    ]);
    void buildHabilitation;
  });
});
