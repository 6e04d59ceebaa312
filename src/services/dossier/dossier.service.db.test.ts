import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { newTestDatabase } from '../../../test/database.js';
import { readPdf, renderPdfPage } from '../../../test/pdf.js';
import { systemActor } from '../../core/access/policy.js';
import type { DossierManifest } from '../../core/dossier/dossier.schema.js';
import type { DatabaseHandle } from '../../db/database.js';
import { ZipStreamWriter } from '../../exporters/zip/zip-stream.js';
import { createServices, type Services } from '../index.js';

const actor = systemActor('test');
const now = () => new Date('2026-11-23T10:00:00Z');
const pdfBytes = (label: string) =>
  Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);

/** Every entry of a ZIP, in order, as bytes. */
async function readZip(file: string): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  const out = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, async (err, stream) => {
        if (err) return reject(err);
        const parts: Buffer[] = [];
        for await (const chunk of stream) parts.push(chunk as Buffer);
        out.set(entry.fileName, Buffer.concat(parts));
        zip.readEntry();
      });
    });
    zip.readEntry();
  });
  return out;
}

async function writeZip(file: string, entries: Map<string, Buffer>): Promise<void> {
  const out = createWriteStream(file);
  const closed = new Promise((resolve) => out.once('close', resolve));
  const zip = new ZipStreamWriter(out);
  for (const [name, bytes] of entries) await zip.addEntry(name, [bytes], { deflate: name.endsWith('.json') });
  await zip.finish();
  await closed;
}

