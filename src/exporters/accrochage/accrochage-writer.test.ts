import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { SaxesParser } from 'saxes';
import { afterAll, describe, expect, it } from 'vitest';
import { buildHolderRecord } from '../../core/accrochage/holder-record.fixture.js';
import type {
  AccrochageHolderRecordInput,
  AccrochageIssuerInput,
} from '../../core/accrochage/holder-record.schema.js';
import { isAppError } from '../../core/errors.js';
import { type AccrochageWriteOptions, writeAccrochageFlux } from './accrochage-writer.js';
import { exportAccrochageFile } from './index.js';
import { validateAccrochageFile } from './validate.js';
import { escapeXml, formatFluxTimestamp } from './xml-text.js';

const dir = mkdtempSync(path.join(tmpdir(), 'habilis-accrochage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const issuer = { clientId: '99ZZZ001', contractId: 'MCFCER999999' };
const fixed: AccrochageWriteOptions = { fluxId: 'flux-test', timestamp: new Date('2026-03-02T09:15:00Z') };

let files = 0;
async function writeFile(
  records: Iterable<unknown> | AsyncIterable<unknown>,
  options = fixed,
  who: AccrochageIssuerInput = issuer,
) {
  const file = path.join(dir, `flux-${++files}.xml`);
  const result = await writeAccrochageFlux(createWriteStream(file), who, records, options);
  return { file, result, text: readFileSync(file, 'utf8') };
}

/** The text of every element named `local`, in document order, as an XML parser reads it back. */
function valuesOf(xml: string, local: string): (string | null)[] {
  const values: (string | null)[] = [];
  const parser = new SaxesParser({ xmlns: true });
  let current: string | null | undefined;
  parser.on('opentag', (tag) => {
    if (tag.local === local)
      current = tag.attributes['xsi:nil'] && typeof tag.attributes['xsi:nil'] !== 'string' ? null : '';
  });
  parser.on('text', (t) => {
    if (current !== undefined && current !== null) current += t;
  });
  parser.on('closetag', (tag) => {
    if (tag.local === local && current !== undefined) {
      values.push(current);
      current = undefined;
    }
  });
  parser.write(xml).close();
  return values;
}

function* series(
  from: number,
  to: number,
  overrides: (n: number) => Partial<AccrochageHolderRecordInput> = () => ({}),
) {
  for (let n = from; n <= to; n++) yield buildHolderRecord(n, overrides(n));
}

describe('writeAccrochageFlux', { timeout: 120_000 }, () => {
  it('writes a flux that validates against the XSD, header and passages as given', async () => {
    const { file, result, text } = await writeFile(series(1, 30));
    expect(result).toMatchObject({
      fluxId: 'flux-test',
      timestamp: '2026-03-02T10:15:00+01:00',
      passages: 30,
    });
    expect(result.leftOut).toEqual([]);
    expect(result.sentCertificateIds).toHaveLength(30);
    expect(result.bytes).toBe(Buffer.byteLength(text));
    const validation = await validateAccrochageFile(file);
    expect(validation.errors).toEqual([]);
    expect(validation).toMatchObject({ valid: true, passages: 30 });
    expect(valuesOf(text, 'idFlux')).toEqual(['flux-test']);
    expect(valuesOf(text, 'horodatage')).toEqual(['2026-03-02T10:15:00+01:00']);
    expect(valuesOf(text, 'idClient')).toEqual(['99ZZZ001', '99ZZZ001']);
    expect(valuesOf(text, 'natureDeposant').every((v) => v === 'CERTIFICATEUR')).toBe(true);
    expect(valuesOf(text, 'idTechnique')[0]).toBe('2026-000001-00000000-0000-4000-8000-000000000001');
  });

  it('maps a holder record field by field', async () => {
    const { file, text } = await writeFile([
      buildHolderRecord(1, {
        certificationCode: 'RS5568',
        optionTitle: 'Option « Sécurité » & <réseaux>',
        obtainedBy: 'scoring',
        score: '812/1000',
        expiresOn: '2029-02-20',
        honours: 'very_good_with_congratulations',
        languageLevel: 'B2',
        accessRoute: 'vae',
        vaeRoute: 'vae_leave',
        registration: { initiative: 'employment_service', registeredOn: '2025-09-01' },
        assessment: {
          startsOn: '2026-02-10',
          endsOn: '2026-02-11',
          modality: 'blended',
          centrePostalCode: '2a004',
        },
        holder: {
          birthName: 'GARCÍA-LÓPEZ',
          usageName: "D'ARTAGNAN",
          firstNames: ['Inès', 'Marie', 'Louise', 'Anne'],
          sex: 'F',
          birthDate: '1990-04-07',
          birthCountryCode: '99109',
          birthCountryName: 'ALLEMAGNE',
        },
      }),
    ]);
    expect((await validateAccrochageFile(file)).errors).toEqual([]);
    const one = (local: string) => valuesOf(text, local)[0];
    expect(one('type')).toBe('RS');
    expect(one('code')).toBe('RS5568');
    expect(one('libelleOption')).toBe('Option « Sécurité » & <réseaux>');
    expect(text).toContain('Option « Sécurité » &amp; &lt;réseaux&gt;');
    expect(one('obtentionCertification')).toBe('PAR_SCORING');
    expect(one('scoring')).toBe('812/1000');
    expect(one('dateDebutValidite')).toBe('2026-02-20');
    expect(one('dateFinValidite')).toBe('2029-02-20');
    expect(one('mentionValidee')).toBe('MENTION_TRES_BIEN_AVEC_FELICITATIONS_DU_JURY');
    expect(one('presenceNiveauLangueEuro')).toBe('true');
    expect(one('niveauLangueEuropeen')).toBe('B2');
    expect(one('modaliteAcces')).toBe('VAE');
    expect(one('voieAccessVAE')).toBe('CONGES_VAE');
    expect(one('initiativeInscription')).toBe('POLE_EMPLOI');
    expect(one('modalitePassageExamen')).toBe('MIXTE');
    expect(one('codePostalCentreExamen')).toBe('2A004');
    expect(one('nomNaissance')).toBe('GARCÍA-LÓPEZ');
    expect(one('nomUsage')).toBe("D'ARTAGNAN");
    expect([one('prenom1'), one('prenom2'), one('prenom3')]).toEqual(['Inès', 'Marie', 'Louise']);
    expect(valuesOf(text, 'prenom4')).toEqual([]);
    expect([one('anneeNaissance'), one('moisNaissance'), one('jourNaissance')]).toEqual(['1990', '4', '7']);
    expect(one('sexe')).toBe('F');
    // Born abroad: the country's INSEE code stands as the commune code, as the CDC's users send it.
    expect(one('codeInsee')).toBe('99109');
    expect(one('codePaysNaissance')).toBe('109');
    expect(one('libellePaysNaissance')).toBe('ALLEMAGNE');
    expect(valuesOf(text, 'libelleCommuneNaissance')).toEqual([]);
  });

  it('writes nil for what is unknown, and France for a commune of birth', async () => {
    const { text } = await writeFile([
      buildHolderRecord(1, {
        accessRoute: null,
        honours: null,
        expiresOn: null,
        holder: {
          birthName: 'MARTIN',
          firstNames: ['Hugo'],
          sex: 'M',
          birthDate: '1985-12-01',
          birthPlaceCode: '69123',
          birthPlaceName: 'LYON',
        },
      }),
    ]);
    for (const nil of ['dateFinValidite', 'scoring', 'mentionValidee', 'modaliteAcces', 'nomUsage'])
      expect(valuesOf(text, nil), nil).toEqual([null]);
    expect(valuesOf(text, 'codeInsee')).toEqual(['69123']);
    expect(valuesOf(text, 'libelleCommuneNaissance')).toEqual(['LYON']);
    expect(valuesOf(text, 'codePaysNaissance')).toEqual(['100']);
    expect(valuesOf(text, 'libellePaysNaissance')).toEqual(['FRANCE']);
  });

  it('leaves out wrong records with field-level reasons and writes the others', async () => {
    const records = [
      buildHolderRecord(1),
      buildHolderRecord(2, {
        holder: { ...(buildHolderRecord(2).holder as object), birthPlaceCode: null } as never,
      }),
      buildHolderRecord(3, { awardedOn: undefined }),
      buildHolderRecord(1),
      buildHolderRecord(4, { skillBlockCodes: ['RNCP37674BC01'] }),
      'not a record',
      buildHolderRecord(5),
    ];
    const { file, result } = await writeFile(records);
    expect(result.passages).toBe(2);
    expect(result.sentCertificateIds).toEqual([
      '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000005',
    ]);
    expect(result.leftOut.map((l) => [l.index, l.messages])).toEqual([
      [
        1,
        [
          'DUBOIS Léa (certificate 2026-000002): birth place missing (the INSEE code of the commune of birth, or the country for a birth abroad)',
        ],
      ],
      [2, ['THOMAS Hugo (certificate 2026-000003): award date missing']],
      [
        3,
        [
          'BERNARD Dominique (certificate 2026-000001): certificate appears twice in this export (only its first record is written)',
        ],
      ],
      [
        4,
        [
          expect.stringContaining(
            '(certificate 2026-000004): skill blocks show a certification by blocks only',
          ),
        ],
      ],
      [5, ['record #6: record must be an object']],
    ]);
    expect(result.leftOut[0]!.certificateId).toBe('00000000-0000-4000-8000-000000000002');
    expect((await validateAccrochageFile(file)).valid).toBe(true);
  });

  it('writes nothing when no record is valid (a flux needs a passage)', async () => {
    const { result, text } = await writeFile([{}, buildHolderRecord(1, { certificationCode: 'XYZ' })]);
    expect(result.passages).toBe(0);
    expect(result.bytes).toBe(0);
    expect(result.leftOut).toHaveLength(2);
    expect(text).toBe('');
  });

  it('groups consecutive records of a certification, and opens a group again for a code met later', async () => {
    const codes = ['RNCP37674', 'RNCP37674', 'RS5568', 'RS5568', 'RS5568', 'RNCP37674'];
    const { file, result, text } = await writeFile(
      codes.map((code, i) => buildHolderRecord(i + 1, { certificationCode: code })),
    );
    expect(result.certifications).toEqual([
      { code: 'RNCP37674', passages: 2 },
      { code: 'RS5568', passages: 3 },
      { code: 'RNCP37674', passages: 1 },
    ]);
    expect(valuesOf(text, 'code')).toEqual(['RNCP37674', 'RS5568', 'RNCP37674']);
    expect(valuesOf(text, 'type')).toEqual(['RNCP', 'RS', 'RNCP']);
    expect((await validateAccrochageFile(file)).valid).toBe(true);
  });

  it('stops at the passages limit, and says which record waits for the next file', async () => {
    let pulled = 0;
    function* counted() {
      for (const r of series(1, 10)) {
        pulled++;
        yield r;
      }
    }
    const { file, result } = await writeFile(counted(), { ...fixed, maxPassages: 3 });
    expect(result.passages).toBe(3);
    expect(result.full).toBe(true);
    expect(result.leftOut).toHaveLength(1);
    expect(result.leftOut[0]!.messages[0]).toContain('not in this file: it is full (3 passages)');
    expect(pulled).toBe(4);
    expect((await validateAccrochageFile(file)).valid).toBe(true);
  });

  it('stops before the byte limit, the file closed and valid', async () => {
    const { file, result, text } = await writeFile(series(1, 50), { ...fixed, maxBytes: 12_000 });
    expect(result.full).toBe(true);
    expect(result.passages).toBeGreaterThan(0);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(12_000);
    expect(result.bytes).toBe(Buffer.byteLength(text));
    expect((await validateAccrochageFile(file)).valid).toBe(true);
  });

  it('declares a trusted third party depositing for the certifier', async () => {
    const { text } = await writeFile(series(1, 1), fixed, { ...issuer, depositorClientId: '77TTT777' });
    expect(valuesOf(text, 'idClient')).toEqual(['77TTT777', '99ZZZ001']);
    expect(valuesOf(text, 'natureDeposant')).toEqual(['TIERS_CONFIANCE']);
  });

  it('refuses a wrong issuer or flux id before writing anything', async () => {
    const error = await writeFile(series(1, 1), fixed, { clientId: '99ZZZ01', contractId: '' }).catch(
      (e) => e,
    );
    expect(isAppError(error) && error.code).toBe('validation_failed');
    expect(isAppError(error) && error.fields?.map((f) => f.field)).toEqual(['clientId', 'contractId']);
    const long = await writeFile(series(1, 1), { fluxId: 'x'.repeat(51) }).catch((e) => e);
    expect(isAppError(long) && long.code).toBe('validation_failed');
  });

  it('streams: it writes as it reads and waits for a slow destination', async () => {
    // A destination that takes its time: each write is acknowledged on a later turn of the event loop.
    let pulled = 0;
    let pulledAtFirstWrite = -1;
    let mostBuffered = 0;
    let received = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        if (pulledAtFirstWrite < 0) pulledAtFirstWrite = pulled;
        received += chunk.length;
        setImmediate(done);
      },
    });
    async function* source() {
      for (let n = 1; n <= 3000; n++) {
        pulled++;
        mostBuffered = Math.max(mostBuffered, slow.writableLength);
        yield buildHolderRecord(n);
      }
    }
    const result = await writeAccrochageFlux(slow, issuer, source(), fixed);
    expect(result.passages).toBe(3000);
    expect(received).toBe(result.bytes);
    // The first bytes left after a few dozen records, not after all of them…
    expect(pulledAtFirstWrite).toBeGreaterThan(0);
    expect(pulledAtFirstWrite).toBeLessThan(100);
    // …and what waits in the destination stays around one 64 KiB batch, not the 5 MB document.
    expect(mostBuffered).toBeLessThan(200 * 1024);
  });

  it('destroys the destination and rethrows when the records fail to arrive', async () => {
    const file = path.join(dir, 'broken.xml');
    const out = createWriteStream(file);
    async function* failing() {
      yield buildHolderRecord(1);
      throw new Error('database gone');
    }
    const closed = once(out, 'close');
    await expect(writeAccrochageFlux(out, issuer, failing(), fixed)).rejects.toThrow('database gone');
    expect(out.destroyed).toBe(true);
    await closed;
  });
});

