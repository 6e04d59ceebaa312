import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AccrochageValidation,
  chunkingFixtures,
  validateAccrochageFile,
  validateAccrochageXml,
} from './validate.js';

// The XSD written from formats.md §B, checked on the research sample and on broken copies of it. Every broken
// copy is validated twice, whole in one xmllint run and through the chunked file validation (with chunks
// small enough that the sample is cut in several), and both must give the same errors at the same lines.
// libxml2 validates as it reads: an error about an element's content as a whole (a missing child) is
// reported at the line where that element ends.

const here = path.dirname(fileURLToPath(import.meta.url));
const sample = readFileSync(path.join(here, 'fixtures', 'accrochage-example-synthetic.xml'), 'utf8');
const dir = mkdtempSync(path.join(tmpdir(), 'habilis-xsd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function writeTemp(text: string): string {
  const file = path.join(dir, `flux-${++files}.xml`);
  writeFileSync(file, text);
  return file;
}

/** The line (1-based) of the first occurrence of `needle`. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`not in the text: ${needle}`);
  return text.slice(0, at).split('\n').length;
}

/** The lines (1-based) of every occurrence of `needle`. */
function linesOf(text: string, needle: string): number[] {
  return text.split('\n').flatMap((content, i) => (content.includes(needle) ? [i + 1] : []));
}

/** Replaces exactly one occurrence (the first), failing loudly when the text is not there. */
function mutate(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`not in the sample: ${from}`);
  return text.replace(from, to);
}

/** The schema's errors (the whole-document run makes no other checks). */
const strip = (v: AccrochageValidation) =>
  v.errors.filter((e) => e.source === 'xsd').map((e) => ({ line: e.line, message: e.message }));

async function validateBothWays(text: string, chunkChars = 1500): Promise<AccrochageValidation> {
  const whole = await validateAccrochageXml(text);
  const chunked = await validateAccrochageFile(writeTemp(text), { chunkChars, wholeFileBytes: 0 });
  expect(strip(chunked)).toEqual(strip(whole));
  expect(chunked.valid).toBe(whole.valid);
  return chunked;
}

