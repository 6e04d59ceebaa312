import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../core/errors.js';
import { columnKey, detectSeparator, readTable, type TableItem, type TableSpec } from './table-reader.js';

const spec: TableSpec = {
  fields: { id: ['identifiant', 'id_offre'], name: ['nom'], city: ['ville'] },
  required: [['id'], ['name']],
};

async function read(text: string, options: { format?: 'csv' | 'json'; allowJson?: boolean } = {}) {
  const items: TableItem[] = [];
  for await (const item of readTable(Buffer.from(text, 'utf8'), spec, { fileName: 'list.csv', ...options })) {
    items.push(item);
  }
  return items;
}

async function readError(text: string, options: { allowJson?: boolean } = {}): Promise<AppError> {
  const error = await read(text, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const rows = (items: TableItem[]) => items.filter((i) => i.kind === 'row');
const rejects = (items: TableItem[]) => items.flatMap((i) => (i.kind === 'reject' ? [i.issue] : []));

describe('detectSeparator', () => {
  const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9._]{0,20}$/);
  /** A quoted column name may hold any separator: it must not count. */
  const quoted = fc.string({ maxLength: 12 }).map((s) => `"${s.replaceAll('"', '""')}"`);

  it('property: the separator that joins the header’s names is found, whatever quoted names hold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(name, quoted), { minLength: 2, maxLength: 40 }),
        fc.constantFrom(';' as const, ',' as const, '\t' as const),
        (names, separator) => {
          expect(detectSeparator(names.join(separator))).toBe(separator);
        },
      ),
    );
  });

  it('finds the LPOF header’s `;` despite its trailing separator; null without any', () => {
    expect(detectSeparator('numeroDeclarationActivite;denomination;siren;')).toBe(';');
    expect(detectSeparator('numero_formation')).toBeNull();
  });
});

describe('columnKey', () => {
  it('makes the CSV’s dotted names and Opendatasoft’s flattened ones meet', () => {
    expect(columnKey('certifications.actionsDeFormation')).toBe(
      columnKey('certifications_actionsdeformation'),
    );
    expect(columnKey('Intitulé formation')).toBe(columnKey('intitule_formation'));
  });
});

