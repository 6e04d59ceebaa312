import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { collectImport } from '../lpof/tabular/index.js';
import { modalityOf } from './map.js';
import { parseCpfCatalogue, parseCpfCatalogueFile } from './parse.js';

const samplePath = fileURLToPath(new URL('./fixtures/catalogue-record-synthetic.json', import.meta.url));
const sampleRecord = (
  JSON.parse(readFileSync(samplePath, 'utf8')) as { results: Array<Record<string, unknown>> }
).results[0]!;

const run = (content: string | Uint8Array, options: { format?: 'csv' | 'json' } = {}) =>
  collectImport(
    parseCpfCatalogue(typeof content === 'string' ? Buffer.from(content, 'utf8') : content, {
      fileName: 'catalogue.csv',
      ...options,
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

/** The sample record with some fields changed (undefined removes a field). */
function offer(changes: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...sampleRecord, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete out[key];
  return out;
}

/** Writes records as CSV, every value quoted, nulls empty. */
function csv(records: Array<Record<string, unknown>>, separator = ';'): string {
  const keys = Object.keys(records[0]!);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : `"${String(v).replaceAll('"', '""')}"`);
  return `${[keys.join(separator), ...records.map((r) => keys.map((k) => cell(r[k])).join(separator))].join('\n')}\n`;
}

/** The newer generation of names: `siret_of`, `code_rs`, `date_chargement`. */
function renamed(record: Record<string, unknown>): Record<string, unknown> {
  const names: Record<string, string> = {
    siret: 'siret_of',
    code_inventaire: 'code_rs',
    date_extract: 'date_chargement',
  };
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [names[k] ?? k, v]));
}

const expectedOffer = {
  offerId: '99999999800019_EXEMPLE-DWWM',
  extractedOn: '2026-03-01',
  siret: '99999999800019',
  siren: '999999998',
  organisationName: 'ORGANISME EXEMPLE FORMATION',
  certificationCode: 'RNCP37674',
  register: 'RNCP',
  certifInfoCode: '999999',
  certificationTitle: 'Développeur web et web mobile',
  level: 'Niveau 5 (BTS, DUT, Écoles de formation sanitaire et sociale ...)',
  title: 'Titre professionnel Développeur web et web mobile',
  highlights: "Formation synthétique d'exemple.",
  objective: null,
  content: null,
  expectedResults: null,
  formacodes: ['31054', '31088'],
  mainFormacodeLabel: 'Informatique',
  nsfSpecialities: [
    { code: '326', label: "Informatique, traitement de l'information, réseaux de transmission" },
  ],
  romeCodes: [],
  actionCount: 2,
  activeSessionCount: 3,
  distanceSessionCount: 1,
  modality: 'mixed',
  hoursMin: 700,
  hoursMax: 735,
  hoursMean: 717.5,
  priceMin: 6900,
  priceMax: 7400,
  priceMean: 7150,
  departmentCode: '75',
  departmentName: 'Paris',
  regionCode: '11',
  regionName: 'Île-de-France',
};

describe('parseCpfCatalogue on the synthetic record', () => {
  it('reads the Opendatasoft answer (`results`) into one offer with the RNCP prefix', async () => {
    const result = await collectImport(parseCpfCatalogueFile(samplePath));
    expect(result.format).toMatchObject({ kind: 'json', separator: null, unknownColumns: [] });
    expect(result.summary).toMatchObject({ encoding: 'utf-8', rows: 1, records: 1, rejects: 0, warnings: 0 });
    expect(result.records).toEqual([{ line: 5, record: expectedOffer }]);
  });

  it('reads the same offer from a JSON array, from NDJSON, and from a CSV with `;`', async () => {
    for (const [content, kind] of [
      [JSON.stringify([sampleRecord]), 'json'],
      [`${JSON.stringify(sampleRecord)}\n`, 'ndjson'],
      [csv([sampleRecord]), 'csv'],
    ] as const) {
      const result = await run(content);
      expect(result.format?.kind).toBe(kind);
      expect(result.rejects).toEqual([]);
      expect(result.records.map((r) => r.record)).toEqual([expectedOffer]);
    }
  });

  it('reads the newer column names, `,`-separated, in Windows-1252', async () => {
    const content = iconv.encode(csv([renamed(sampleRecord)], ','), 'win1252');
    const result = await run(content);
    expect(result.summary).toMatchObject({ encoding: 'windows-1252', records: 1 });
    expect(result.format).toMatchObject({
      separator: ',',
      columns: expect.objectContaining({
        siret: 'siret_of',
        rsNumber: 'code_rs',
        extractedOn: 'date_chargement',
      }),
    });
    expect(result.records[0]!.record).toEqual(expectedOffer);
  });
});

