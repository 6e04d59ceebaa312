import { createHash } from 'node:crypto';
import { type FicheRecord, ficheRecord, type ImportReject } from '../../core/registry/fiche.schema.js';
import { readCsvBundle } from './csv-bundle.js';
import {
  createDecoder,
  encodingFromBom,
  encodingFromXmlDeclaration,
  InvalidEncodingError,
  isSupportedEncoding,
} from './decode.js';
import {
  CountingFileStream,
  displayNameOf,
  fileSize,
  importRejected,
  readHead,
  sha256OfFile,
  sniffKind,
  ZipArchive,
  type ZipEntryInfo,
} from './source.js';
import { FicheMapper } from './xml-mapper.js';
import { FicheTreeReader, WrongDocumentError, type XmlElement, XmlSyntaxError } from './xml-tree.js';

/**
 * A record and, for the XML flow, a hash of the FICHE element it was read from (element names and texts,
 * not the layout, not the line): equal source hash, equal record. Null for the CSV bundle, whose fiches are
 * spread over ten files.
 */
export interface ExportEntry {
  record: FicheRecord;
  sourceHash: string | null;
}

/** At most this many rejects are kept with their details; the count goes on. */
export const MAX_REJECTS_KEPT = 1_000;

export interface ExportProgress {
  /** Bytes of the file (or of the zip entry being parsed) read so far, and in all. */
  bytesRead: number;
  totalBytes: number;
  fiches: number;
}

/** What the importer tells as it goes and once it is done, besides the records themselves. */
export interface ExportReport {
  fileName: string;
  format: 'xml' | 'csv';
  /** The XML entry of a zip, or null for a plain XML file / the CSV bundle. */
  entryName: string | null;
  /** Where the partners' line numbers point: the XML (entry) or the CSV Partenaires entry. */
  partnersSource: string;
  flowVersion: string | null;
  rejects: ImportReject[];
  rejectedCount: number;
  unknownElements: Map<string, number>;
  progress: ExportProgress;
  /** SHA-256 of the file, known once every record was read. */
  sha256: string | null;
}

const xmlEntryPattern = /\.xml$/i;
const flowEntryPattern = /^(?:.*\/)?export_fiches_(RNCP|RS)_V\d+_\d+_.*\.xml$/i;
const csvStandardPattern = /export_fiches_CSV_Standard_.*\.csv$/i;

/**
 * A France Compétences export opened for reading: the XML flow (`export_fiches_RNCP_V4_1_*.xml`, RS alike,
 * or a zip holding one), or the CSV bundle zip (`export-fiches-csv-*.zip`). Iterate it once to get the
 * normalised, Zod-validated fiche records in file order; `report` fills as it goes (rejects, unknown
 * elements, progress) and gets the file's SHA-256 at the end. A file that cannot be read as an export
 * (malformed or truncated XML, wrong encoding, zip without the expected entry, another kind of file) throws
 * AppError('import_rejected') naming the file, and the line and column when there is one, either from
 * `openFranceCompetencesExport` or during the iteration.
 *
 * @example
 * const source = await openFranceCompetencesExport('export_fiches_RNCP_V4_1_2026-08-16.xml');
 * for await (const fiche of source) console.log(fiche.code, fiche.partners.length);
 * console.log(source.report.rejectedCount);
 */
export class FranceCompetencesExport implements AsyncIterable<FicheRecord> {
  readonly report: ExportReport;
  private started = false;

  constructor(
    private readonly filePath: string,
    report: Omit<ExportReport, 'rejects' | 'rejectedCount' | 'unknownElements' | 'sha256' | 'flowVersion'>,
    private readonly produce: (self: FranceCompetencesExport) => AsyncGenerator<ExportEntry>,
  ) {
    this.report = {
      ...report,
      flowVersion: null,
      rejects: [],
      rejectedCount: 0,
      unknownElements: new Map(),
      sha256: null,
    };
  }

  get path(): string {
    return this.filePath;
  }

  reject(reject: ImportReject): void {
    this.report.rejectedCount++;
    if (this.report.rejects.length < MAX_REJECTS_KEPT) this.report.rejects.push(reject);
  }

  unknown(path: string): void {
    const map = this.report.unknownElements;
    map.set(path, (map.get(path) ?? 0) + 1);
  }

  /** The records in file order. */
  async *[Symbol.asyncIterator](): AsyncGenerator<FicheRecord> {
    for await (const entry of this.entries()) yield entry.record;
  }