describe('accrochage XSD 1.1.2', { timeout: 120_000 }, () => {
  it('accepts the sample flux, whole and in chunks', async () => {
    const result = await validateBothWays(sample);
    expect(result).toMatchObject({ valid: true, errors: [], passages: 3 });
  });

  it('answers a document that is not well-formed with an error, not an exception', async () => {
    // In memory, xmllint's stream mode does not say where; validateAccrochageFile does (tests below).
    const result = await validateAccrochageXml(sample.replace('</cpf:prenom1>', '</cpf:prenom>'));
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([
      { line: null, source: 'xsd', message: 'not well-formed: xmllint could not parse it' },
    ]);
  });

  it('accepts its own chunk envelope and stub passage (the chunked validation relies on them)', async () => {
    const { envelopeStart, envelopeEnd, stubPassage } = chunkingFixtures;
    const result = await validateAccrochageXml(envelopeStart('') + stubPassage + envelopeEnd);
    expect(result.errors).toEqual([]);
  });

  const broken: {
    name: string;
    make: () => { text: string; line: number };
    message: RegExp;
    more?: RegExp[];
  }[] = [
    {
      name: 'a mandatory element missing (idTechnique)',
      make: () => {
        const text = mutate(sample, '<cpf:idTechnique>JURY-2026-02-0002</cpf:idTechnique>', '');
        // Reported where that passage ends.
        const start = text.indexOf('<cpf:passageCertification>', text.indexOf('</cpf:passageCertification>'));
        const end = text.indexOf('</cpf:passageCertification>', start);
        return { text, line: text.slice(0, end).split('\n').length };
      },
      message:
        /^Element 'cpf:passageCertification': Missing child element\(s\)\. Expected is .*cpf:idTechnique/,
    },
    {
      name: 'a value over its length (nomNaissance of 61 characters)',
      make: () => ({
        text: mutate(sample, '<cpf:nomNaissance>EXEMPLE<', `<cpf:nomNaissance>${'E'.repeat(61)}<`),
        line: lineOf(sample, '<cpf:nomNaissance>EXEMPLE'),
      }),
      message: /^Element 'cpf:nomNaissance': \[facet 'maxLength'\] The value has a length of '61'/,
    },
    {
      name: 'a value not in its enumeration (sexe X)',
      make: () => ({
        text: mutate(sample, '<cpf:sexe>F</cpf:sexe>', '<cpf:sexe>X</cpf:sexe>'),
        line: lineOf(sample, '<cpf:sexe>F'),
      }),
      message:
        /^Element 'cpf:sexe': \[facet 'enumeration'\] The value 'X' is not an element of the set \{'M', 'F'\}/,
    },
    {
      name: 'a bad access route',
      make: () => ({
        text: mutate(sample, '<cpf:modaliteAcces>VAE<', '<cpf:modaliteAcces>VAE_PARTIELLE<'),
        line: lineOf(sample, '<cpf:modaliteAcces>VAE<'),
      }),
      message: /^Element 'cpf:modaliteAcces': \[facet 'enumeration'\] The value 'VAE_PARTIELLE'/,
    },
    {
      name: 'a time stamp with Z instead of an offset',
      make: () => ({
        text: mutate(sample, '2026-03-02T10:15:00+01:00', '2026-03-02T09:15:00Z'),
        line: lineOf(sample, '<cpf:horodatage>'),
      }),
      message:
        /^Element 'cpf:horodatage': \[facet 'pattern'\] The value '2026-03-02T09:15:00Z' is not accepted/,
    },
    {
      name: 'a time stamp with milliseconds',
      make: () => ({
        text: mutate(sample, '2026-03-02T10:15:00+01:00', '2026-03-02T10:15:00.000+01:00'),
        line: lineOf(sample, '<cpf:horodatage>'),
      }),
      message: /^Element 'cpf:horodatage': \[facet 'pattern'\]/,
    },
    {
      name: 'a date with Z',
      make: () => ({
        text: mutate(sample, '<cpf:dateDebutValidite>2026-02-20<', '<cpf:dateDebutValidite>2026-02-20Z<'),
        line: lineOf(sample, '<cpf:dateDebutValidite>2026-02-20<'),
      }),
      message: /^Element 'cpf:dateDebutValidite': \[facet 'pattern'\] The value '2026-02-20Z'/,
    },
    {
      name: 'a day that does not exist',
      make: () => ({
        text: mutate(sample, '<cpf:dateFinExamen>2026-02-11<', '<cpf:dateFinExamen>2026-02-30<'),
        line: lineOf(sample, '<cpf:dateFinExamen>'),
      }),
      message: /^Element 'cpf:dateFinExamen': '2026-02-30' is not a valid value/,
    },
    {
      name: 'nil on an element that is not nillable (sexe)',
      make: () => ({
        text: mutate(sample, '<cpf:sexe>M</cpf:sexe>', '<cpf:sexe xsi:nil="true"/>'),
        line: lineOf(sample, '<cpf:sexe>M'),
      }),
      message: /^Element 'cpf:sexe': The element is not 'nillable'/,
      // libxml2 also checks the empty value against the enumeration.
      more: [/^Element 'cpf:sexe': \[facet 'enumeration'\] The value '' is not an element/],
    },
    {
      name: 'an empty value where nil is wanted (nomUsage)',
      make: () => ({
        text: mutate(sample, '<cpf:nomUsage xsi:nil="true"/>', '<cpf:nomUsage></cpf:nomUsage>'),
        line: lineOf(sample, '<cpf:nomUsage xsi:nil="true"/>'),
      }),
      message: /^Element 'cpf:nomUsage': \[facet 'minLength'\] The value has a length of '0'/,
    },
    {
      name: 'both branches of the place of birth',
      make: () => ({
        text: mutate(
          sample,
          '</cpf:codeInseeNaissance>',
          '</cpf:codeInseeNaissance><cpf:codePostalNaissance><cpf:codePostal>69003</cpf:codePostal></cpf:codePostalNaissance>',
        ),
        line: lineOf(sample, '</cpf:codeInseeNaissance>'),
      }),
      message: /^Element 'cpf:codePostalNaissance': This element is not expected/,
    },
    {
      name: 'an element the schema does not know (email)',
      make: () => ({
        text: mutate(
          sample,
          '<cpf:prenom2>Marie</cpf:prenom2>',
          '<cpf:email>camille@example.org</cpf:email>',
        ),
        line: lineOf(sample, '<cpf:prenom2>'),
      }),
      message: /^Element 'cpf:email': This element is not expected/,
    },
    {
      name: 'an element twice in an all group',
      make: () => ({
        text: mutate(sample, '<cpf:sexe>M</cpf:sexe>', '<cpf:sexe>M</cpf:sexe><cpf:sexe>M</cpf:sexe>'),
        line: lineOf(sample, '<cpf:sexe>M'),
      }),
      message: /^Element 'cpf:sexe': This element is not expected/,
    },
    {
      name: 'an idClient of 7 characters',
      make: () => ({
        text: mutate(
          sample,
          '<cpf:idClient>99ZZZ001</cpf:idClient>\n    <cpf:certificateurs>',
          '<cpf:idClient>99ZZZ01</cpf:idClient>\n    <cpf:certificateurs>',
        ),
        line: lineOf(sample, '<cpf:idClient>99ZZZ001'),
      }),
      message:
        /^Element 'cpf:idClient': \[facet 'length'\] The value has a length of '7'; this differs from the allowed length of '8'/,
    },
    {
      name: 'a year of birth before 1900',
      make: () => ({
        text: mutate(sample, '<cpf:anneeNaissance>1985<', '<cpf:anneeNaissance>1899<'),
        line: lineOf(sample, '<cpf:anneeNaissance>1985'),
      }),
      message:
        /^Element 'cpf:anneeNaissance': \[facet 'minInclusive'\] The value '1899' is less than the minimum/,
    },
    {
      name: 'a certification without passages',
      make: () => {
        const start = sample.indexOf('<cpf:passageCertification>', sample.indexOf('<cpf:code>RS5568'));
        const end =
          sample.indexOf('</cpf:passageCertification>', start) + '</cpf:passageCertification>'.length;
        const text = sample.slice(0, start) + sample.slice(end);
        // Reported where the empty passageCertifications ends.
        return { text, line: lineOf(text, '<cpf:passageCertifications>\n              \n') + 2 };
      },
      message:
        /^Element 'cpf:passageCertifications': Missing child element\(s\)\. Expected is \( cpf:passageCertification \)/,
    },
    {
      name: 'the wrong namespace',
      make: () => ({
        text: mutate(
          sample,
          'xmlns:cpf="urn:cdc:cpf:pc5:schema:1.0.0"',
          'xmlns:cpf="urn:cdc:cpf:pc5:schema:2.0.0"',
        ),
        line: lineOf(sample, 'xmlns:cpf='),
      }),
      message: /No matching global declaration available for the validation root/,
    },
  ];

  for (const variant of broken) {
    it(`refuses ${variant.name}, with the line and libxml2's message`, async () => {
      const { text, line } = variant.make();
      const result = await validateBothWays(text);
      expect(result.valid).toBe(false);
      const expected = [variant.message, ...(variant.more ?? [])];
      expect(result.errors).toHaveLength(expected.length);
      expected.forEach((message, i) => {
        expect(result.errors[i]).toMatchObject({ line, source: 'xsd' });
        expect(result.errors[i]!.message).toMatch(message);
      });
    });
  }

  it('reports the file line of an error deep in a later chunk, and every error of the file', async () => {
    // Three groups of passages, the second declaring its prefix itself, the third in a default namespace.
    const passage = sample.slice(
      sample.indexOf('<cpf:passageCertification>'),
      sample.indexOf('</cpf:passageCertification>') + '</cpf:passageCertification>'.length,
    );
    let group = 0;
    const many = (n: number, prefix: string) => {
      group++;
      return Array.from({ length: n }, (_, i) =>
        passage
          .replaceAll('cpf:', prefix)
          .replace('JURY-2026-02-0001', `P-${group}-${i}`)
          .replace(`<${prefix}sexe>F<`, i === n - 2 ? `<${prefix}sexe>Z<` : `<${prefix}sexe>F<`),
      ).join('\n');
    };
    const text = sample
      .replace(
        '</cpf:passageCertification>\n              <cpf:passageCertification>',
        `</cpf:passageCertification>\n${many(40, 'cpf:')}\n<cpf:passageCertification>`,
      )
      .replace(
        '<cpf:certification>\n            <cpf:type>RS</cpf:type>',
        `<cpf:certification><cpf:type>RNCP</cpf:type><cpf:code>RNCP1</cpf:code><cpf:passageCertifications>\n${many(30, 'cpf:')}\n</cpf:passageCertifications></cpf:certification>\n<x:certification xmlns:x="urn:cdc:cpf:pc5:schema:1.0.0"><x:type>RNCP</x:type><x:code>RNCP2</x:code><x:passageCertifications>\n${many(30, 'x:')}\n</x:passageCertifications></x:certification>\n<certification xmlns="urn:cdc:cpf:pc5:schema:1.0.0"><type>RNCP</type><code>RNCP3</code><passageCertifications>\n${many(30, '')}\n</passageCertifications></certification>\n<cpf:certification>\n            <cpf:type>RS</cpf:type>`,
      );
    // About ten chunks of a dozen passages.
    const result = await validateBothWays(text, 20_000);
    expect(result.errors.every((e) => e.source === 'xsd')).toBe(true);
    expect(result.passages).toBe(3 + 40 + 30 + 30 + 30);
    const wrongSex = linesOf(text, 'sexe>Z<');
    expect(wrongSex).toHaveLength(4);
    expect(result.errors.map((e) => e.line)).toEqual(wrongSex);
  });
});

