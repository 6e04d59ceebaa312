import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import type { FicheRecord } from '../../core/registry/fiche.schema.js';
import { type FranceCompetencesExport, openFranceCompetencesExport } from './export.js';
import { buildZip } from './zip-writer.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const rncpXml = path.join(fixtures, 'rncp-v4.1-fiches-sample.xml');
const rsXml = path.join(fixtures, 'rs-v4.1-fiches-sample.xml');
const csvZip = path.join(fixtures, 'export-fiches-csv-2024-02-22.zip');

const dir = mkdtempSync(path.join(tmpdir(), 'habilis-fc-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `content` to a temp file named `name` (in a directory of its own) and returns its path. */
function file(name: string, content: string | Buffer): string {
  const target = path.join(mkdtempSync(path.join(dir, 'f-')), name);
  writeFileSync(target, content);
  return target;
}

async function readAll(
  filePath: string,
): Promise<{ records: FicheRecord[]; source: FranceCompetencesExport }> {
  const source = await openFranceCompetencesExport(filePath);
  const records: FicheRecord[] = [];
  for await (const record of source) records.push(record);
  return { records, source };
}

/** The AppError an import of `filePath` throws (at opening or while reading), or fails the test. */
async function rejection(filePath: string): Promise<AppError> {
  try {
    await readAll(filePath);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`${filePath} was imported without error`);
}

const byCode = (records: FicheRecord[], code: string) => {
  const record = records.find((r) => r.code === code);
  if (!record) throw new Error(`${code} not found`);
  return record;
};

/** 1-based line of the first line of `text` that contains `needle` (after `from`). */
const lineOf = (text: string, needle: string, from = 0) =>
  text.slice(0, text.indexOf(needle, from)).split('\n').length;

describe('the XML flow (real RNCP sample)', () => {
  it('reads every fiche with its normalised values', async () => {
    const { records, source } = await readAll(rncpXml);
    expect(records.map((r) => r.code)).toEqual(['RNCP35809', 'RNCP35419', 'RNCP40344']);
    expect(source.report).toMatchObject({
      format: 'xml',
      flowVersion: '4.1',
      rejectedCount: 0,
      progress: { fiches: 3, bytesRead: 78_479, totalBytes: 78_479 },
    });
    expect(source.report.unknownElements.size).toBe(0);
    expect(source.report.sha256).toMatch(/^[0-9a-f]{64}$/);

    const fiche = byCode(records, 'RNCP35419');
    expect(fiche).toMatchObject({
      register: 'RNCP',
      sourceId: 20971,
      title: 'Expert en ingénierie du logiciel',
      level: 7,
      levelLabel: 'Niveau 7',
      state: 'Publiée',
      isActive: false,
      registrationType: 'Enregistrement sur demande',
      decidedOn: '2021-03-17',
      endsOn: '2026-03-17',
      registrationYears: 5,
      hasPartners: true,
      accessibleNewCaledonia: false,
      predecessors: ['RNCP11543'],
      successors: ['RNCP42147'],
      url: 'https://www.intechinfo.fr',
    });
    expect(fiche.certifiers).toEqual([
      {
        siret: '31134913800017',
        name: 'ECOLE SUP INFORMATIQUE ELECTRON AUTOMAT',
        state: 'Actif',
        stateChangedOn: null,
        tradeName: null,
        website: null,
      },
    ]);
    expect(fiche.skillBlocks.map((b) => b.code)).toEqual([
      'RNCP35419BC01',
      'RNCP35419BC02',
      'RNCP35419BC03',
      'RNCP35419BC04',
    ]);
    expect(fiche.skillBlocks[0]).toMatchObject({
      title: 'Gestion de la relation client en ingénierie du logiciel',
      assessmentRules: 'Cas pratiques    Mise en situation professionnelle simulée',
    });
    expect(fiche.skillBlocks[0]!.competences).toMatch(/^C\.1\. Organiser et conduire une réunion/);
    expect(fiche.accessRoutes.map((r) => [r.route, r.isOpen])).toEqual([
      ['FI', true],
      ['CA', true],
      ['FC', true],
      ['CQ', true],
      ['CL', true],
      ['VAE', true],
    ]);
    expect(fiche.statistics[1]).toEqual({
      year: 2018,
      certified: 28,
      certifiedByVae: 0,
      insertionRate6Months: 100,
      jobInsertionRate6Months: null,
      jobInsertionRate2Years: 71,
    });
    expect(fiche.texts.activities).toMatch(/^Activité 1 : Gestion de la relation client/);
  });

  it('keeps each declared partner with its habilitation, state, dates and the line of its element', async () => {
    const { records } = await readAll(rncpXml);
    const text = readFileSync(rncpXml, 'utf8');
    const partners = byCode(records, 'RNCP35419').partners;
    expect(partners).toHaveLength(3);
    expect(partners[1]).toEqual({
      siret: '88877726500016',
      name: 'ISCOD',
      habilitationType: 'HABILITATION_ORGA_FORM',
      state: 'Actif',
      isActive: true,
      activeSince: '2023-04-12',
      stateChangedOn: '2023-04-12',
      line: lineOf(text, '<NOM_PARTENAIRE>ISCOD') - 1,
    });
    expect(partners[0]!.activeSince).toBeNull();
    expect(byCode(records, 'RNCP40344').partners).toHaveLength(24);
  });

  it('makes lists of single-child containers and keeps a certifier without SIRET', async () => {
    const { records } = await readAll(rncpXml);
    const bts = byCode(records, 'RNCP35809');
    expect(bts.successors).toEqual(['RNCP41827']);
    expect(bts.predecessors).toEqual(['RNCP1020']);
    expect(bts.formacodes).toEqual([{ code: '22454', label: 'Bâtiment second oeuvre' }]);
    expect(bts.abbreviation).toEqual({ code: 'BTS', label: 'Brevet de technicien supérieur' });
    expect(bts.partners).toEqual([]);
    expect(bts.hasPartners).toBe(false);
    expect(bts.publications).toHaveLength(3);
    expect(bts.effectiveOn).toBe('2021-09-01');

    const vet = byCode(records, 'RNCP40344');
    expect(vet.state).toBe('Modifications à valider');
    expect(vet.certifiers.map((c) => [c.siret, c.name])).toEqual([
      ['52875765100013', 'ANIMAL PRO FORMATION'],
      [null, 'SNVEL'],
    ]);
    expect(vet.deliveryDeadline).toBe('2032-03-28');
    expect(vet.correspondences).toHaveLength(8);
    expect(vet.correspondences[0]).toEqual({
      sourceSkillBlocks: ['RNCP40344BC04'],
      targetCode: 'RNCP37507',
      targetSkillBlocks: ['RNCP37507BC04'],
    });
    expect(vet.accessRoutes.find((r) => r.route === 'FI')).toEqual({
      route: 'FI',
      isOpen: false,
      jury: null,
      modifiedOn: null,
    });
  });
});

describe('the XML flow (real RS sample)', () => {
  it('reads RS fiches: no level, no blocs, entities decoded, route dates', async () => {
    const { records, source } = await readAll(rsXml);
    expect(records.map((r) => [r.code, r.register, r.isActive, r.level])).toEqual([
      ['RS5000', 'RS', false, null],
      ['RS5568', 'RS', true, null],
      ['RS6604', 'RS', true, null],
    ]);
    expect(source.report.rejectedCount).toBe(0);
    expect(byCode(records, 'RS5000').successors).toEqual(['RS6604']);
    expect(byCode(records, 'RS5000').partialValidation).toBe(false);
    const cci = byCode(records, 'RS5568');
    expect(cci.partners.map((p) => p.name)).toContain('CHAMBRE COMMERCE & INDUSTRIE HTE SAVOI');
    expect(cci.accessRoutes.find((r) => r.route === 'FI')?.modifiedOn).toBe('2021-11-10');
    expect(cci.accessRoutes.some((r) => r.route === 'CA')).toBe(false);
    expect(cci.skillBlocks).toEqual([]);
  });

  it('reads the flow from a zip entry (streamed by yauzl) exactly as from the file', async () => {
    const plain = await readAll(rsXml);
    const zipped = file(
      'export-fiches-rs-v4-1-2026-08-16.zip',
      buildZip([{ name: 'export_fiches_RS_V4_1_2026-08-16.xml', data: readFileSync(rsXml) }]),
    );
    const { records, source } = await readAll(zipped);
    expect(records).toEqual(plain.records);
    expect(source.report.entryName).toBe('export_fiches_RS_V4_1_2026-08-16.xml');
    expect(source.report.sha256).toBe(
      (await import('node:crypto')).createHash('sha256').update(readFileSync(zipped)).digest('hex'),
    );
  });
});

describe('the CSV bundle (real sample zip)', () => {
  it('joins the ten files into one record per Standard row, with the quirks handled', async () => {
    const { records, source } = await readAll(csvZip);
    expect(records.map((r) => r.code)).toEqual([
      'RNCP509',
      'RNCP1197',
      'RNCP4049',
      'RNCP22094',
      'RNCP28155',
      'RNCP30271',
      'RS5000',
      'RNCP19468',
      'RS6117',
    ]);
    expect(source.report.format).toBe('csv');
    const cap = byCode(records, 'RNCP509');
    expect(cap).toMatchObject({
      sourceId: 14791,
      title: "Agent vérificateur d'appareils extincteurs",
      // Abrege_Libelle holds the code in the CSV.
      abbreviation: { code: 'CAP', label: "Certificat d'aptitude professionnelle" },
      level: 3,
      isActive: false,
      endsOn: '2023-08-31',
      registrationType: 'Enregistrement de droit',
      accessibleNewCaledonia: false,
      successors: ['RNCP38228'],
    });
    // The TAB before the SIRET is gone.
    expect(cap.certifiers).toEqual([
      {
        siret: '11004301500012',
        name: "MINISTERE DE L'EDUCATION NATIONALE ET DE LA JEUNESSE",
        state: null,
        stateChangedOn: null,
        tradeName: null,
        website: null,
      },
    ]);
    // Blocs_De_Compétences: its zip entry name is UTF-8 without the UTF-8 flag.
    expect(cap.skillBlocks.map((b) => b.code)).toEqual([
      'RNCP509BC05',
      'RNCP509BC06',
      'RNCP509BC01',
      'RNCP509BC02',
      'RNCP509BC03',
      'RNCP509BC04',
    ]);
    expect(cap.accessRoutes.map((r) => r.route).sort()).toEqual(['CA', 'CL', 'CQ', 'FC', 'FI', 'VAE']);
    expect(cap.nsf).toEqual([{ code: '251', label: 'Mécanique générale et de précision, usinage' }]);
    expect(cap.formacodes).toEqual([{ code: '42872', label: 'Sécurité incendie' }]);
    // Doubled apostrophes of the ROME file.
    expect(byCode(records, 'RNCP4049').rome).toContainEqual({
      code: 'H1102',
      label: "Management et ingénierie d'affaires",
    });
    expect(byCode(records, 'RNCP4049').predecessors).toEqual(['RNCP1197']);
    expect(byCode(records, 'RNCP19468').ccn).toEqual([
      { code: '3117', label: 'Boulangerie-pâtisserie (Entreprises artisanales)' },
    ]);
    expect(byCode(records, 'RNCP19468').level).toBeNull();

    const partners = byCode(records, 'RS6117').partners;
    expect(partners).toHaveLength(6);
    expect(partners[0]).toEqual({
      siret: '18974011100035',
      name: 'URMA - CENTRE FORMATION STE CLOTILDE',
      habilitationType: 'HABILITATION_ORGA_FORM',
      state: null,
      isActive: false,
      activeSince: null,
      stateChangedOn: null,
      line: 5,
    });
    expect(byCode(records, 'RS5000')).toMatchObject({
      isActive: true,
      partialValidation: false,
      decidedOn: '2019-06-13',
    });
  });

  it('reports detail rows whose fiche the Standard file lacks', async () => {
    const { source } = await readAll(csvZip);
    expect(source.report.rejects).toEqual([
      {
        line: 3,
        code: 'orphan_row',
        message: expect.stringContaining('RNCP38228, which the Standard file does not list'),
      },
    ]);
  });

  it('reads a bundle saved in Windows-1252 as the UTF-8 one', async () => {
    const entries = csvEntries;
    const recoded = file(
      'export-fiches-csv-2024-02-22.zip',
      buildZip(entries.map((e) => ({ name: e.name, data: iconv.encode(e.text, 'windows-1252') }))),
    );
    const utf8 = await readAll(csvZip);
    const latin = await readAll(recoded);
    expect(latin.records).toEqual(utf8.records);
  });
});

/** The real bundle's entries, decoded (read with the importer's own zip reader). */
const csvEntries: { name: string; text: string }[] = await (async () => {
  const { ZipArchive } = await import('./source.js');
  const zip = await ZipArchive.open(csvZip, 'fixture');
  const out: { name: string; text: string }[] = [];
  for (const entry of zip.entries) {
    const parts: Buffer[] = [];
    for await (const chunk of zip.chunks(entry)) parts.push(chunk);
    out.push({ name: entry.name, text: Buffer.concat(parts).toString('utf8') });
  }
  zip.close();
  return out;
})();

describe('values it cannot take', () => {
  const fiche = (inner: string) => `  <FICHE>\n${inner}\n  </FICHE>\n`;
  const flow = (...fiches: string[]) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<FICHES>\n  <VERSION_FLUX>4.1</VERSION_FLUX>\n${fiches.join('')}</FICHES>\n`;

  it('drops bad values with a reject naming the line, and ignores unknown elements with a count', async () => {
    const xml = flow(
      fiche(
        [
          '    <NUMERO_FICHE>rncp 0123</NUMERO_FICHE>',
          '    <INTITULE>Titre d&apos;essai</INTITULE>',
          '    <DATE_FIN_ENREGISTREMENT>31/02/2024</DATE_FIN_ENREGISTREMENT>',
          '    <NOUVEAU_CHAMP_2027>x</NOUVEAU_CHAMP_2027>',
          '    <PARTENAIRES>',
          '      <PARTENAIRE>',
          '        <NOM_PARTENAIRE>BON</NOM_PARTENAIRE>',
          '        <SIRET_PARTENAIRE> 808 750 764 00025 </SIRET_PARTENAIRE>',
          '        <HABILITATION_PARTENAIRE>HABILITATION_FORMER</HABILITATION_PARTENAIRE>',
          '        <ETAT_PARTENAIRE>Inactif</ETAT_PARTENAIRE>',
          '      </PARTENAIRE>',
          '      <PARTENAIRE>',
          '        <NOM_PARTENAIRE>MAUVAIS</NOM_PARTENAIRE>',
          '        <SIRET_PARTENAIRE>1234</SIRET_PARTENAIRE>',
          '        <HABILITATION_PARTENAIRE>HABILITATION_FORMER</HABILITATION_PARTENAIRE>',
          '      </PARTENAIRE>',
          '    </PARTENAIRES>',
          '    <BLOCS_COMPETENCES>',
          '      <BLOC_COMPETENCES><CODE>1</CODE><LIBELLE>Bloc un</LIBELLE><NOTE>?</NOTE></BLOC_COMPETENCES>',
          '    </BLOCS_COMPETENCES>',
          '    <ACTIF>Oui</ACTIF>',
        ].join('\n'),
      ),
      fiche('    <INTITULE>Sans numéro</INTITULE>\n    <ACTIF>Oui</ACTIF>'),
      fiche(
        '    <NUMERO_FICHE>RNCP123</NUMERO_FICHE>\n    <INTITULE>Doublon</INTITULE>\n    <ACTIF>Non</ACTIF>',
      ),
      fiche('    <NUMERO_FICHE>RS77</NUMERO_FICHE>\n    <INTITULE>Sans actif</INTITULE>'),
    );
    const { records, source } = await readAll(file('export_fiches_RNCP_V4_1_2027-01-01.xml', xml));
    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(record).toMatchObject({ code: 'RNCP123', title: "Titre d'essai", endsOn: null });
    expect(record.partners).toEqual([
      expect.objectContaining({ siret: '80875076400025', name: 'BON', state: 'Inactif', isActive: false }),
    ]);
    expect(record.skillBlocks.map((b) => b.code)).toEqual(['RNCP123BC01']);
    expect(source.report.rejects.map((r) => [r.code, r.line])).toEqual([
      ['invalid_date', lineOf(xml, 'DATE_FIN')],
      ['invalid_siret', lineOf(xml, '<SIRET_PARTENAIRE>1234')],
      ['invalid_code', lineOf(xml, 'Sans numéro') - 1],
      ['duplicate_fiche', lineOf(xml, 'Doublon') - 2],
      ['invalid_active_flag', lineOf(xml, 'RS77') - 1],
    ]);
    expect(source.report.rejects[0]!.message).toBe(
      'RNCP123: DATE_FIN_ENREGISTREMENT "31/02/2024" is not a calendar date; value ignored',
    );
    expect(Object.fromEntries(source.report.unknownElements)).toEqual({
      'FICHE/NOUVEAU_CHAMP_2027': 1,
      'BLOC_COMPETENCES/NOTE': 1,
    });
  });
});

describe('files it refuses (import_rejected, naming the file, line and column)', () => {
  const rncpText = readFileSync(rncpXml, 'utf8');

  it('a truncated flow', async () => {
    const cut = file(
      'export_fiches_RNCP_V4_1_2026-08-16.xml',
      rncpText.slice(0, Math.floor(rncpText.length * 0.6)),
    );
    const error = await rejection(cut);
    expect(error.code).toBe('import_rejected');
    expect(error.message).toMatch(
      /^export_fiches_RNCP_V4_1_2026-08-16\.xml \(line \d+, column \d+\): malformed or truncated XML/,
    );
    expect(error.details).toMatchObject({ file: 'export_fiches_RNCP_V4_1_2026-08-16.xml' });
    expect(error.details!.line).toBe(rncpText.slice(0, Math.floor(rncpText.length * 0.6)).split('\n').length);
  });

  it('a malformed flow, at the line of the mistake', async () => {
    const broken = rncpText.replace('</INTITULE>\n    <ETAT_FICHE>Publiée</ETAT_FICHE>', '</INTITULEX>\n');
    const error = await rejection(file('broken.xml', broken));
    expect(error.message).toContain('malformed or truncated XML');
    expect(error.details!.line).toBe(lineOf(broken, '</INTITULEX>'));
  });

  it('a flow saved as Latin-1 while it says UTF-8, at the first non-UTF-8 byte', async () => {
    const latin = iconv.encode(rncpText, 'latin1');
    const error = await rejection(file('latin.xml', latin));
    expect(error.message).toContain('wrong encoding');
    const firstNonAscii = [...rncpText].findIndex((c) => c.charCodeAt(0) > 127);
    const before = rncpText.slice(0, firstNonAscii);
    expect(error.details).toMatchObject({
      line: before.split('\n').length,
      column: before.length - before.lastIndexOf('\n') - 1,
    });
  });

  it('but reads a Latin-1 flow that says so', async () => {
    const declared = rncpText.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace(/[’œ●–…“”]/g, "'");
    const { records } = await readAll(file('latin-declared.xml', iconv.encode(declared, 'latin1')));
    expect(records.map((r) => r.title)).toEqual([
      'Finition, aménagement des bâtiments : conception et réalisation',
      'Expert en ingénierie du logiciel',
      'Auxiliaire spécialisé vétérinaire',
    ]);
  });

  it('a zip without the expected entry', async () => {
    const zip = file('export.zip', buildZip([{ name: 'lisez-moi.txt', data: 'rien' }]));
    const error = await rejection(zip);
    expect(error.message).toBe(
      'export.zip: the zip holds no France Compétences export (expected export_fiches_RNCP_V4_1_*.xml, export_fiches_RS_V4_1_*.xml or the export_fiches_CSV_*.csv files); it holds: lisez-moi.txt',
    );
  });

  it('a corrupt zip', async () => {
    const bytes = readFileSync(csvZip);
    const error = await rejection(
      file('export-fiches-csv-2024-02-22.zip', bytes.subarray(0, bytes.length - 40)),
    );
    expect(error.message).toMatch(/^export-fiches-csv-2024-02-22\.zip: not a readable zip/);
  });

  it('XML of another kind', async () => {
    const other =
      '<?xml version="1.0"?>\n<flux xmlns="urn:cdc:certificateur">\n  <idFlux>1</idFlux>\n</flux>\n';
    const error = await rejection(file('accrochage.xml', other));
    expect(error.message).toBe(
      'accrochage.xml (line 2, column 36): not a France Compétences export: the root element is <flux>, expected <FICHES>',
    );
  });

  it('files that are neither XML nor a zip, one CSV of the bundle, an empty file', async () => {
    expect((await rejection(file('export.json', '{"fiches": []}'))).message).toContain(
      'not a France Compétences export: expected the XML flow',
    );
    const standard = csvEntries.find((e) => e.name.includes('Standard'))!.text;
    expect((await rejection(file('standard.csv', standard))).message).toContain('give the whole CSV bundle');
    expect((await rejection(file('empty.xml', ''))).message).toBe('empty.xml: the file is empty');
  });

  it('a bundle whose CSV is cut inside a quoted value', async () => {
    const entries = csvEntries.map((e) =>
      e.name.includes('Partenaires')
        ? { name: e.name, data: e.text.slice(0, e.text.indexOf('ORSYS') + 3) }
        : { name: e.name, data: e.text },
    );
    const error = await rejection(file('export-fiches-csv-2024-02-22.zip', buildZip(entries)));
    expect(error.message).toMatch(
      /export_fiches_CSV_Partenaires_2024_02_22\.csv\] \(line 4\): malformed or truncated CSV/,
    );
    expect(error.details).toMatchObject({ entry: 'export_fiches_CSV_Partenaires_2024_02_22.csv', line: 4 });
  });

  it('a bundle without its Standard file, or a CSV without the expected columns', async () => {
    const noStandard = csvEntries
      .filter((e) => !e.name.includes('Standard'))
      .map((e) => ({ name: e.name, data: e.text }));
    expect((await rejection(file('a.zip', buildZip(noStandard)))).message).toContain(
      'the CSV bundle has no export_fiches_CSV_Standard_*.csv file',
    );
    const renamed = csvEntries.map((e) => ({
      name: e.name,
      data: e.name.includes('Standard') ? e.text.replace('"Intitule"', '"Title"') : e.text,
    }));
    expect((await rejection(file('b.zip', buildZip(renamed)))).message).toContain('no column Intitule');
  });
});