  /**
   * The records with the hash of their source (see ExportEntry). Like the iterator, this can be read once.
   */
  async *entries(): AsyncGenerator<ExportEntry> {
    if (this.started) throw new Error('an export can be read once');
    this.started = true;
    const seen = new Set<string>();
    for await (const { record, sourceHash } of this.produce(this)) {
      const checked = ficheRecord.safeParse(record);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        this.reject({
          line: record.line,
          code: 'invalid_fiche',
          message: `${record.code}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}; fiche ignored`,
        });
        continue;
      }
      if (seen.has(record.code)) {
        this.reject({
          line: record.line,
          code: 'duplicate_fiche',
          message: `${record.code} appears twice in the file; the repeat is ignored`,
        });
        continue;
      }
      seen.add(record.code);
      this.report.progress.fiches++;
      yield { record: checked.data, sourceHash };
    }
  }
}

/**
 * Opens an export: sniffs the file, lists a zip's entries and picks the one to read. Throws
 * import_rejected for a file of another kind or a zip without a France Compétences entry.
 */
export async function openFranceCompetencesExport(
  filePath: string,
  options: { displayName?: string } = {},
): Promise<FranceCompetencesExport> {
  const fileName = options.displayName ?? displayNameOf(filePath);
  let head: Buffer;
  let size: number;
  try {
    size = await fileSize(filePath);
    head = await readHead(filePath);
  } catch (error) {
    throw importRejected(fileName, `cannot read the file: ${(error as Error).message}`, {}, error);
  }
  if (size === 0) throw importRejected(fileName, 'the file is empty');
  const kind = sniffKind(head);
  if (kind === 'xml') {
    return new FranceCompetencesExport(
      filePath,
      { fileName, format: 'xml', entryName: null, partnersSource: fileName, progress: progress(size) },
      (self) => xmlFromFile(self, filePath, fileName, head),
    );
  }
  if (kind === 'csv') {
    throw importRejected(
      fileName,
      'a single CSV file: give the whole CSV bundle (export-fiches-csv-YYYY-MM-DD.zip) or the XML flow',
    );
  }
  if (kind !== 'zip') {
    throw importRejected(
      fileName,
      'not a France Compétences export: expected the XML flow (export_fiches_RNCP_V4_1_*.xml or RS), a zip holding it, or the CSV bundle zip',
    );
  }
  const zip = await ZipArchive.open(filePath, fileName);
  const xmlEntries = zip.entries.filter((e) => xmlEntryPattern.test(e.name));
  const xmlEntry =
    xmlEntries.find((e) => flowEntryPattern.test(e.name)) ??
    (xmlEntries.length === 1 ? xmlEntries[0] : undefined);
  if (xmlEntry) {
    return new FranceCompetencesExport(
      filePath,
      {
        fileName,
        format: 'xml',
        entryName: xmlEntry.name,
        partnersSource: `${fileName}/${xmlEntry.name}`,
        progress: progress(xmlEntry.uncompressedSize),
      },
      (self) => xmlFromZip(self, zip, xmlEntry, filePath, fileName),
    );
  }
  const standard = zip.entries.find((e) => csvStandardPattern.test(e.name));
  if (standard) {
    const total = zip.entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
    const partners = zip.entries.find((e) => /export_fiches_CSV_Partenaires_/i.test(e.name));
    return new FranceCompetencesExport(
      filePath,
      {
        fileName,
        format: 'csv',
        entryName: null,
        partnersSource: `${fileName}/${partners?.name ?? 'export_fiches_CSV_Partenaires'}`,
        progress: progress(total),
      },
      (self) => csvFromZip(self, zip, filePath, fileName),
    );
  }
  zip.close();
  if (zip.entries.some((e) => /export_fiches_CSV_/i.test(e.name)))
    throw importRejected(fileName, 'the CSV bundle has no export_fiches_CSV_Standard_*.csv file');
  const names = zip.entries.map((e) => e.name);
  throw importRejected(
    fileName,
    `the zip holds no France Compétences export (expected export_fiches_RNCP_V4_1_*.xml, export_fiches_RS_V4_1_*.xml or the export_fiches_CSV_*.csv files); it holds: ${
      names.length ? names.slice(0, 10).join(', ') + (names.length > 10 ? ', …' : '') : 'nothing'
    }`,
  );
}

const progress = (totalBytes: number): ExportProgress => ({ bytesRead: 0, totalBytes, fiches: 0 });

async function* xmlFromFile(
  self: FranceCompetencesExport,
  filePath: string,
  fileName: string,
  head: Buffer,
): AsyncGenerator<ExportEntry> {
  const stream = new CountingFileStream(filePath);
  const counted = (async function* () {
    for await (const chunk of stream.chunks()) {
      self.report.progress.bytesRead = stream.bytesRead;
      yield chunk;
    }
  })();
  yield* parseXml(self, counted, head, fileName, undefined);
  self.report.sha256 = stream.sha256();
}

