import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { DetectedEncoding, ImportIssue, Separator, SourceFormat } from './import-item.js';
import { importRejected } from './import-item.js';
import { type JsonElement, JsonRecordScanner } from './json-records.js';
import { type ByteSource, decodeText, TextSourceDecoder } from './text-decoder.js';

/**
 * Reads a public list as rows of named values, whatever its layout: CSV (`;`, `,` or TAB, found from the
 * header) or JSON (array, API answer or NDJSON), in any accepted encoding. Rows are handed over with the
 * line they start on; the importer maps them to records.
 */

/** What a table holds: field → the column names that fill it (old and new names), and which are required. */
export interface TableSpec {
  fields: Record<string, readonly string[]>;
  /** Each group names fields of which at least one must be a column of the file. */
  required: ReadonlyArray<readonly string[]>;
}

export interface ReadTableOptions {
  fileName: string;
  /** Skip encoding detection. */
  encoding?: 'utf-8' | 'windows-1252';
  /** Skip layout detection (`[` or `{` first means JSON). */
  format?: 'csv' | 'json';
  /** Whether JSON is accepted at all (the LPOF is published as CSV only). Default true. */
  allowJson?: boolean;
}

export type TableItem =
  | { kind: 'format'; format: SourceFormat }
  /** Values by field: the first non-empty value among the field's columns; strings for CSV, JSON values. */
  | { kind: 'row'; line: number; values: Record<string, unknown> }
  | { kind: 'reject'; issue: ImportIssue }
  | { kind: 'end'; encoding: DetectedEncoding; bom: boolean };

/**
 * Compares column names the way files spell them differently: case, accents and punctuation ignored, so
 * `certifications.actionsDeFormation` (CSV) and `certifications_actionsdeformation` (Opendatasoft) match.
 */
export function columnKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The separator of a CSV header line: whichever of `;`, `,` and TAB occurs most outside double quotes
 * (`;` wins a tie: French exports use it). Null when the line holds none of them.
 */
export function detectSeparator(headerLine: string): Separator | null {
  const counts = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) counts[ch]++;
  }
  let best: Separator | null = null;
  for (const sep of [';', ',', '\t'] as const) {
    if (counts[sep] > 0 && (best === null || counts[sep] > counts[best])) best = sep;
  }
  return best;
}

/** Longest CSV record accepted: beyond it a quote is almost surely left open, swallowing the file. */
const MAX_RECORD_CHARS = 1_000_000;

/** Streams the rows of a table file. See `TableItem`; errors that make the file unusable throw. */
export async function* readTable(
  source: ByteSource,
  spec: TableSpec,
  options: ReadTableOptions,
): AsyncGenerator<TableItem> {
  const { fileName } = options;
  const decoder = new TextSourceDecoder(fileName, options.encoding);
  const text = decodeText(source, fileName, options.encoding, decoder)[Symbol.asyncIterator]();

  // Read ahead to the first non-blank character (JSON starts with [ or {) and, for a CSV, to the end of
  // the header line; never further, as a JSON array may be one 700 MB line.
  let head = '';
  let exhausted = false;
  let start = -1;
  for (;;) {
    const next = await text.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    head += next.value;
    if (start === -1) start = head.search(/\S/);
    if (start === -1) continue;
    const jsonStart = head[start] === '[' || head[start] === '{';
    if (options.format === 'json' || (options.format !== 'csv' && jsonStart)) break;
    if (head.indexOf('\n', start) !== -1) break;
    if (head.length > MAX_RECORD_CHARS) {
      throw importRejected(fileName, `the header line is longer than ${MAX_RECORD_CHARS} characters`, {
        line: 1,
        reason: 'missing_header',
      });
    }
  }
  async function* replay(): AsyncGenerator<string> {
    if (head.length > 0) yield head;
    head = '';
    if (!exhausted) {
      for (let next = await text.next(); !next.done; next = await text.next()) yield next.value;
    }
  }

  const firstChar = start === -1 ? undefined : head[start];
  const isJson = options.format ? options.format === 'json' : firstChar === '[' || firstChar === '{';
  if (isJson && options.allowJson === false) {
    throw importRejected(fileName, 'this looks like JSON; this list is read as CSV only', {
      line: 1,
      reason: 'wrong_format',
    });
  }
  if (!isJson && firstChar === undefined) {
    throw importRejected(fileName, 'the file is empty: no header line', {
      line: 1,
      reason: 'missing_header',
    });
  }
  try {
    yield* isJson ? readJson(replay(), spec, fileName) : readCsv(replay(), head, spec, fileName);
  } finally {
    // A consumer that stops early (or an error) must not leave the file open.
    await text.return(undefined);
  }
  yield { kind: 'end', encoding: decoder.encoding, bom: decoder.bom };
}

interface ColumnPlan {
  /** For each field, the indexes of its columns, in the file's order. */
  byField: Array<[string, number[]]>;
  format: SourceFormat;
}