describe('formatFluxTimestamp', () => {
  it('writes local time with its offset, in winter and summer, and never Z', () => {
    expect(formatFluxTimestamp(new Date('2026-01-15T12:00:00Z'))).toBe('2026-01-15T13:00:00+01:00');
    expect(formatFluxTimestamp(new Date('2026-07-15T12:00:00.999Z'))).toBe('2026-07-15T14:00:00+02:00');
    expect(formatFluxTimestamp(new Date('2026-07-15T23:30:00Z'))).toBe('2026-07-16T01:30:00+02:00');
    expect(formatFluxTimestamp(new Date('2026-07-15T00:00:00Z'), 'UTC')).toBe('2026-07-15T00:00:00+00:00');
    expect(formatFluxTimestamp(new Date('2026-07-15T12:00:00Z'), 'America/Cayenne')).toBe(
      '2026-07-15T09:00:00-03:00',
    );
    expect(formatFluxTimestamp(new Date('2026-07-15T12:00:00Z'), 'Pacific/Noumea')).toBe(
      '2026-07-15T23:00:00+11:00',
    );
  });
});

describe('escapeXml', () => {
  it('escapes markup and leaves the rest alone', () => {
    expect(escapeXml('a & b < c > d "e" ]]>')).toBe('a &amp; b &lt; c &gt; d &quot;e&quot; ]]&gt;');
    expect(escapeXml("L'Haÿ-les-Roses")).toBe("L'Haÿ-les-Roses");
  });
});