async function* xmlFromZip(
  self: FranceCompetencesExport,
  zip: ZipArchive,
  entry: ZipEntryInfo,
  filePath: string,
  fileName: string,
): AsyncGenerator<ExportEntry> {
  try {
    let head: Buffer | null = null;
    const chunks = (async function* () {
      try {
        for await (const chunk of zip.chunks(entry, (n) => {
          self.report.progress.bytesRead += n;
        })) {
          yield chunk;
        }
      } catch (error) {
        if ((error as { code?: string }).code === 'import_rejected') throw error;
        throw importRejected(
          fileName,
          `cannot read the zip entry: ${(error as Error).message}`,
          { entry: entry.name },
          error,
        );
      }
    })();
    // The encoding is decided on the entry's first bytes: take the first chunk, then put it back in front.
    const first = await chunks.next();
    head = first.done ? Buffer.alloc(0) : first.value;
    const all = (async function* () {
      if (!first.done) yield first.value;
      yield* chunks;
    })();
    yield* parseXml(self, all, head, fileName, entry.name);
    self.report.sha256 = await sha256OfFile(filePath);
  } finally {
    zip.close();
  }
}

async function* csvFromZip(
  self: FranceCompetencesExport,
  zip: ZipArchive,
  filePath: string,
  fileName: string,
): AsyncGenerator<ExportEntry> {
  try {
    for await (const record of readCsvBundle(zip, fileName, self)) yield { record, sourceHash: null };
    self.report.sha256 = await sha256OfFile(filePath);
  } finally {
    zip.close();
  }
}

async function* parseXml(
  self: FranceCompetencesExport,
  chunks: AsyncIterable<Buffer>,
  head: Uint8Array,
  fileName: string,
  entry: string | undefined,
): AsyncGenerator<ExportEntry> {
  const declared = encodingFromBom(head) ?? encodingFromXmlDeclaration(head) ?? 'utf-8';
  if (!isSupportedEncoding(declared))
    throw importRejected(fileName, `unsupported encoding "${declared}"`, {
      line: 1,
      column: 0,
      ...(entry ? { entry } : {}),
    });
  const decoder = createDecoder(declared);
  const reader = new FicheTreeReader();
  const mapper = new FicheMapper(self);
  const at = () => ({ line: reader.line, column: reader.column, ...(entry ? { entry } : {}) });

  const feed = (text: string) => {
    try {
      reader.write(text);
    } catch (error) {
      throw xmlError(error, fileName, entry);
    }
  };
  const decode = (chunk: Uint8Array | null): string => {
    try {
      return chunk === null ? decoder.end() : decoder.write(chunk);
    } catch (error) {
      if (!(error instanceof InvalidEncodingError)) throw error;
      // Parse what was valid, so the position given is the bad byte's.
      feed(error.validText);
      throw importRejected(
        fileName,
        `wrong encoding: the file says ${declared} but byte 0x${error.byte.toString(16).padStart(2, '0')} is not ${declared} (was it saved as Windows-1252 / Latin-1?)`,
        at(),
      );
    }
  };

  for await (const chunk of chunks) {
    feed(decode(chunk));
    for (const tree of reader.take()) {
      const record = mapper.map(tree);
      if (record) yield { record, sourceHash: sourceHashOf(tree) };
    }
  }
  feed(decode(null));
  try {
    reader.close();
  } catch (error) {
    throw xmlError(error, fileName, entry);
  }
  for (const tree of reader.take()) {
    const record = mapper.map(tree);
    if (record) yield { record, sourceHash: sourceHashOf(tree) };
  }
  self.report.flowVersion = reader.flowVersion;
  for (const [name, count] of reader.unknownTopLevel)
    self.report.unknownElements.set(`FICHES/${name}`, count);
}

/**
 * The mapping's version: part of every source hash, so that a Habilis that reads fiches differently sees
 * every fiche as changed once (and stores what it now reads) instead of trusting hashes of the old reading.
 */
const MAPPING_VERSION = 'fiche-mapping-1';

/** sha256 of a FICHE element's names and leaf texts, in document order; layout whitespace left out. */
export function sourceHashOf(fiche: XmlElement): string {
  const parts: string[] = [MAPPING_VERSION];
  const walk = (element: XmlElement) => {
    parts.push(element.name);
    if (element.children.length === 0) parts.push(element.text);
    else for (const child of element.children) walk(child);
    parts.push('/');
  };
  walk(fiche);
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

function xmlError(error: unknown, fileName: string, entry: string | undefined) {
  const where = (line: number, column: number) => ({ line, column, ...(entry ? { entry } : {}) });
  if (error instanceof WrongDocumentError) {
    return importRejected(
      fileName,
      `not a France Compétences export: ${error.message}`,
      where(error.line, error.column),
      error,
    );
  }
  if (error instanceof XmlSyntaxError) {
    return importRejected(
      fileName,
      `malformed or truncated XML: ${error.reason}`,
      where(error.line, error.column),
      error,
    );
  }
  return error;
}
