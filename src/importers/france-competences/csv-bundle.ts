import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import type { AccessRouteCode, FicheRecord, ImportReject } from '../../core/registry/fiche.schema.js';
import {
  cleanSiret,
  cleanText,
  emptyToNull,
  normaliseFicheCode,
  normaliseSkillBlockCode,
  type Parsed,
  parseFrenchDate,
  parseHabilitationType,
  parseInteger,
  parseLevel,
  parseOuiNon,
} from '../../core/registry/normalise.js';
import { createDecoder, InvalidEncodingError, looksLikeUtf8 } from './decode.js';
import { importRejected, type ZipArchive, type ZipEntryInfo } from './source.js';
import { emptyFicheRecord } from './xml-mapper.js';

/**
 * The CSV bundle (`export-fiches-csv-YYYY-MM-DD.zip`): ten `;`-separated files keyed by Numero_Fiche. The
 * nine detail files are read first and grouped by fiche (their size is that of the bundle, tens of MB, not
 * of the 570 MB XML), then the Standard file is streamed and each of its rows becomes one record with its
 * details. Each file is UTF-8 or Windows-1252 (decided on its first 64 KB; a UTF-8 file with a bad byte
 * further on is refused). The quirks of the real files are handled: a TAB before SIRETs, doubled
 * apostrophes, `code : label` labels, zip entry names in UTF-8 without the UTF-8 flag.
 */

export interface ExportSink {
  reject(reject: ImportReject): void;
  unknown(path: string): void;
  report: { progress: { bytesRead: number } };
}

type CsvFile =
  | 'standard'
  | 'certifiers'
  | 'partners'
  | 'blocks'
  | 'rome'
  | 'nsf'
  | 'formacode'
  | 'ccn'
  | 'links'
  | 'accessRoutes';

const files: { file: CsvFile; pattern: RegExp; columns: string[] }[] = [
  {
    file: 'standard',
    pattern: /export_fiches_CSV_Standard_/i,
    columns: ['Numero_Fiche', 'Intitule', 'Actif'],
  },
  {
    file: 'certifiers',
    pattern: /export_fiches_CSV_Certificateurs_/i,
    columns: ['Numero_Fiche', 'Siret_Certificateur', 'Nom_Certificateur'],
  },
  {
    file: 'partners',
    pattern: /export_fiches_CSV_Partenaires_/i,
    columns: ['Numero_Fiche', 'Nom_Partenaire', 'Siret_Partenaire', 'Habilitation_Partenaire'],
  },
  {
    file: 'blocks',
    pattern: /export_fiches_CSV_Blocs_De_Comp/i,
    columns: ['Numero_Fiche', 'Bloc_Competences_Code', 'Bloc_Competences_Libelle'],
  },
  {
    file: 'rome',
    pattern: /export_fiches_CSV_Rome_/i,
    columns: ['Numero_Fiche', 'Codes_Rome_Code', 'Codes_Rome_Libelle'],
  },
  { file: 'nsf', pattern: /export_fiches_CSV_Nsf_/i, columns: ['Numero_Fiche', 'Nsf_Code', 'Nsf_Intitule'] },
  {
    file: 'formacode',
    pattern: /export_fiches_CSV_Formacode_/i,
    columns: ['Numero_Fiche', 'Formacode_Code', 'Formacode_Libelle'],
  },
  { file: 'ccn', pattern: /export_fiches_CSV_CCN_/i, columns: ['Numero_Fiche'] },
  {
    file: 'links',
    pattern: /export_fiches_CSV_Ancienne_Nouvelle_Certification_/i,
    columns: ['Numero_Fiche', 'Ancienne_Certification', 'Nouvelle_Certification'],
  },
  {
    file: 'accessRoutes',
    pattern: /export_fiches_CSV_Voi[xe]_?d_?Acc/i,
    columns: ['Numero_Fiche', 'Si_Jury'],
  },
];

