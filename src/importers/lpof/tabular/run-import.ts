import type { z } from 'zod';
import type { ImportIssue, ImportIssueCode, ImportItem } from './import-item.js';
import { type ReadTableOptions, readTable, type TableSpec } from './table-reader.js';
import type { ByteSource } from './text-decoder.js';
import type { Parsed } from './values.js';

/**
 * The problems found in one row. A reject means the row is not imported; a warning means the record is
 * imported with that value left null. Issues name the column as the file spells it.
 */
export class RowIssues {
  readonly rejects: ImportIssue[] = [];
  readonly warnings: ImportIssue[] = [];
  /** The row's key once read (NDA, offer id), copied onto every issue. */
  key: string | undefined;

  constructor(
    readonly line: number,
    private readonly columns: Record<string, string>,
  ) {}

  private issue(field: string, code: ImportIssueCode, message: string): ImportIssue {
    return { line: this.line, column: this.columns[field] ?? field, code, message };
  }

  reject(field: string, code: ImportIssueCode, message: string): void {
    this.rejects.push(this.issue(field, code, message));
  }

  warn(field: string, code: ImportIssueCode, message: string): void {
    this.warnings.push(this.issue(field, code, `${message}; value ignored`));
  }

  /** A value the row cannot do without: blank or bad rejects the row. */
  required<T>(field: string, parsed: Parsed<T | null>, code: ImportIssueCode): T | null {
    if (!parsed.ok) {
      this.reject(field, code, parsed.message);
      return null;
    }
    if (parsed.value === null) this.reject(field, 'missing_value', 'this value is required');
    return parsed.value;
  }

  /** A value the row can do without: bad gives a warning and null. */
  optional<T>(field: string, parsed: Parsed<T | null>, code: ImportIssueCode): T | null {
    if (parsed.ok) return parsed.value;
    this.warn(field, code, parsed.message);
    return null;
  }
}

export interface ImportDefinition<T> {
  spec: TableSpec;
  /** The record schema of core: the last check before a record leaves the importer. */
  schema: z.ZodType<T>;
  /** Builds the record from a row's values, or returns null after rejecting it through `issues`. */
  map: (values: Record<string, unknown>, issues: RowIssues) => T | null;
  /** The record's key: a second row with the same key is rejected as a duplicate. */
  keyOf: (record: T) => string;
  /** What the key is, for messages (`NDA`, `offer`). */
  keyName: string;
}

/**
 * Runs one import: reads the table, maps and validates each row, rejects duplicates of a key, and yields
 * the format first and the summary last. Rows are handled one at a time, so memory stays flat except for
 * the set of keys already seen.
 */
export async function* runImport<T>(
  source: ByteSource,
  definition: ImportDefinition<T>,
  options: ReadTableOptions,
): AsyncGenerator<ImportItem<T>> {
  const seen = new Map<string, number>();
  let columns: Record<string, string> = {};
  let rows = 0;
  let records = 0;
  let rejected = 0;
  let warnings = 0;
  for await (const item of readTable(source, definition.spec, options)) {
    switch (item.kind) {
      case 'format':
        columns = item.format.columns;
        yield item;
        break;
      case 'reject':
        rows++;
        rejected++;
        yield item;
        break;
      case 'row': {
        rows++;
        const issues = new RowIssues(item.line, columns);
        const candidate = definition.map(item.values, issues);
        const withKey = (issue: ImportIssue): ImportIssue =>
          issues.key === undefined ? issue : { ...issue, key: issues.key };
        if (candidate === null || issues.rejects.length > 0) {
          rejected++;
          for (const issue of issues.rejects) yield { kind: 'reject', issue: withKey(issue) };
          break;
        }
        const checked = definition.schema.safeParse(candidate);
        if (!checked.success) {
          // The mapping already enforces the schema's rules: reaching this is a bug, still reported per row.
          rejected++;
          const first = checked.error.issues[0];
          yield {
            kind: 'reject',
            issue: withKey({
              line: item.line,
              code: 'invalid_record',
              message: `record invalid at ${first?.path.join('.') || 'root'}: ${first?.message ?? 'unknown'}`,
            }),
          };
          break;
        }
        const key = definition.keyOf(checked.data);
        const firstLine = seen.get(key);
        if (firstLine !== undefined) {
          rejected++;
          yield {
            kind: 'reject',
            issue: {
              line: item.line,
              code: 'duplicate',
              message: `${definition.keyName} ${key} is already on line ${firstLine}`,
              key,
            },
          };
          break;
        }
        seen.set(key, item.line);
        records++;
        warnings += issues.warnings.length;
        for (const issue of issues.warnings) yield { kind: 'warning', issue: withKey(issue) };
        yield { kind: 'record', line: item.line, record: checked.data };
        break;
      }
      case 'end':
        yield {
          kind: 'summary',
          summary: {
            fileName: options.fileName,
            encoding: item.encoding,
            bom: item.bom,
            rows,
            records,
            rejects: rejected,
            warnings,
          },
        };
        break;
    }
  }
}
