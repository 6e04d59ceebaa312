import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { parseLpof, parseLpofFile } from './parse.js';
import { collectImport } from './tabular/index.js';

const samplePath = fileURLToPath(new URL('./fixtures/lpof-header-and-synthetic-rows.csv', import.meta.url));
const sample = readFileSync(samplePath, 'utf8');
/** The sample's lines (header first), without the final newline. */
const sampleLines = sample.replace(/\n$/, '').split('\n');

const run = (content: string | Uint8Array, encoding?: 'utf-8' | 'windows-1252') =>
  collectImport(
    parseLpof(typeof content === 'string' ? Buffer.from(content, 'utf8') : content, {
      fileName: 'lpof.csv',
      ...(encoding ? { encoding } : {}),
    }),
  );

async function rejection(content: string | Uint8Array): Promise<AppError> {
  const error = await run(content).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('import_rejected');
  return error as AppError;
}

/** Replaces the value of `column` on data line `line` (2 = first data line) of the sample. */
function withValue(line: number, column: string, value: string): string {
  const header = sampleLines[0]!.split(';');
  const index = header.indexOf(column);
  expect(index).toBeGreaterThanOrEqual(0);
  return sampleLines
    .map((text, i) => {
      if (i !== line - 1) return text;
      const cells = text.split(';');
      cells[index] = value;
      return cells.join(';');
    })
    .join('\n');
}

describe('parseLpof on the real header with synthetic rows', () => {
  it('reads every row into an organisation record', async () => {
    const result = await parseSample();
    expect(result.format).toMatchObject({ kind: 'csv', separator: ';', unknownColumns: [] });
    expect(Object.keys(result.format!.columns)).toHaveLength(30);
    expect(result.summary).toEqual({
      fileName: 'lpof-header-and-synthetic-rows.csv',
      encoding: 'utf-8',
      bom: false,
      rows: 3,
      records: 3,
      rejects: 0,
      warnings: 0,
    });
    expect(result.rejects).toEqual([]);
    expect(result.records.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(result.records[1]!.record).toEqual({
      nda: '93139999998',
      previousNdas: ['11759999999'],
      legalName: 'CENTRE TEST SUD',
      siret: '99999998000017',
      siren: '999999980',
      addressLine: '2 AVENUE DU MODELE',
      postalCode: '13001',
      city: 'MARSEILLE',
      regionCode: '93',
      qualiopiCategories: ['training', 'skills_assessment', 'vae', 'apprenticeship'],
      foreignOrganisation: null,
      lastDeclarationOn: '2026-04-01',
      fiscalYearStart: '2025-01-01',
      fiscalYearEnd: '2025-12-31',
      specialities: [
        { code: '312', label: 'Commerce, vente' },
        { code: '315', label: "Ressources humaines, gestion du personnel, gestion de l'emploi" },
      ],
      traineeCount: 45,
      traineesFromOtherOrganisationsCount: 0,
      trainerCount: 2,
    });
  });

  it('reads Qualiopi per category: only training for the first, none for the third (empty flags)', async () => {
    const result = await parseSample();
    expect(result.records[0]!.record.qualiopiCategories).toEqual(['training']);
    expect(result.records[2]!.record.qualiopiCategories).toEqual([]);
    expect(result.records[2]!.record.addressLine).toBeNull(); // `""` in the file
  });

  async function parseSample() {
    return collectImport(parseLpofFile(samplePath));
  }
});

describe('parseLpof on re-saved variants of the sample', () => {
  let expected: unknown;
  async function expectSameRecords(content: string | Uint8Array) {
    expected ??= (await run(sample)).records;
    const result = await run(content);
    expect(result.rejects).toEqual([]);
    expect(result.records).toEqual(expected);
    return result;
  }

  it('with a UTF-8 BOM', async () => {
    const result = await expectSameRecords(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(sample)]));
    expect(result.summary).toMatchObject({ encoding: 'utf-8', bom: true });
  });

  it('in Windows-1252 (Excel’s « CSV séparateur point-virgule »), with CRLF line ends', async () => {
    const result = await expectSameRecords(iconv.encode(sample.replaceAll('\n', '\r\n'), 'win1252'));
    expect(result.summary).toMatchObject({ encoding: 'windows-1252', bom: false });
  });

  it('with `,` as separator and every value quoted', async () => {
    const comma = sampleLines
      .map((line) =>
        line
          .split(';')
          .map((cell) => `"${cell.replace(/^"|"$/g, '').replaceAll('"', '""')}"`)
          .join(','),
      )
      .join('\n');
    const result = await expectSameRecords(comma);
    expect(result.format?.separator).toBe(',');
  });

  it('from the Opendatasoft JSON export (flattened names, typed values)', async () => {
    const json = JSON.stringify([
      {
        numerodeclarationactivite: '11759999999',
        denomination: 'ORGANISME EXEMPLE FORMATION',
        siretetablissementdeclarant: '99999999800019',
        adressephysiqueorganismeformation_codepostal: 1000,
        certifications_actionsdeformation: true,
        certifications_bilansdecompetences: false,
        certifications_vae: null,
        certifications_actionsdeformationparapprentissage: true,
      },
    ]);
    const result = await run(json);
    expect(result.format).toMatchObject({ kind: 'json' });
    expect(result.records[0]!.record).toMatchObject({
      nda: '11759999999',
      postalCode: '01000',
      qualiopiCategories: ['training', 'apprenticeship'],
    });
  });
});