/** One data row of a detail file: its cells by column name, and its line in that file. */
interface DetailRow {
  line: number;
  cells: Record<string, string>;
}

interface CsvRow {
  line: number;
  cells: Record<string, string>;
}

/**
 * The access route of a VoixdAccès label (`En contrat d’apprentissage` → CA …), or null for an unknown
 * label. Apostrophes and case do not matter.
 */
export function accessRouteOfLabel(label: string): AccessRouteCode | null {
  const v = label.toLowerCase().replace(/[’'`]/g, "'").normalize('NFC');
  if (v.includes('apprentissage')) return 'CA';
  if (v.includes('professionnalisation')) return 'CQ';
  if (v.includes('formation continue')) return 'FC';
  if (v.includes('élève') || v.includes('étudiant') || v.includes('eleve') || v.includes('etudiant'))
    return 'FI';
  if (v.includes('candidature individuelle')) return 'CL';
  if (v.includes('expérience') || v.includes('experience') || v.includes('vae')) return 'VAE';
  return null;
}

/** `"221w : Commercialisation …"` → `Commercialisation …` (the CSV repeats the code in its labels). */
export function stripCodePrefix(label: string | null, code: string): string | null {
  if (label === null) return null;
  const prefix = new RegExp(`^${code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:\\s*`);
  return label.replace(prefix, '') || null;
}

async function* csvRows(
  zip: ZipArchive,
  entry: ZipEntryInfo,
  fileName: string,
  sink: ExportSink,
  requiredColumns: string[],
): AsyncGenerator<CsvRow> {
  let linesBefore = 0;
  let columnsOf: string[] | null = null;
  const decodedText = async function* () {
    let decoder: ReturnType<typeof createDecoder> | null = null;
    for await (const chunk of zip.chunks(entry, (n) => {
      sink.report.progress.bytesRead += n;
    })) {
      decoder ??= createDecoder(looksLikeUtf8(chunk.subarray(0, 65_536)) ? 'utf-8' : 'windows-1252');
      try {
        const text = decoder.write(chunk);
        linesBefore += countLines(text);
        yield text;
      } catch (error) {
        if (!(error instanceof InvalidEncodingError)) throw error;
        const lastBreak = error.validText.lastIndexOf('\n');
        throw importRejected(
          fileName,
          `wrong encoding: byte 0x${error.byte.toString(16).padStart(2, '0')} is not UTF-8 although the start of the file is`,
          {
            entry: entry.name,
            line: linesBefore + countLines(error.validText) + 1,
            column: error.validText.length - lastBreak - 1,
          },
        );
      }
    }
    if (decoder) yield decoder.end();
  };
  const parser = parse({
    delimiter: ';',
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
  });
  const feeding = pipeline(Readable.from(decodedText()), parser);
  feeding.catch(() => {}); // the same error reaches the loop below
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if (columnsOf === null) {
        columnsOf = record.map((c) => c.trim());
        const missing = requiredColumns.filter((c) => !columnsOf!.includes(c));
        if (missing.length) {
          throw importRejected(
            fileName,
            `not a France Compétences CSV file: no column ${missing.join(', ')}`,
            {
              entry: entry.name,
              line: info.lines,
            },
          );
        }
        continue;
      }
      if (record.length !== columnsOf.length) {
        sink.reject({
          line: info.lines,
          code: 'invalid_row',
          message: `${entry.name}: ${record.length} cells where the header has ${columnsOf.length}; row ignored`,
        });
        continue;
      }
      const cells: Record<string, string> = {};
      for (let i = 0; i < columnsOf.length; i++) cells[columnsOf[i]!] = record[i]!;
      yield { line: info.lines, cells };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const lines = (error as CsvError & { lines?: number }).lines;
      throw importRejected(fileName, `malformed or truncated CSV: ${error.message}`, {
        entry: entry.name,
        ...(lines === undefined ? {} : { line: lines }),
      });
    }
    throw error;
  } finally {
    parser.destroy();
  }
  if (columnsOf === null) {
    throw importRejected(fileName, 'empty CSV file (no header)', { entry: entry.name, line: 1 });
  }
}