describe('certification codes', () => {
  async function codeOf(changes: Record<string, unknown>) {
    const result = await run(JSON.stringify([offer(changes)]));
    return { record: result.records[0]?.record, rejects: result.rejects };
  }

  it('prefixes an RS number found in code_inventaire (or code_rs)', async () => {
    const { record } = await codeOf({ type_referentiel: 'RS', code_rncp: null, code_inventaire: 5000 });
    expect(record).toMatchObject({ certificationCode: 'RS5000', register: 'RS' });
    const newer = await codeOf({
      type_referentiel: 'RS',
      code_rncp: '-1',
      code_inventaire: undefined,
      code_rs: '5568',
    });
    expect(newer.record).toMatchObject({ certificationCode: 'RS5568' });
  });

  it('takes the register from the code when type_referentiel is empty', async () => {
    const { record } = await codeOf({ type_referentiel: null });
    expect(record).toMatchObject({ certificationCode: 'RNCP37674', register: 'RNCP' });
  });

  it('keeps an offer named by its certif-info code only', async () => {
    const { record } = await codeOf({ type_referentiel: null, code_rncp: null });
    expect(record).toMatchObject({ certificationCode: null, register: null, certifInfoCode: '999999' });
  });

  it('rejects an offer whose type_referentiel and code disagree, or that names no certification', async () => {
    const conflict = await codeOf({ type_referentiel: 'RS' });
    expect(conflict.rejects).toEqual([
      {
        line: 1,
        column: 'code_inventaire',
        code: 'certification_code_conflict',
        message: "type_referentiel says RS but the offer's code is RNCP37674",
        key: '99999999800019_EXEMPLE-DWWM',
      },
    ]);
    const none = await codeOf({ code_rncp: null, code_certifinfo: null });
    expect(none.rejects.map((r) => r.code)).toEqual(['missing_certification']);
    const garbage = await codeOf({ code_rncp: 'CQP-12' });
    expect(garbage.rejects.map((r) => [r.column, r.code])).toEqual([
      ['code_rncp', 'invalid_certification_code'],
    ]);
  });
});

