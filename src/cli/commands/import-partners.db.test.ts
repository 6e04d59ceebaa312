import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { buildCertification, buildConvention, validSiret } from '../../../test/factories.js';
import { system } from '../../../test/server.js';
import type { DatabaseHandle } from '../../db/database.js';
import { createServices, type Services } from '../../services/index.js';
import { exitCodeOf } from '../exit-codes.js';
import { runCli } from '../main.js';

// `habilis import partners` and `habilis export declarations`, run in-process against a fresh test
// database (PGlite, or PostgreSQL with TEST_DATABASE_URL) through runCli's openServices hook.

const dir = mkdtempSync(path.join(tmpdir(), 'habilis-onboarding-cli-'));
let handle: DatabaseHandle;
let services: Services;

async function habilis(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: { HABILIS_DATA_DIR: dir, PUBLIC_URL: 'https://habilis.test', LOG_LEVEL: 'silent' },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: (async function* () {})(),
    openServices: async () => ({
      services,
      migration: { applied: [], current: null } as never,
      location: 'test database',
      // The database outlives each command: the tests read it afterwards.
      close: async () => {},
    }),
  });
  return { code, stdout, stderr };
}

const HEADER =
  'SIRET;Raison sociale;Code postal;Ville;Qualiopi;Code certification;Périmètre;Début habilitation';

describe('habilis import partners / export declarations', () => {
  let certCode: string;
  let certId: string;

  beforeAll(async () => {
    handle = await newTestDatabase();
    services = createServices(handle, {
      publicUrl: 'https://habilis.test',
      filesDir: path.join(dir, 'files'),
      dataDir: dir,
    });
    const cert = await services.certifications.create(system, buildCertification());
    certCode = cert.code;
    certId = cert.id;
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const list = (name: string, ...rows: string[]) => {
    const file = path.join(dir, name);
    writeFileSync(file, `${[HEADER, ...rows].join('\n')}\n`);
    return file;
  };
  const organisationCount = async () =>
    (await services.organisations.list(system, { limit: 1, offset: 0, sort: 'legalName', order: 'asc' }))
      .total;

  it('a dry run with errors lists them by line and column, fails with import_rejected, writes nothing', async () => {
    const file = list(
      'erreurs.csv',
      `${validSiret(7001)};Forma Alpha;75011;Paris;oui;${certCode};former;01/01/2026`,
      `${validSiret(7002)};Forma Beta;7500;Paris;oui;RNCP404;former;01/01/2026`,
    );
    const { code, stdout, stderr } = await habilis(['import', 'partners', file, '--dry-run']);
    expect(code).toBe(exitCodeOf.import_rejected);
    expect(stdout).toBe('');
    expect(stderr).toContain('erreurs.csv: 2 error(s) in 2 row(s); nothing would be imported');
    expect(stderr).toContain('line 3, Code postal: a French postal code has 5 digits');
    expect(stderr).toContain('line 3, Code certification: unknown certification RNCP404');
    expect(await organisationCount()).toBe(0);

    const json = await habilis(['--json', 'import', 'partners', file, '--dry-run']);
    expect(json.code).toBe(exitCodeOf.import_rejected);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ dryRun: true, valid: false, rows: 2 });
    expect(report.errors).toEqual([
      { line: 3, column: 'Code postal', message: 'a French postal code has 5 digits' },
      { line: 3, column: 'Code certification', message: 'unknown certification RNCP404' },
    ]);
  });

  it('imports a valid list, then a dry run of it again reports the organisations as existing', async () => {
    const file = list(
      'partenaires.csv',
      `${validSiret(7011)};Forma Gamma;69003;Lyon;certifié;${certCode};former et évaluer;2026-01-01`,
      `${validSiret(7012)};Forma Delta;33000;Bordeaux;inconnu;;;`,
    );
    const dry = await habilis(['import', 'partners', file, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('2 row(s), no error. The import would write: 2 organisation(s) to create');
    expect(await organisationCount()).toBe(0);

    const real = await habilis(['--json', 'import', 'partners', file]);
    expect(real.stderr).toBe('');
    expect(real.code).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({
      dryRun: false,
      valid: true,
      organisations: { created: 2, existing: 0 },
      habilitations: { created: 1 },
    });
    expect(await organisationCount()).toBe(2);

    // Again: the organisations exist, and the habilitation would overlap the one just recorded.
    const again = await habilis(['--json', 'import', 'partners', file, '--dry-run']);
    const report = JSON.parse(again.stdout);
    expect(report.organisations).toEqual({ created: 0, existing: 1 });
    expect(report.errors).toEqual([
      {
        line: 2,
        column: 'Début habilitation',
        message: expect.stringMatching(/^Forma Gamma already has a application habilitation for RNCP\d+/),
      },
    ]);
  });

  it('a missing file is not_found, naming it', async () => {
    const { code, stderr } = await habilis(['import', 'partners', path.join(dir, 'absent.csv')]);
    expect(code).toBe(exitCodeOf.not_found);
    expect(stderr).toContain('cannot read');
  });

  it('export declarations writes the partner list as CSV or XLSX (from --format or the file name)', async () => {
    // Grant the imported habilitation: it becomes a change to declare.
    const gamma = (
      await services.organisations.list(system, {
        q: 'Forma Gamma',
        limit: 5,
        offset: 0,
        sort: 'legalName',
        order: 'asc',
      })
    ).items[0]!;
    const convention = await services.conventions.create(system, buildConvention(gamma.id, [certId]));
    await services.conventions.sign(system, convention.id, { signedOn: '2025-01-01' });
    const hab = (
      await services.habilitations.list(system, {
        organisationId: gamma.id,
        limit: 5,
        offset: 0,
        sort: 'organisation',
        order: 'asc',
      })
    ).items[0]!;
    await services.habilitations.decide(system, hab.id, { toStatus: 'review', reasons: 'Examen' });
    await services.habilitations.decide(system, hab.id, { toStatus: 'active', reasons: 'Accordée' });

    const csvFile = path.join(dir, 'fc.csv');
    const csv = await habilis(['export', 'declarations', '--out', csvFile]);
    expect(csv.stderr).toBe('');
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain(`1 partner × certification row written to ${csvFile} (csv)`);
    const lines = readFileSync(csvFile, 'utf8')
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[1]!.split(';').slice(0, 6)).toEqual([
      gamma.siret,
      'Forma Gamma',
      certCode,
      expect.any(String),
      'HABILITATION_ORGA_FORM',
      'Actif',
    ]);

    const xlsxFile = path.join(dir, 'fc.xlsx');
    expect((await habilis(['export', 'declarations', '--out', xlsxFile])).code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsxFile);
    expect(workbook.worksheets[0]!.getRow(2).getCell(5).value).toBe('HABILITATION_ORGA_FORM');

    const bad = await habilis(['export', 'declarations', '--out', csvFile, '--format', 'pdf']);
    expect(bad.code).toBe(exitCodeOf.validation_failed);
    expect(bad.stderr).toContain('--format: "pdf" is not csv or xlsx');
  });
});