const countLines = (text: string): number => {
  let n = 0;
  let i = text.indexOf('\n');
  while (i !== -1) {
    n++;
    i = text.indexOf('\n', i + 1);
  }
  return n;
};

/** Reads the bundle in `zip` and yields one record per row of its Standard file. */
export async function* readCsvBundle(
  zip: ZipArchive,
  fileName: string,
  sink: ExportSink,
): AsyncGenerator<FicheRecord> {
  const entries = new Map<CsvFile, ZipEntryInfo>();
  for (const entry of zip.entries) {
    const spec = files.find((f) => f.pattern.test(entry.name));
    if (!spec) {
      sink.unknown(`zip/${entry.name}`);
      continue;
    }
    entries.set(spec.file, entry);
  }
  const standard = entries.get('standard');
  if (!standard)
    throw importRejected(fileName, 'the CSV bundle has no export_fiches_CSV_Standard_*.csv file');

  const details = new Map<CsvFile, Map<string, DetailRow[]>>();
  for (const spec of files) {
    if (spec.file === 'standard') continue;
    const entry = entries.get(spec.file);
    const byFiche = new Map<string, DetailRow[]>();
    details.set(spec.file, byFiche);
    if (!entry) continue;
    for await (const row of csvRows(zip, entry, fileName, sink, spec.columns)) {
      const code = normaliseFicheCode(row.cells.Numero_Fiche);
      if (!code) {
        sink.reject({
          line: row.line,
          code: 'invalid_code',
          message: `${entry.name}: Numero_Fiche "${(row.cells.Numero_Fiche ?? '').trim()}" is not an RNCP or RS code; row ignored`,
        });
        continue;
      }
      const list = byFiche.get(code);
      if (list) list.push(row);
      else byFiche.set(code, [row]);
    }
  }

  const builder = new CsvRecordBuilder(sink, entries);
  for await (const row of csvRows(zip, standard, fileName, sink, files[0]!.columns)) {
    const record = builder.standard(row, standard.name);
    if (!record) continue;
    const take = (file: CsvFile): DetailRow[] => {
      const map = details.get(file)!;
      const rows = map.get(record.code) ?? [];
      map.delete(record.code);
      return rows;
    };
    builder.details(record, {
      certifiers: take('certifiers'),
      partners: take('partners'),
      blocks: take('blocks'),
      rome: take('rome'),
      nsf: take('nsf'),
      formacode: take('formacode'),
      ccn: take('ccn'),
      links: take('links'),
      accessRoutes: take('accessRoutes'),
    });
    yield record;
  }
  // Rows left over name fiches the Standard file does not have.
  for (const [file, byFiche] of details) {
    const entry = entries.get(file);
    for (const [code, rows] of byFiche) {
      sink.reject({
        line: rows[0]!.line,
        code: 'orphan_row',
        message: `${entry?.name ?? file}: ${rows.length} row(s) for ${code}, which the Standard file does not list; ignored`,
      });
    }
  }
}

class CsvRecordBuilder {
  constructor(
    private readonly sink: ExportSink,
    private readonly entries: Map<CsvFile, ZipEntryInfo>,
  ) {}

  private entryName(file: CsvFile): string {
    return this.entries.get(file)?.name ?? file;
  }

  private value<T>(parsed: Parsed<T>, line: number, file: CsvFile, column: string, fiche: string): T | null {
    if (parsed.ok) return parsed.value;
    this.sink.reject({
      line,
      code: 'invalid_value',
      message: `${this.entryName(file)}: ${fiche}: ${column} ${parsed.reason}; value ignored`,
    });
    return null;
  }