/** Matches the file's column names to the spec's fields; missing required fields throw. */
function planColumns(
  names: string[],
  spec: TableSpec,
  fileName: string,
  kind: SourceFormat['kind'],
  separator: Separator | null,
): ColumnPlan {
  const fieldOf = aliasIndex(spec);
  const byField = new Map<string, number[]>();
  const columns: Record<string, string> = {};
  const unknownColumns: string[] = [];
  const seen = new Map<string, string>();
  names.forEach((name, index) => {
    const key = columnKey(name);
    if (key === '') return;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw importRejected(fileName, `the column ${name} appears twice (also as ${earlier})`, {
        line: 1,
        column: name,
        reason: 'duplicate_column',
      });
    }
    seen.set(key, name);
    const field = fieldOf.get(key);
    if (field === undefined) {
      unknownColumns.push(name);
      return;
    }
    const list = byField.get(field) ?? [];
    list.push(index);
    byField.set(field, list);
    columns[field] ??= name;
  });
  const missing = spec.required.filter((group) => !group.some((field) => byField.has(field)));
  if (missing.length > 0) {
    const wanted = missing
      .map((group) => group.map((field) => spec.fields[field]!.join(' or ')).join(', or '))
      .join('; ');
    const what = kind === 'csv' ? 'columns' : 'fields in the first record';
    throw importRejected(
      fileName,
      `missing ${what}: ${wanted}${kind === 'csv' ? ' (the first line must be the header)' : ''}`,
      { line: 1, reason: 'missing_columns' },
    );
  }
  return {
    byField: [...byField.entries()],
    format: { fileName, kind, separator, columns, unknownColumns },
  };
}

const aliasIndexes = new WeakMap<TableSpec, Map<string, string>>();
function aliasIndex(spec: TableSpec): Map<string, string> {
  let index = aliasIndexes.get(spec);
  if (!index) {
    index = new Map();
    for (const [field, names] of Object.entries(spec.fields)) {
      for (const name of names) index.set(columnKey(name), field);
    }
    aliasIndexes.set(spec, index);
  }
  return index;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function pick(cells: ArrayLike<unknown>, plan: ColumnPlan): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, indexes] of plan.byField) {
    let value: unknown = null;
    for (const i of indexes) {
      const cell = cells[i];
      if (!isEmpty(cell)) {
        value = cell;
        break;
      }
    }
    values[field] = value;
  }
  return values;
}

async function* readCsv(
  text: AsyncIterable<string>,
  head: string,
  spec: TableSpec,
  fileName: string,
): AsyncGenerator<TableItem> {
  // Blank lines before the header are skipped, by the parser too.
  const firstLine = head.slice(Math.max(0, head.search(/\S/))).split('\n', 1)[0]!;
  const separator = detectSeparator(firstLine);
  if (separator === null) {
    throw importRejected(
      fileName,
      'the header line holds no separator (; , or TAB): is this the right file, with its header line?',
      { line: 1, reason: 'missing_columns' },
    );
  }
  // The last line of the last record parsed, kept as the parser goes: on an error the parser drops the
  // records it had not handed over yet, so the loop below cannot tell where the trouble starts.
  let lastLine = 0;
  const parser = parse({
    delimiter: separator,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
    on_record: (record, context) => {
      lastLine = context.lines;
      return record;
    },
  });
  pipeline(Readable.from(text), parser, () => {
    // Errors reach the loop below through the parser; nothing to do here.
  });

  let header: string[] | null = null;
  let plan: ColumnPlan | null = null;
  let width = 0;
  let trailingEmpty = false;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const cells = item.record;
      let inner = 0;
      for (const cell of cells) if (cell.includes('\n')) inner += countChar(cell, '\n');
      const line = item.info.lines - inner;
      if (header === null) {
        header = cells.map((c) => c.trim());
        width = header.length;
        // The LPOF ends every line with `;`: an empty last column that is not a column.
        trailingEmpty = width > 1 && header[width - 1] === '';
        plan = planColumns(header, spec, fileName, 'csv', separator);
        yield { kind: 'format', format: plan.format };
        continue;
      }
      const fits =
        cells.length === width ||
        (trailingEmpty && cells.length === width - 1) ||
        (cells.length > width && cells.slice(width).every((c) => c.trim() === ''));
      if (!fits) {
        const shorter = cells.length < width;
        yield {
          kind: 'reject',
          issue: {
            line,
            code: 'field_count',
            message: `the line has ${cells.length} values where the header has ${width - (trailingEmpty ? 1 : 0)}${
              shorter ? ' (truncated line?)' : ` (an unquoted value holding a ${separator}?)`
            }`,
          },
        };
        continue;
      }
      yield { kind: 'row', line, values: pick(cells, plan!) };
    }
  } catch (error) {
    if (error instanceof CsvError) throw csvProblem(error, fileName, lastLine, header);
    throw error;
  }
  if (header === null) {
    throw importRejected(fileName, 'the file is empty: no header line', {
      line: 1,
      reason: 'missing_header',
    });
  }
}