describe('parseLpof rejects rows, and says why', () => {
  it('a bad SIRET rejects its row (with the NDA as key); the other rows are imported', async () => {
    const result = await run(withValue(3, 'siretEtablissementDeclarant', '99999998000018'));
    expect(result.rejects).toEqual([
      {
        line: 3,
        column: 'siretEtablissementDeclarant',
        code: 'invalid_siret',
        message: 'invalid SIRET (Luhn checksum): 99999998000018',
        key: '93139999998',
      },
    ]);
    expect(result.records.map((r) => r.record.nda)).toEqual(['11759999999', '53359999997']);
    expect(result.summary).toMatchObject({ rows: 3, records: 2, rejects: 1 });
  });

  it('a missing NDA or an unreadable Qualiopi flag rejects the row', async () => {
    const noNda = await run(withValue(2, 'numeroDeclarationActivite', ''));
    expect(noNda.rejects).toEqual([
      {
        line: 2,
        column: 'numeroDeclarationActivite',
        code: 'missing_value',
        message: 'this value is required',
      },
    ]);
    const badFlag = await run(withValue(4, 'certifications.VAE', 'peut-être'));
    expect(badFlag.rejects).toEqual([
      {
        line: 4,
        column: 'certifications.VAE',
        code: 'invalid_boolean',
        message: 'expected true or false, found peut-être',
        key: '53359999997',
      },
    ]);
  });

  it('a second row with the same NDA is a duplicate', async () => {
    const result = await run(`${sample}${sampleLines[1]}\n`);
    expect(result.rejects).toEqual([
      { line: 5, code: 'duplicate', message: 'NDA 11759999999 is already on line 2', key: '11759999999' },
    ]);
  });

  it('a truncated last line is a rejected row, not a crash', async () => {
    const truncated = `${sampleLines.slice(0, 3).join('\n')}\n${sampleLines[3]!.slice(0, 60)}\n`;
    const result = await run(truncated);
    expect(result.records).toHaveLength(2);
    expect(result.rejects).toEqual([
      {
        line: 4,
        code: 'field_count',
        message: expect.stringMatching(
          /^the line has \d+ values where the header has 30 \(truncated line\?\)$/,
        ),
      },
    ]);
  });

  it('a bad secondary value is a warning: the record is imported with that value null', async () => {
    const result = await run(withValue(2, 'informationsDeclarees.dateDerniereDeclaration', '31/02/2026'));
    expect(result.rejects).toEqual([]);
    expect(result.warnings).toEqual([
      {
        line: 2,
        column: 'informationsDeclarees.dateDerniereDeclaration',
        code: 'invalid_date',
        message: '31/02/2026 is not a calendar date; value ignored',
        key: '11759999999',
      },
    ]);
    expect(result.records[0]!.record.lastDeclarationOn).toBeNull();
  });

  it('reads the string NULL as an empty value', async () => {
    const result = await run(withValue(2, 'adressePhysiqueOrganismeFormation.ville', 'NULL'));
    expect(result.warnings).toEqual([]);
    expect(result.records[0]!.record.city).toBeNull();
  });

  it('a SIREN that is not the SIRET’s is a warning; the SIREN kept is the SIRET’s', async () => {
    const result = await run(withValue(2, 'siren', '999999980'));
    expect(result.warnings.map((w) => w.code)).toEqual(['siren_mismatch']);
    expect(result.records[0]!.record.siren).toBe('999999998');
  });
});

describe('parseLpof refuses files it cannot read', () => {
  it('a missing mandatory column, named', async () => {
    const header = sampleLines[0]!.split(';');
    const vae = header.indexOf('certifications.VAE');
    const without = sampleLines.map((line) => line.split(';').toSpliced(vae, 1).join(';')).join('\n');
    const error = await rejection(without);
    expect(error.message).toBe(
      'lpof.csv: line 1: missing columns: certifications.VAE (the first line must be the header)',
    );
  });

  it('a file in no accepted encoding, or mixing two, with the line', async () => {
    const mixed = new Uint8Array([
      ...Buffer.from(`${sampleLines.slice(0, 2).join('\n')}\n`, 'utf8'),
      ...iconv.encode(`${sampleLines[2]!.replace('CENTRE TEST SUD', 'CENTRE ÉTÉ')}\n`, 'win1252'),
    ]);
    const error = await rejection(mixed);
    expect(error.message).toMatch(/^lpof\.csv: line 3: the file mixes encodings: UTF-8 on line 2/);
  });

  it('a file cut inside a quoted value (broken quoting), with the line', async () => {
    const cut = sample.slice(0, sample.indexOf('ASSOCIATION SANS') + 5);
    const error = await rejection(cut);
    expect(error.message).toBe(
      'lpof.csv: line 4: a quoted value starting on line 4 or after is never closed (broken quoting, or truncated file)',
    );
  });

  it('an XLSX workbook given as the list', async () => {
    const error = await rejection(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]));
    expect(error.message).toMatch(/ZIP archive \(an XLSX workbook\?\)/);
  });
});