describe('parseCpfCatalogue rejects rows, and says why', () => {
  it('a bad SIRET rejects the offer, keyed by its id; the next offer is imported', async () => {
    const content = csv([offer({ siret: '99999999800018' }), offer({ numero_formation: 'B' })]);
    const result = await run(content);
    expect(result.rejects).toEqual([
      {
        line: 2,
        column: 'siret',
        code: 'invalid_siret',
        message: 'invalid SIRET (Luhn checksum): 99999999800018',
        key: '99999999800019_EXEMPLE-DWWM',
      },
    ]);
    expect(result.records.map((r) => [r.line, r.record.offerId])).toEqual([[3, 'B']]);
  });

  it('reads French prices, and warns (value null) on a price it cannot read', async () => {
    const content = csv([offer({ frais_ttc_tot_min: '1 234,50 €', frais_ttc_tot_max: 'sur devis' })]);
    const result = await run(content);
    expect(result.records[0]!.record).toMatchObject({ priceMin: 1234.5, priceMax: null, priceMean: 7150 });
    expect(result.warnings).toEqual([
      {
        line: 2,
        column: 'frais_ttc_tot_max',
        code: 'invalid_price',
        message: 'not a price: sur devis; value ignored',
        key: '99999999800019_EXEMPLE-DWWM',
      },
    ]);
  });

  it('a second offer with the same id is a duplicate', async () => {
    const result = await run(csv([offer(), offer()]));
    expect(result.rejects.map((r) => [r.line, r.code, r.message])).toEqual([
      [3, 'duplicate', 'offer 99999999800019_EXEMPLE-DWWM is already on line 2'],
    ]);
  });

  it('a truncated CSV line and a broken NDJSON line are rejected rows; the others are imported', async () => {
    const lines = csv([offer(), offer({ numero_formation: 'B' }), offer({ numero_formation: 'C' })]).split(
      '\n',
    );
    lines[2] = lines[2]!.slice(0, lines[2]!.indexOf('"RNCP"') + 6);
    const truncated = await run(lines.join('\n'));
    expect(truncated.rejects.map((r) => [r.line, r.code])).toEqual([[3, 'field_count']]);
    expect(truncated.records.map((r) => r.record.offerId)).toEqual(['99999999800019_EXEMPLE-DWWM', 'C']);

    const ndjson = [
      JSON.stringify(offer()),
      JSON.stringify(offer({ numero_formation: 'B' })).slice(0, 80),
      JSON.stringify(offer({ numero_formation: 'C' })),
    ].join('\n');
    const broken = await run(ndjson);
    expect(broken.rejects).toEqual([
      { line: 2, code: 'invalid_json', message: 'this line is not a complete JSON record' },
    ]);
    expect(broken.records.map((r) => r.record.offerId)).toEqual(['99999999800019_EXEMPLE-DWWM', 'C']);
  });
});

describe('parseCpfCatalogue refuses files it cannot read', () => {
  it('a CSV without the offer id column, or without any certification column', async () => {
    const noId = await rejection(csv([offer({ numero_formation: undefined })]));
    expect(noId.message).toBe(
      'catalogue.csv: line 1: missing columns: numero_formation (the first line must be the header)',
    );
    const noCode = await rejection(
      csv([offer({ code_rncp: undefined, code_inventaire: undefined, code_certifinfo: undefined })]),
    );
    expect(noCode.message).toMatch(
      /missing columns: code_rncp, or code_inventaire or code_rs, or code_certifinfo/,
    );
  });

  it('a JSON array whose first record lacks the SIRET, under both its names', async () => {
    const error = await rejection(JSON.stringify([offer({ siret: undefined })]));
    expect(error.message).toBe(
      'catalogue.csv: line 1: missing fields in the first record: siret or siret_of',
    );
  });

  it('a truncated JSON array, with the line of the record it stops in', async () => {
    const text = JSON.stringify([offer(), offer({ numero_formation: 'B' })], null, 2);
    const error = await rejection(text.slice(0, text.length - 200));
    expect(error.message).toMatch(
      /^catalogue\.csv: line \d+: the file ends inside the record that starts on line 43/,
    );
  });

  it('a file in no accepted encoding', async () => {
    const bytes = new Uint8Array([...Buffer.from(csv([offer()]), 'utf8'), 0x81, 0x0a]);
    const error = await rejection(bytes);
    expect(error.details).toMatchObject({ reason: 'encoding', line: 3 });
  });
});

describe('modalityOf', () => {
  it('derives the modality from the session counts', () => {
    expect(modalityOf(3, 0)).toBe('on_site');
    expect(modalityOf(3, 1)).toBe('mixed');
    expect(modalityOf(3, 3)).toBe('distance');
    expect(modalityOf(0, 0)).toBeNull();
    expect(modalityOf(null, 1)).toBeNull();
  });
});