  standard(row: CsvRow, entryName: string): FicheRecord | null {
    const c = row.cells;
    const code = normaliseFicheCode(c.Numero_Fiche);
    const reject = (code: string, message: string) => {
      this.sink.reject({ line: row.line, code, message: `${entryName}: ${message}` });
      return null;
    };
    if (!code)
      return reject(
        'invalid_code',
        `Numero_Fiche "${(c.Numero_Fiche ?? '').trim()}" is not an RNCP or RS code; fiche ignored`,
      );
    const title = cleanText(c.Intitule);
    if (!title) return reject('missing_title', `${code}: no Intitule; fiche ignored`);
    const active = parseOuiNon(c.Actif);
    if (!active.ok || active.value === null)
      return reject(
        'invalid_active_flag',
        `${code}: Actif ${active.ok ? 'is empty' : active.reason}; fiche ignored`,
      );

    const record = emptyFicheRecord(code, title, active.value, row.line);
    const date = (column: string) =>
      this.value(parseFrenchDate(c[column]), row.line, 'standard', column, code);
    const bool = (column: string) => this.value(parseOuiNon(c[column]), row.line, 'standard', column, code);
    record.sourceId = this.value(parseInteger(c.Id_Fiche), row.line, 'standard', 'Id_Fiche', code);
    // In the CSV, Abrege_Libelle holds the code (CAP) and Abrege_Intitule the label: the inverse of the XML.
    const abbreviation = emptyToNull(c.Abrege_Libelle);
    record.abbreviation = abbreviation
      ? { code: abbreviation.slice(0, 40), label: cleanText(c.Abrege_Intitule) }
      : null;
    record.level = parseLevel(c.Nomenclature_Europe_Niveau);
    record.levelLabel = cleanText(c.Nomenclature_Europe_Intitule);
    record.accessibleNewCaledonia = bool('Accessible_Nouvelle_Caledonie');
    record.accessibleFrenchPolynesia = bool('Accessible_Polynesie_Francaise');
    record.lastOfficialJournalOn = date('Date_dernier_jo');
    record.decidedOn = date('Date_Decision');
    record.endsOn = date('Date_Fin_Enregistrement');
    record.effectiveOn = date('Date_Effet');
    record.registrationType = cleanText(c.Type_Enregistrement);
    record.partialValidation = bool('Validation_Partielle');
    return record;
  }