function countChar(text: string, ch: string): number {
  let n = 0;
  for (let at = text.indexOf(ch); at !== -1; at = text.indexOf(ch, at + 1)) n++;
  return n;
}

/** Turns a parser error into the file-level error, with the line and a hint in plain words. */
function csvProblem(error: CsvError, fileName: string, lastLine: number, header: string[] | null) {
  const errorLine = typeof error.lines === 'number' ? error.lines : lastLine + 1;
  const columnIndex = typeof error.index === 'number' ? error.index : undefined;
  const column = header && columnIndex !== undefined ? header[columnIndex] : undefined;
  const where = (line: number) => ({ line, reason: 'broken_quoting', ...(column ? { column } : {}) });
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return importRejected(
        fileName,
        `a quoted value starting on line ${lastLine + 1} or after is never closed (broken quoting, or truncated file)`,
        { line: lastLine + 1, reason: 'broken_quoting' },
      );
    case 'CSV_MAX_RECORD_SIZE':
      return importRejected(
        fileName,
        `the record starting on line ${lastLine + 1} is longer than ${MAX_RECORD_CHARS} characters: a quote is probably left open`,
        { line: lastLine + 1, reason: 'broken_quoting' },
      );
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return importRejected(
        fileName,
        `a quote inside a quoted value${column ? ` (column ${column})` : ''} is not doubled ("")`,
        where(errorLine),
      );
    case 'INVALID_OPENING_QUOTE':
      return importRejected(
        fileName,
        `a quote stands inside an unquoted value${column ? ` (column ${column})` : ''}`,
        where(errorLine),
      );
    default:
      return importRejected(fileName, `unreadable CSV: ${error.message}`, where(errorLine));
  }
}

async function* readJson(
  text: AsyncIterable<string>,
  spec: TableSpec,
  fileName: string,
): AsyncGenerator<TableItem> {
  const scanner = new JsonRecordScanner(fileName);
  let plan: ColumnPlan | null = null;
  // Rejects met before the first good record wait for the format item, which must come first.
  const early: TableItem[] = [];
  const keyCache = new Map<string, string | null>();
  const fieldOf = aliasIndex(spec);

  function* rejectRow(line: number, code: ImportIssue['code'], message: string): Generator<TableItem> {
    const item = reject(line, code, message);
    if (plan === null) early.push(item);
    else yield item;
  }

  function* handle(elements: JsonElement[]): Generator<TableItem> {
    for (const element of elements) {
      if (element.broken) {
        yield* rejectRow(element.line, 'invalid_json', 'this line is not a complete JSON record');
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(element.text);
      } catch (error) {
        yield* rejectRow(element.line, 'invalid_json', `invalid JSON: ${(error as Error).message}`);
        continue;
      }
      const object = unwrap(value);
      if (object === null) {
        yield* rejectRow(element.line, 'not_an_object', 'a record must be a JSON object');
        continue;
      }
      if (plan === null) {
        // The first record's keys stand for the columns: the required ones must be there.
        plan = planColumns(Object.keys(object), spec, fileName, scanner.layout ?? 'json', null);
        yield { kind: 'format', format: plan.format };
        yield* early.splice(0);
      }
      yield { kind: 'row', line: element.line, values: valuesOf(object, fieldOf, keyCache) };
    }
  }

  for await (const chunk of text) yield* handle(scanner.push(chunk));
  yield* handle(scanner.end());
  if (plan === null) {
    // No good record at all: still say how the file was laid out, then what was wrong.
    yield {
      kind: 'format',
      format: { fileName, kind: scanner.layout ?? 'json', separator: null, columns: {}, unknownColumns: [] },
    };
    yield* early;
  }
}

function reject(line: number, code: ImportIssue['code'], message: string): TableItem {
  return { kind: 'reject', issue: { line, code, message } };
}

/** A record, or the `fields` of an Opendatasoft v2.0 record; null for anything that is not an object. */
function unwrap(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const object = value as Record<string, unknown>;
  const inner = object.fields ?? (object.record as Record<string, unknown> | undefined)?.fields;
  if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) {
    return inner as Record<string, unknown>;
  }
  return object;
}

function valuesOf(
  object: Record<string, unknown>,
  fieldOf: Map<string, string>,
  cache: Map<string, string | null>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key in object) {
    // Keys are normalised once per distinct key, not once per record.
    let field = cache.get(key);
    if (field === undefined) {
      field = fieldOf.get(columnKey(key)) ?? null;
      cache.set(key, field);
    }
    if (field === null) continue;
    const value = object[key];
    if (isEmpty(values[field]) && !isEmpty(value)) values[field] = value;
    else values[field] ??= null;
  }
  return values;
}