describe('exportAccrochageFile', { timeout: 120_000 }, () => {
  it('puts a file under its name only once it has passed the schema', async () => {
    const target = path.join(dir, 'export.xml');
    const result = await exportAccrochageFile(target, issuer, series(1, 5), fixed);
    expect(result).toMatchObject({ file: target, passages: 5, validation: { valid: true, errors: [] } });
    expect(existsSync(`${target}.partial`)).toBe(false);
    expect(readFileSync(target, 'utf8')).toContain('<cpf:flux ');
  });

  it('keeps a refused file aside, never under its name', async () => {
    const target = path.join(dir, 'refused.xml');
    const refusal = { line: 3, source: 'xsd' as const, message: "Element 'cpf:idFlux': refused" };
    const result = await exportAccrochageFile(target, issuer, series(1, 2), {
      ...fixed,
      validate: async () => ({ valid: false, errors: [refusal], truncated: false, passages: 2 }),
    });
    expect(result.file).toBe(`${target}.invalid`);
    expect(result.validation?.errors).toEqual([refusal]);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.invalid`)).toBe(true);
  });

  it('leaves no file when no record could be written', async () => {
    const target = path.join(dir, 'nothing.xml');
    const result = await exportAccrochageFile(target, issuer, [{}], fixed);
    expect(result).toMatchObject({ file: null, validation: null, passages: 0 });
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.partial`)).toBe(false);
  });
});