const modes = [
  { mode: 'whole', options: {} },
  { mode: 'in chunks', options: { wholeFileBytes: 0, chunkChars: 1500 } },
];

describe.each(modes)(
  'validateAccrochageFile $mode: what the schema cannot say',
  { timeout: 120_000 },
  ({ options }) => {
    it('stops at a file that is not well-formed, with line and column', async () => {
      const text = sample.replace('</cpf:prenom1>', '</cpf:prenom>');
      const result = await validateAccrochageFile(writeTemp(text), options);
      expect(result.valid).toBe(false);
      expect(result.errors).toEqual([
        {
          line: lineOf(sample, '</cpf:prenom1>'),
          column: expect.any(Number),
          source: 'xml',
          message: 'not well-formed: unexpected close tag.',
        },
      ]);
    });

    it('stops at a truncated file', async () => {
      const result = await validateAccrochageFile(writeTemp(sample.slice(0, 2000)), options);
      expect(result.valid).toBe(false);
      expect(result.errors[0]!.source).toBe('xml');
    });

    it('refuses an idTechnique used twice in the file, naming both lines', async () => {
      const text = sample.replace('JURY-2026-02-0002', 'JURY-2026-02-0001');
      const result = await validateAccrochageFile(writeTemp(text), options);
      expect(result.valid).toBe(false);
      expect(result.errors).toEqual([
        {
          line: lineOf(sample, 'JURY-2026-02-0002'),
          source: 'habilis',
          message: `idTechnique 'JURY-2026-02-0001' is already used on line ${lineOf(sample, 'JURY-2026-02-0001')}: each passage needs its own`,
        },
      ]);
    });

    it('refuses an encoding other than UTF-8, and a DOCTYPE', async () => {
      const latin = await validateAccrochageFile(
        writeTemp(sample.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')),
      );
      expect(latin.errors).toEqual([
        {
          line: 1,
          source: 'habilis',
          message: 'the file declares the encoding ISO-8859-1; the CDC takes UTF-8 only',
        },
      ]);
      const doctype = await validateAccrochageFile(
        writeTemp(sample.replace('<cpf:flux ', '<!DOCTYPE cpf:flux>\n<cpf:flux ')),
        options,
      );
      expect(doctype.errors.map((e) => e.message)).toContain('a DOCTYPE has no place in an accrochage flux');
    });

    it('refuses bytes that are not UTF-8', async () => {
      const file = writeTemp('');
      writeFileSync(file, Buffer.from(sample.replace('EXEMPLE', 'EXEMPLÉ'), 'latin1'));
      const result = await validateAccrochageFile(file, options);
      expect(result.valid).toBe(false);
      expect(result.errors[0]).toMatchObject({
        source: 'xml',
        message: expect.stringContaining('not valid UTF-8'),
      });
    });
  },
);