describe('DossierService', () => {
  let handle: DatabaseHandle;
  let sut: Services;
  let dir: string;
  let code: string;
  let zipPath: string;
  let pdfPath: string;

  beforeAll(async () => {
    handle = await newTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'habilis-dossier-'));
    sut = createServices(
      handle,
      { publicUrl: 'http://t', filesDir: path.join(dir, 'files'), dataDir: dir },
      now,
    );
    await sut.demo.load(actor, { seed: 7, partners: 8 });
    const cert = await handle.db
      .selectFrom('certifications')
      .innerJoin('conventionCertifications', 'conventionCertifications.certificationId', 'certifications.id')
      .innerJoin('conventions', 'conventions.id', 'conventionCertifications.conventionId')
      .select(['certifications.code', 'conventions.id as conventionId', 'conventions.organisationId'])
      .orderBy('certifications.code')
      .executeTakeFirstOrThrow();
    code = cert.code;
    await sut.evidence.upload(
      actor,
      {
        organisationId: cert.organisationId,
        entityType: 'convention',
        entityId: cert.conventionId,
        purpose: 'convention signée',
      },
      { fileName: 'convention-signee.pdf', content: Readable.from([pdfBytes('convention')]) },
    );
    await sut.evidence.upload(
      actor,
      {
        organisationId: cert.organisationId,
        entityType: 'organisation',
        entityId: cert.organisationId,
        purpose: 'attestation Qualiopi',
      },
      { fileName: 'qualiopi.pdf', content: Readable.from([pdfBytes('qualiopi')]) },
    );
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the PDF and the ZIP: sections, table of contents, evidence with its manifest and the audit extract', async () => {
    const out = path.join(dir, 'out');
    const files = await sut.dossiers.writeToDirectory(actor, { certification: code.toLowerCase() }, out);
    zipPath = files.zipPath;
    pdfPath = files.pdfPath;
    expect(path.basename(files.zipPath)).toBe(`dossier-${code}-2026-11-23.zip`);
    expect(files.summary.evidenceFiles).toBe(2);

    const pdfBytesOut = await readFile(files.pdfPath);
    const pdf = await readPdf(pdfBytesOut);
    expect(pdf.pages).toBeGreaterThan(5);
    // Each page prints its number out of the document's own count, and every page draws (rendered to PNG).
    for (const [i, text] of pdf.pageTexts.entries()) expect(text).toContain(`Page ${i + 1} / ${pdf.pages}`);
    for (let n = 1; n <= pdf.pages; n++)
      expect((await renderPdfPage(pdfBytesOut, n)).inkRatio, `page ${n}`).toBeGreaterThan(0.002);
    for (const heading of [
      'Sommaire',
      'Partenaires habilités et déclaration à France Compétences',
      'Conventions de partenariat',
      'Contrôles réalisés',
      'Anomalies et leur traitement',
      'Sanctions',
      'Sessions d’évaluation et jurys',
      'Transmission des titulaires à la Caisse des Dépôts',
      'Insertion professionnelle des titulaires',
      'Index des pièces',
    ])
      expect(pdf.text).toContain(heading);
    expect(pdf.text).toContain('qualiopi.pdf');
    expect(pdf.text).toMatch(/P0001/);

    const entries = await readZip(files.zipPath);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as DossierManifest;
    expect(manifest.certification.code).toBe(code);
    const evidence = manifest.files.filter((f) => f.evidenceId);
    expect(evidence.map((f) => f.path).sort()).toEqual([
      'preuves/conventions/P0002-convention-signee.pdf',
      'preuves/organismes/P0001-qualiopi.pdf',
    ]);
    expect(evidence.find((f) => f.ref === 'P0002')!.proves[0]).toMatch(/^Convention .* — convention signée$/);
    expect(entries.get('preuves/conventions/P0002-convention-signee.pdf')).toEqual(pdfBytes('convention'));
    expect([...entries.keys()]).toEqual(
      expect.arrayContaining([
        'rapport.pdf',
        'journal-audit.jsonl',
        'listes/partenaires.csv',
        'LISEZ-MOI.txt',
      ]),
    );
    expect(manifest.auditLog.fullEntries).toBeGreaterThanOrEqual(2);
    expect(manifest.auditLog.headHash).toMatch(/^[0-9a-f]{64}$/);

    // The generation itself is in the audit log, with the manifest's hash.
    const logged = await handle.db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'dossier.generate')
      .executeTakeFirstOrThrow();
    expect((logged.after as { manifestSha256: string }).manifestSha256).toBe(files.summary.manifestSha256);
    expect((await sut.audit.verify(actor)).ok).toBe(true);
  });

  it('verifies an intact dossier', async () => {
    const result = await sut.dossiers.verify(zipPath);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('names the evidence file that was altered', async () => {
    const entries = await readZip(zipPath);
    entries.set('preuves/conventions/P0002-convention-signee.pdf', pdfBytes('forged'));
    const tampered = path.join(dir, 'tampered.zip');
    await writeZip(tampered, entries);
    const result = await sut.dossiers.verify(tampered);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.path)).toEqual(['preuves/conventions/P0002-convention-signee.pdf']);
  });

  it('a file altered together with its manifest line is still caught by the chained upload entry', async () => {
    const entries = await readZip(zipPath);
    const forged = pdfBytes('forged');
    entries.set('preuves/conventions/P0002-convention-signee.pdf', forged);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as DossierManifest;
    const line = manifest.files.find((f) => f.ref === 'P0002')!;
    line.sha256 = (await import('node:crypto')).createHash('sha256').update(forged).digest('hex');
    line.sizeBytes = forged.length;
    entries.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
    const tampered = path.join(dir, 'tampered-manifest.zip');
    await writeZip(tampered, entries);
    const result = await sut.dossiers.verify(tampered);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatchObject({
      path: 'preuves/conventions/P0002-convention-signee.pdf',
      message: expect.stringContaining('the audit log recorded SHA-256'),
    });
  });

  it('an altered audit-log entry breaks the chain and is named by its line', async () => {
    const entries = await readZip(zipPath);
    const lines = entries.get('journal-audit.jsonl')!.toString('utf8').trimEnd().split('\n');
    const index = lines.findIndex((l) => l.includes('"action"'));
    const entry = JSON.parse(lines[index]!);
    entry.actorLabel = 'someone else';
    lines[index] = JSON.stringify(entry);
    entries.set('journal-audit.jsonl', Buffer.from(`${lines.join('\n')}\n`));
    const tampered = path.join(dir, 'tampered-audit.zip');
    await writeZip(tampered, entries);
    const result = await sut.dossiers.verify(tampered);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.path)).toEqual([
      'journal-audit.jsonl',
      `journal-audit.jsonl:${index + 1}`,
    ]);
  });

  it('a file added to the ZIP, or a missing one, is named', async () => {
    const entries = await readZip(zipPath);
    entries.delete('preuves/organismes/P0001-qualiopi.pdf');
    entries.set('preuves/extra.pdf', pdfBytes('extra'));
    const tampered = path.join(dir, 'tampered-files.zip');
    await writeZip(tampered, entries);
    const result = await sut.dossiers.verify(tampered);
    expect(result.problems).toEqual([
      {
        path: 'preuves/organismes/P0001-qualiopi.pdf',
        message: 'listed in the manifest but missing from the ZIP',
      },
      { path: 'preuves/extra.pdf', message: 'in the ZIP but not listed in the manifest (added)' },
    ]);
  });

  it('an unknown certification, an unknown partner and an empty period are clear errors, and nothing is written', async () => {
    const out = path.join(dir, 'none');
    await expect(
      sut.dossiers.writeToDirectory(actor, { certification: 'RNCP99999' }, out),
    ).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('Certification RNCP99999 not found'),
    });
    await expect(
      sut.dossiers.writeToDirectory(
        actor,
        { certification: code, from: '1990-01-01', to: '1990-12-31' },
        out,
      ),
    ).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('between 1990-01-01 and 1990-12-31'),
    });
    await expect(
      sut.dossiers.writeToDirectory(
        actor,
        { certification: code, from: '2026-02-01', to: '2026-01-01' },
        out,
      ),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(out)).toEqual([]);
    expect(pdfPath).toBeTruthy();
  });

  it('a partner’s dossier holds only that partner’s evidence', async () => {
    const other = await handle.db
      .selectFrom('habilitations')
      .innerJoin('organisations', 'organisations.id', 'habilitations.organisationId')
      .innerJoin('certifications', 'certifications.id', 'habilitations.certificationId')
      .select(['organisations.siret', 'organisations.id'])
      .where('certifications.code', '=', code)
      .where(
        'organisations.id',
        'not in',
        (eb) =>
          eb
            .selectFrom('evidenceFiles')
            .select('organisationId')
            .where('organisationId', 'is not', null) as never,
      )
      .executeTakeFirstOrThrow();
    const files = await sut.dossiers.writeToDirectory(
      actor,
      { certification: code, partner: other.siret },
      path.join(dir, 'partner'),
    );
    expect(files.summary.partner).toBe(other.siret);
    expect(files.summary.evidenceFiles).toBe(0);
    const pdf = await readPdf(await readFile(files.pdfPath));
    expect(pdf.text).toContain(`SIRET ${other.siret}`);
    expect((await sut.dossiers.verify(files.zipPath)).ok).toBe(true);
  });
});
