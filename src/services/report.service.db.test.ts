import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../test/database.js';
import { readPdf, renderPdfPage } from '../../test/pdf.js';
import { systemActor } from '../core/access/policy.js';
import type { DatabaseHandle } from '../db/database.js';
import { createServices, type Services } from './index.js';

const actor = systemActor('test');

/**
 * Every page of a report is rendered to PNG and must draw something, and the page count the footer prints
 * (« Page n / N ») is the document's own: the check every report PDF goes through.
 */
async function expectRenderedPages(content: Uint8Array, expectedPages?: number) {
  const pdf = await readPdf(content);
  if (expectedPages !== undefined) expect(pdf.pages).toBe(expectedPages);
  expect(pdf.pages).toBeGreaterThan(0);
  for (const [i, text] of pdf.pageTexts.entries()) expect(text).toContain(`Page ${i + 1} / ${pdf.pages}`);
  for (let n = 1; n <= pdf.pages; n++) {
    const page = await renderPdfPage(content, n);
    expect(page.png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(page.inkRatio, `page ${n}`).toBeGreaterThan(0.002);
  }
  return pdf;
}

describe('ReportService', () => {
  let handle: DatabaseHandle;
  let sut: Services;
  const dir = mkdtempSync(path.join(tmpdir(), 'habilis-reports-'));

  beforeAll(async () => {
    handle = await newTestDatabase();
    sut = createServices(
      handle,
      { publicUrl: 'http://t', filesDir: path.join(dir, 'files'), dataDir: dir },
      () => new Date('2026-11-23T10:00:00Z'),
    );
    await sut.demo.load(actor, { seed: 11, partners: 6 });
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a partner scorecard: identity, habilitations, results, findings; it draws on its pages', async () => {
    const org = await handle.db
      .selectFrom('organisations')
      .innerJoin('habilitations', 'habilitations.organisationId', 'organisations.id')
      .select(['organisations.id', 'organisations.legalName', 'organisations.siret'])
      .executeTakeFirstOrThrow();
    const file = await sut.reports.scorecard(actor, org.id);
    expect(file.fileName).toBe(`fiche-partenaire-${org.siret}-2026-11-23.pdf`);
    const pdf = await readPdf(file.content);
    for (const text of [
      'Fiche partenaire',
      org.legalName,
      `SIRET ${org.siret}`,
      'Habilitations',
      'Résultats des candidats',
      'Constats',
      'Sanctions',
    ])
      expect(pdf.text).toContain(text);
    expect(pdf.text).toMatch(/Page 1 \/ \d/);
    const page = await renderPdfPage(file.content, 1);
    expect(page.inkRatio).toBeGreaterThan(0.01);
    await expectRenderedPages(file.content);
    await expect(sut.reports.scorecard(actor, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('the report of a control: its checklist with each result, its findings', async () => {
    const org = await handle.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow();
    const control = await handle.db
      .insertInto('controls')
      .values({
        kind: 'documentary',
        title: 'Audit documentaire des grilles',
        organisationId: org.id,
        status: 'done',
        performedOn: '2026-10-01',
      })
      .returning(['id', 'title', 'kind'])
      .executeTakeFirstOrThrow();
    const template = await handle.db
      .selectFrom('checklistTemplates')
      .select('id')
      .where('kind', '=', control.kind)
      .executeTakeFirst();
    expect(template, 'the audits migration seeds a documentary checklist').toBeDefined();
    {
      await handle.db
        .updateTable('controls')
        .set({ checklistTemplateId: template!.id })
        .where('id', '=', control.id)
        .execute();
      const points = await handle.db
        .selectFrom('checklistCheckpoints')
        .select(['id', 'question'])
        .where('templateId', '=', template!.id)
        .orderBy('position')
        .execute();
      await handle.db
        .insertInto('checkpointResults')
        .values([
          { controlId: control.id, checkpointId: points[0]!.id, result: 'conform' },
          {
            controlId: control.id,
            checkpointId: points[1]!.id,
            result: 'major',
            comment: 'Grille d’évaluation absente du dossier',
          },
        ])
        .execute();
    }
    const file = await sut.reports.auditReport(actor, control.id);
    const pdf = await readPdf(file.content);
    expect(pdf.text).toContain('Rapport de contrôle');
    expect(pdf.text).toContain('Grille de contrôle');
    expect(pdf.text).toContain('Audit documentaire des grilles');
    expect(pdf.text).toContain('Écart majeur');
    expect(pdf.text).toContain('Grille d’évaluation absente du dossier');
    expect(pdf.text).toContain('Non renseigné');
    // One control, one checklist: a short report, every page drawn.
    const rendered = await expectRenderedPages(file.content);
    expect(rendered.pages).toBeLessThanOrEqual(3);
  });

  it('the network overview as PDF and XLSX, partners needing attention first', async () => {
    const pdf = await readPdf((await sut.reports.networkOverview(actor, 'pdf')).content);
    expect(pdf.text).toContain('Vue d’ensemble du réseau');
    expect(pdf.text).toContain('6 partenaires');
    await expectRenderedPages((await sut.reports.networkOverview(actor, 'pdf')).content, pdf.pages);
    const file = await sut.reports.networkOverview(actor, 'xlsx');
    expect(file.rows).toBe(6);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.content as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Réseau')!;
    expect(sheet.getRow(4).getCell(1).value).toBe('SIRET');
    const severe = [5, 6, 7, 8, 9, 10].map((r) => Number(sheet.getRow(r).getCell(8).value));
    expect(severe).toEqual([...severe].sort((a, b) => b - a));
  });

  it('prints the certifier’s logo once set, and refuses what is not an image', async () => {
    const org = await handle.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow();
    const before = await renderPdfPage((await sut.reports.scorecard(actor, org.id)).content, 1);
    const canvas = createCanvas(280, 120);
    const context = canvas.getContext('2d');
    context.fillStyle = '#1c3d6e';
    context.fillRect(0, 0, 280, 120);
    const set = await sut.reports.setLogo(actor, canvas.toBuffer('image/png'));
    expect(set.sha256).toMatch(/^[0-9a-f]{64}$/);
    const after = await renderPdfPage((await sut.reports.scorecard(actor, org.id)).content, 1);
    expect(after.inkRatio).toBeGreaterThan(before.inkRatio + 0.005);
    await expect(sut.reports.setLogo(actor, Buffer.from('not an image'))).rejects.toMatchObject({
      code: 'unsupported_media_type',
    });
    await sut.reports.setLogo(actor, null);
    const cleared = await renderPdfPage((await sut.reports.scorecard(actor, org.id)).content, 1);
    expect(cleared.inkRatio).toBeCloseTo(before.inkRatio, 3);
  });
});