describe(readTable.name, () => {
  it('maps columns to fields, takes the first non-empty alias, and gives rows their starting line', async () => {
    const items = await read('identifiant;nom;id_offre;autre\n1;"Nom\nsur deux lignes";;x\n;B;2;y\n');
    expect(items[0]).toEqual({
      kind: 'format',
      format: {
        fileName: 'list.csv',
        kind: 'csv',
        separator: ';',
        columns: { id: 'identifiant', name: 'nom' },
        unknownColumns: ['autre'],
      },
    });
    expect(rows(items)).toEqual([
      { kind: 'row', line: 2, values: { id: '1', name: 'Nom\nsur deux lignes' } },
      { kind: 'row', line: 4, values: { id: '2', name: 'B' } },
    ]);
    expect(items.at(-1)).toEqual({ kind: 'end', encoding: 'utf-8', bom: false });
  });

  it('rejects a truncated line, and a line with too many values, and goes on', async () => {
    const items = await read('identifiant,nom,ville\n1,A,Paris\n2,B\n3,C,Lyon,extra\n4,D,Nice\n');
    expect(rows(items).map((r) => (r.kind === 'row' ? r.line : 0))).toEqual([2, 5]);
    expect(rejects(items)).toEqual([
      {
        line: 3,
        code: 'field_count',
        message: 'the line has 2 values where the header has 3 (truncated line?)',
      },
      {
        line: 4,
        code: 'field_count',
        message: 'the line has 4 values where the header has 3 (an unquoted value holding a ,?)',
      },
    ]);
  });

  it('accepts rows with or without the trailing separator the header ends with', async () => {
    const items = await read('identifiant;nom;\n1;A;\n2;B\n');
    expect(rows(items)).toHaveLength(2);
    expect(rejects(items)).toEqual([]);
  });

  it('refuses missing required columns, naming every accepted name', async () => {
    const error = await readError('nom;ville\nA;Paris\n');
    expect(error.code).toBe('import_rejected');
    expect(error.message).toBe(
      'list.csv: line 1: missing columns: identifiant or id_offre (the first line must be the header)',
    );
    expect(error.details).toMatchObject({ file: 'list.csv', line: 1, reason: 'missing_columns' });
  });

  it('refuses a header without separator, a duplicated column, and an empty file', async () => {
    expect((await readError('identifiant\n1\n')).message).toMatch(/holds no separator/);
    expect((await readError('identifiant;nom;Identifiant\n1;A;2\n')).message).toMatch(/appears twice/);
    expect((await readError('')).message).toMatch(/empty/);
  });

  it('refuses broken quoting with the line: an unclosed quote, and a quote not doubled', async () => {
    const unclosed = await readError('identifiant;nom\n1;A\n2;"B\n3;C\n');
    expect(unclosed.message).toBe(
      'list.csv: line 3: a quoted value starting on line 3 or after is never closed (broken quoting, or truncated file)',
    );
    const notDoubled = await readError('identifiant;nom\n1;A\n2;"B"C"\n');
    expect(notDoubled.message).toMatch(/^list\.csv: line 3: a quote inside a quoted value/);
    expect(notDoubled.details).toMatchObject({ line: 3, reason: 'broken_quoting' });
  });

  it('reads JSON when the file starts with [ or {, unless JSON is not allowed', async () => {
    const items = await read('[{"identifiant": 7, "nom": "A", "x": 1}]');
    expect(items[0]).toMatchObject({ kind: 'format', format: { kind: 'json', unknownColumns: ['x'] } });
    expect(rows(items)).toEqual([{ kind: 'row', line: 1, values: { id: 7, name: 'A' } }]);
    expect((await readError('[{"identifiant": 7}]', { allowJson: false })).message).toMatch(/CSV only/);
  });

  it('rejects JSON records that are not objects or not JSON, and checks the first record’s fields', async () => {
    const items = await read('{"id_offre": "1", "nom": "A"}\n[1]\n{"nom": tru}\n');
    expect(rejects(items).map((r) => [r.line, r.code])).toEqual([
      [2, 'not_an_object'],
      [3, 'invalid_json'],
    ]);
    expect((await readError('[{"nom": "A"}]')).message).toMatch(
      /missing fields in the first record: identifiant/,
    );
  });

  it('closes the source when the consumer stops early', async () => {
    for (const layout of ['csv', 'json'] as const) {
      let closed = false;
      async function* source() {
        try {
          yield Buffer.from(layout === 'csv' ? 'identifiant;nom\n' : '[');
          for (let i = 0; ; i++) {
            yield Buffer.from(layout === 'csv' ? `${i};A\n` : `{"identifiant": "${i}", "nom": "A"},`);
          }
        } finally {
          closed = true;
        }
      }
      let rowsRead = 0;
      for await (const item of readTable(source(), spec, { fileName: 'endless' })) {
        if (item.kind === 'row' && ++rowsRead === 3) break;
      }
      expect(rowsRead).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(closed).toBe(true);
    }
  });

  it('yields the format first even when the first JSON line is not valid JSON', async () => {
    const items = await read('{"identifiant": "1", "nom": tru}\n{"identifiant": "2", "nom": "B"}\n');
    expect(items.map((i) => i.kind)).toEqual(['format', 'reject', 'row', 'end']);
  });

  it('reads the records of an Opendatasoft v2.0 answer from their `fields`', async () => {
    const items = await read('{"records": [{"datasetid": "x", "fields": {"identifiant": "1", "nom": "A"}}]}');
    expect(rows(items)).toEqual([{ kind: 'row', line: 1, values: { id: '1', name: 'A' } }]);
  });
});