  details(record: FicheRecord, rows: Record<Exclude<CsvFile, 'standard'>, DetailRow[]>): void {
    const fiche = record.code;
    for (const row of rows.certifiers) {
      const siret = this.value(
        cleanSiret(row.cells.Siret_Certificateur),
        row.line,
        'certifiers',
        'Siret_Certificateur',
        fiche,
      );
      const name = cleanText(row.cells.Nom_Certificateur) ?? siret;
      if (!name) continue;
      record.certifiers.push({
        siret,
        name: name.slice(0, 500),
        state: null,
        stateChangedOn: null,
        tradeName: null,
        website: null,
      });
    }
    const seenPartners = new Set<string>();
    for (const row of rows.partners) {
      const siretParsed = cleanSiret(row.cells.Siret_Partenaire);
      if (!siretParsed.ok) {
        this.sink.reject({
          line: row.line,
          code: 'invalid_siret',
          message: `${this.entryName('partners')}: ${fiche}: Siret_Partenaire ${siretParsed.reason}; partner ignored`,
        });
        continue;
      }
      const siret = siretParsed.value;
      const habilitationType = parseHabilitationType(row.cells.Habilitation_Partenaire);
      if (!habilitationType) {
        this.sink.reject({
          line: row.line,
          code: 'invalid_habilitation_type',
          message: `${this.entryName('partners')}: ${fiche}: Habilitation_Partenaire "${(row.cells.Habilitation_Partenaire ?? '').trim()}" is not a habilitation type; partner ignored`,
        });
        continue;
      }
      const name = cleanText(row.cells.Nom_Partenaire) ?? siret;
      if (!name) continue;
      const key = `${siret ?? name}|${habilitationType}`;
      if (seenPartners.has(key)) {
        this.sink.reject({
          line: row.line,
          code: 'duplicate_partner',
          message: `${this.entryName('partners')}: ${fiche}: partner ${siret ?? name} (${habilitationType}) listed twice; the repeat is ignored`,
        });
        continue;
      }
      seenPartners.add(key);
      // The CSV has no habilitation state: the partner is declared, its state unknown.
      record.partners.push({
        siret,
        name: name.slice(0, 500),
        habilitationType,
        state: null,
        isActive: false,
        activeSince: null,
        stateChangedOn: null,
        line: row.line,
      });
    }
    const seenBlocks = new Set<string>();
    for (const row of rows.blocks) {
      const code = normaliseSkillBlockCode(row.cells.Bloc_Competences_Code, fiche);
      if (!code || seenBlocks.has(code)) {
        this.sink.reject({
          line: row.line,
          code: code ? 'duplicate_skill_block' : 'invalid_skill_block_code',
          message: `${this.entryName('blocks')}: ${fiche}: skill block "${(row.cells.Bloc_Competences_Code ?? '').trim()}" ${code ? 'appears twice' : 'is not a block code of the fiche'}; ignored`,
        });
        continue;
      }
      seenBlocks.add(code);
      record.skillBlocks.push({
        code,
        title: cleanText(row.cells.Bloc_Competences_Libelle)?.slice(0, 2_000) ?? code,
        competences: null,
        assessmentRules: null,
        entryPrerequisites: null,
        validationPrerequisites: null,
      });
    }
    const codeLabels = (
      list: DetailRow[],
      codeColumn: string,
      labelColumn: string,
      into: FicheRecord['rome'],
    ) => {
      for (const row of list) {
        const code = emptyToNull(row.cells[codeColumn]);
        if (code)
          into.push({
            code: code.slice(0, 40),
            label: stripCodePrefix(cleanText(row.cells[labelColumn]), code),
          });
      }
    };
    codeLabels(rows.rome, 'Codes_Rome_Code', 'Codes_Rome_Libelle', record.rome);
    codeLabels(rows.nsf, 'Nsf_Code', 'Nsf_Intitule', record.nsf);
    codeLabels(rows.formacode, 'Formacode_Code', 'Formacode_Libelle', record.formacodes);
    for (const row of rows.ccn) {
      for (const n of [1, 2, 3]) {
        const number = emptyToNull(row.cells[`Ccn_${n}_Numero`]);
        if (number)
          record.ccn.push({ code: number.slice(0, 40), label: cleanText(row.cells[`Ccn_${n}_Libelle`]) });
      }
    }
    for (const row of rows.links) {
      for (const [column, into] of [
        ['Ancienne_Certification', record.predecessors],
        ['Nouvelle_Certification', record.successors],
      ] as const) {
        const raw = emptyToNull(row.cells[column]);
        if (raw === null) continue;
        const code = normaliseFicheCode(raw);
        if (!code) {
          this.sink.reject({
            line: row.line,
            code: 'invalid_code',
            message: `${this.entryName('links')}: ${fiche}: ${column} "${raw}" is not an RNCP or RS code; link ignored`,
          });
        } else if (!into.includes(code)) into.push(code);
      }
    }
    for (const row of rows.accessRoutes) {
      const label = emptyToNull(row.cells.Si_Jury);
      if (label === null) continue;
      const route = accessRouteOfLabel(label);
      if (!route) {
        this.sink.reject({
          line: row.line,
          code: 'invalid_access_route',
          message: `${this.entryName('accessRoutes')}: ${fiche}: "${label}" is not a known access route; ignored`,
        });
        continue;
      }
      if (!record.accessRoutes.some((r) => r.route === route))
        record.accessRoutes.push({ route, isOpen: true, jury: null, modifiedOn: null });
    }
  }
}
