import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { parseAccrochageReport, readAccrochageReport } from './parse.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const samplePath = path.join(here, 'fixtures', 'accuse-traitement-example-synthetic.xml');
const sample = readFileSync(samplePath, 'utf8');
const fluxSample = readFileSync(
  path.join(here, '../../exporters/accrochage/fixtures/accrochage-example-synthetic.xml'),
);
const dir = mkdtempSync(path.join(tmpdir(), 'habilis-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function* bytes(...parts: (string | Uint8Array)[]) {
  for (const p of parts) yield typeof p === 'string' ? new TextEncoder().encode(p) : p;
}

const parse = (text: string | Uint8Array, name = 'accuse.xml') => parseAccrochageReport(bytes(text), name);

/** The AppError a parse rejects with (fails the test when it resolves). */
async function rejection(text: string | Uint8Array, name = 'accuse.xml'): Promise<AppError> {
  const error = await parse(text, name).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  expect(error.code).toBe('import_rejected');
  return error;
}

const report = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<rapport xmlns:ns2="urn:cdc:cpf:pc5:rapport:schema">\n<idFlux>f1</idFlux>\n${body}\n</rapport>\n`;

describe('parseAccrochageReport', { timeout: 60_000 }, () => {
  it('reads the sample report: header, accepted and rejected passages with the CDC messages', async () => {
    const r = await readAccrochageReport(samplePath);
    expect(r).toMatchObject({
      fileName: 'accuse-traitement-example-synthetic.xml',
      depositedFileName: 'accrochage-99ZZZ001-20260302T101500.xml',
      fluxId: '0b6f3c1e-2f4a-4c7e-9d51-6a2b7f1c9e01',
      processingId: '51354',
      accepted: 1,
      rejected: 2,
      warnings: [],
    });
    expect([...r.results.values()]).toEqual([
      {
        idTechnique: 'JURY-2026-02-0002',
        status: 'rejected',
        messages: ['Aucun titulaire ne correspond aux critères obligatoires'],
        lines: [12],
        certificate: undefined,
      },
      {
        idTechnique: 'RS-2026-03-0001',
        status: 'rejected',
        messages: ['Plusieurs titulaires ont été identifiés'],
        lines: [16],
        certificate: undefined,
      },
      {
        idTechnique: 'JURY-2026-02-0001',
        status: 'accepted',
        messages: [],
        lines: [22],
        certificate: undefined,
      },
    ]);
  });

  it('names the certificate behind an idTechnique Habilis made', async () => {
    const id = '2026-000123-6f1c2b9e-4d3a-4e8b-9c1d-2a3b4c5d6e7f';
    const r = await parse(report(`<PassagesOK><idTechnique> ${id} </idTechnique></PassagesOK>`));
    expect(r.results.get(id)?.certificate).toEqual({
      number: '2026-000123',
      id: '6f1c2b9e-4d3a-4e8b-9c1d-2a3b4c5d6e7f',
    });
  });

  it('gives the same answer however the bytes are cut, even inside a character', async () => {
    const whole = await parse(sample);
    const data = new TextEncoder().encode(sample);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: data.length - 1 }), { maxLength: 12 }),
        async (cuts) => {
          const points = [...new Set(cuts)].sort((a, b) => a - b);
          const parts = [0, ...points].map((from, i) => data.subarray(from, points[i] ?? data.length));
          const r = await parseAccrochageReport(bytes(...parts), 'accuse.xml');
          expect([...r.results.values()]).toEqual([...whole.results.values()]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('gathers several rejections of one passage, and takes a passage both accepted and rejected as rejected', async () => {
    const r = await parse(
      report(`<PassagesOK><idTechnique>A</idTechnique></PassagesOK>
<PassagesKO>
<passage><idTechnique>B</idTechnique><messageErreur>first reason</messageErreur></passage>
<passage><messageErreur>second
   reason</messageErreur><idTechnique>B</idTechnique></passage>
<passage><idTechnique>A</idTechnique><messageErreur>identity mismatch</messageErreur></passage>
</PassagesKO>`),
    );
    expect(r.results.get('B')).toMatchObject({
      status: 'rejected',
      messages: ['first reason', 'second reason'],
    });
    expect(r.results.get('A')).toMatchObject({
      status: 'rejected',
      messages: ['identity mismatch'],
      lines: [4, 9],
    });
    expect([r.accepted, r.rejected]).toEqual([0, 2]);
    expect(r.warnings).toEqual([
      { line: 9, message: 'idTechnique A is listed both accepted and rejected (line 4): taken as rejected' },
    ]);
  });

  it('warns of what it skips: an unknown element, a rejection without a message, an empty report', async () => {
    const r = await parse(
      report(`<dateTraitement>2026-03-03</dateTraitement>
<PassagesKO><passage><idTechnique>C</idTechnique></passage></PassagesKO>`),
    );
    expect(r.results.get('C')).toMatchObject({ status: 'rejected', messages: [] });
    expect(r.warnings).toEqual([
      { line: 4, message: 'unknown element <dateTraitement> in <rapport>: skipped' },
      { line: 5, message: 'passage C rejected without a message' },
    ]);
    expect((await parse(report(''))).warnings).toEqual([{ line: 1, message: 'the report lists no passage' }]);
  });

  it('reads a report in another declared encoding', async () => {
    const text = report(
      '<PassagesKO><passage><idTechnique>D</idTechnique><messageErreur>Plusieurs titulaires ont été identifiés</messageErreur></passage></PassagesKO>',
    ).replace('UTF-8', 'ISO-8859-1');
    const r = await parse(iconv.encode(text, 'latin1'));
    expect(r.results.get('D')?.messages).toEqual(['Plusieurs titulaires ont été identifiés']);
  });

  it('reads a large report given in pieces, in time linear in its size', async () => {
    const n = 50_000;
    async function* big() {
      yield new TextEncoder().encode('<rapport><idFlux>big</idFlux><PassagesOK>\n');
      for (let i = 0; i < n; i += 1000) {
        let s = '';
        for (let j = i; j < i + 1000; j++) s += `<idTechnique>ID-${j}</idTechnique>\n`;
        yield new TextEncoder().encode(s);
      }
      yield new TextEncoder().encode('</PassagesOK></rapport>');
    }
    const started = performance.now();
    const r = await parseAccrochageReport(big(), 'big.xml');
    // 1.3 MB: a parse that went back over what it read (quadratic) would take minutes, not a second or two.
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(r.accepted).toBe(n);
    expect(r.results.get('ID-49999')?.lines).toEqual([n + 1]);
  });
});

describe('parseAccrochageReport: files it refuses, naming file, line and column', () => {
  it('a truncated report', async () => {
    const error = await rejection(sample.slice(0, sample.indexOf('</PassagesKO>')), 'cut.xml');
    expect(error.message).toMatch(/^cut\.xml:\d+:\d+: not well-formed XML: /);
    expect(error.details).toMatchObject({
      file: 'cut.xml',
      line: expect.any(Number),
      column: expect.any(Number),
    });
  });

  it('a broken tag, at its line', async () => {
    const error = await rejection(sample.replace('</messageErreur>', '</messageErreu>'), 'broken.xml');
    const line = sample.slice(0, sample.indexOf('</messageErreur>')).split('\n').length;
    expect(error.message).toMatch(new RegExp(`^broken\\.xml:${line}:\\d+: not well-formed XML: `));
    expect(error.details).toMatchObject({ line });
  });

  it('the accrochage flux itself instead of its report', async () => {
    const error = await rejection(fluxSample, 'accrochage.xml');
    expect(error.message).toMatch(
      /^accrochage\.xml:7:\d+: this is an accrochage flux \(what is sent to the CDC\), not the processing report/,
    );
  });

  it('another kind of XML, and what is not XML at all', async () => {
    expect((await rejection('<?xml version="1.0"?>\n<html><body/></html>', 'page.xml')).message).toBe(
      'page.xml:2:6: not a CDC processing report: the root is <html>, expected <rapport>',
    );
    expect((await rejection('idTechnique;statut\nA;OK\n', 'report.csv')).message).toBe(
      'report.csv:1:1: not an XML file (a CDC processing report is XML)',
    );
    expect((await rejection('', 'empty.xml')).message).toBe('empty.xml:1:1: the file is empty');
  });

  it('a passage without its idTechnique, or an empty one', async () => {
    const missing = await rejection(
      report('<PassagesKO>\n<passage><messageErreur>x</messageErreur></passage>\n</PassagesKO>'),
    );
    expect(missing.message).toBe('accuse.xml:5:1: a <passage> without its <idTechnique>');
    const empty = await rejection(report('<PassagesOK><idTechnique>  </idTechnique></PassagesOK>'));
    expect(empty.message).toBe('accuse.xml:4:1: empty <idTechnique> in <PassagesOK>');
  });

  it('what it does not understand where passages are listed', async () => {
    expect((await rejection(report('<PassagesOK><passage>A</passage></PassagesOK>'))).message).toMatch(
      /^accuse\.xml:4:\d+: unexpected <passage> in <PassagesOK>, which lists <idTechnique> elements$/,
    );
    expect(
      (await rejection(report('<PassagesKO><idTechnique>A</idTechnique></PassagesKO>'))).message,
    ).toMatch(/unexpected <idTechnique> in <PassagesKO>, which lists <passage> elements$/);
    expect(
      (await rejection(report('<PassagesKO><passage><code>E1</code></passage></PassagesKO>'))).message,
    ).toMatch(/unexpected <code> in <passage>/);
    expect(
      (await rejection(report('<PassagesOK>A<idTechnique>B</idTechnique></PassagesOK>'))).message,
    ).toMatch(/unexpected text in <PassagesOK>/);
  });

  it('bytes that are not UTF-8, and an unknown encoding', async () => {
    const latin = iconv.encode(sample.replace('critères', 'critères'), 'latin1');
    expect((await rejection(latin)).message).toMatch(/bytes that are not valid UTF-8/);
    const unknown = await rejection(sample.replace('UTF-8', 'X-MARTIAN'));
    expect(unknown.message).toBe('accuse.xml:1:1: unknown encoding X-MARTIAN in the XML declaration');
  });

  it('a file cut in the middle of a character', async () => {
    const data = new TextEncoder().encode(report('<PassagesOK><idTechnique>é</idTechnique></PassagesOK>'));
    const at = data.indexOf(0xc3);
    const error = await rejection(data.subarray(0, at + 1));
    expect(error.message).toMatch(/the file ends in the middle of a character|not well-formed/);
  });

  it('reads from a file on disk, naming it', async () => {
    const file = path.join(dir, 'rapport.xml');
    writeFileSync(file, '<rapport><PassagesOK><idTechnique>A</idTechnique></PassagesOK>');
    const error = await readAccrochageReport(file).catch((e: unknown) => e);
    expect(error instanceof AppError && error.message).toMatch(/^rapport\.xml:1:\d+: not well-formed XML: /);
  });
});
