import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../test/database.js';
import { buildOrganisation, insertChainCertification } from '../../test/factories.js';
import { systemActor } from '../core/access/policy.js';
import type { DatabaseHandle } from '../db/database.js';
import { createServices, type Services } from './index.js';

const actor = systemActor('test');

describe('StatisticsService', () => {
  let handle: DatabaseHandle;
  let sut: Services;

  beforeAll(async () => {
    handle = await newTestDatabase();
    sut = createServices(
      handle,
      { publicUrl: 'http://t', filesDir: '/x', dataDir: '/x' },
      () => new Date('2026-11-23T10:00:00Z'),
    );
    const db = handle.db;
    const cert = await insertChainCertification(db, 'RNCP42001', { blocks: 2 });
    const alpha = await sut.organisations.create(actor, buildOrganisation({ legalName: 'Alpha' }));
    const beta = await sut.organisations.create(actor, buildOrganisation({ legalName: 'Beta' }));
    const candidate = async (organisationId: string, accessRoute: string, name: string) =>
      (
        await db
          .insertInto('candidates')
          .values({ organisationId, accessRoute, birthName: name, firstNames: 'X' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const a = await candidate(alpha.id, 'vae', 'A');
    const b = await candidate(alpha.id, 'continuing_training', 'B');
    const c = await candidate(beta.id, 'continuing_training', 'C');
    const d = await candidate(beta.id, 'apprenticeship', 'D');
    const training = await db
      .insertInto('trainingSessions')
      .values({
        organisationId: alpha.id,
        certificationId: cert.id,
        startsOn: '2025-01-10',
        endsOn: '2025-03-10',
        modality: 'in_person',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('trainingEnrolments')
      .values([
        { trainingSessionId: training.id, candidateId: a },
        { trainingSessionId: training.id, candidateId: b },
      ])
      .execute();
    const session = await db
      .insertInto('assessmentSessions')
      .values({ certificationId: cert.id, startsAt: new Date('2025-04-01T09:00:00Z') })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('assessmentSessionCandidates')
      .values([a, b, c, d].map((candidateId) => ({ assessmentSessionId: session.id, candidateId })))
      .execute();
    const [bc1, bc2] = cert.blocks.map((x) => x.id);
    const result = (candidateId: string, skillBlockId: string, decision: string) => ({
      assessmentSessionId: session.id,
      candidateId,
      skillBlockId,
      decision,
    });
    await db
      .insertInto('assessmentResults')
      .values([
        result(a, bc1!, 'passed'),
        result(a, bc2!, 'passed'),
        result(b, bc1!, 'failed'),
        result(b, bc2!, 'failed'),
        result(c, bc1!, 'passed'),
        result(c, bc2!, 'failed'),
        result(d, bc1!, 'passed'),
        result(d, bc2!, 'absent'),
      ])
      .execute();
    const jury = async (meetsOn: string) =>
      (
        await db
          .insertInto('juries')
          .values({ certificationId: cert.id, meetsOn })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const j1 = await jury('2025-05-01');
    const j2 = await jury('2025-09-01');
    const decide = (juryId: string, candidateId: string, decision: string, decidedAt: string) => ({
      juryId,
      candidateId,
      decision,
      decidedAt: new Date(decidedAt),
    });
    await db
      .insertInto('deliberations')
      .values([
        decide(j1, a, 'certified', '2025-05-01T10:00:00Z'),
        decide(j1, b, 'failed', '2025-05-01T10:00:00Z'),
        decide(j1, c, 'certified_by_blocks', '2025-05-01T10:00:00Z'),
        decide(j1, d, 'postponed', '2025-05-01T10:00:00Z'),
        decide(j2, d, 'certified', '2025-09-01T10:00:00Z'),
      ])
      .execute();
  });
  afterAll(() => handle.close());

  it('counts distinct candidates per year, with the last decision of the year and VAE apart', async () => {
    const report = await sut.statistics.report(actor, { certification: 'rncp42001' });
    expect(report.byYear).toEqual([
      expect.objectContaining({
        certificationCode: 'RNCP42001',
        year: 2025,
        candidates: 2,
        presented: 4,
        deliberated: 4,
        certifiedFull: 2,
        certifiedByBlocks: 1,
        failed: 1,
        certifiedVae: 1,
        successRate: 0.5,
        successRateWithBlocks: 0.75,
      }),
    ]);
  });

  it('splits by access route, partner and skill block', async () => {
    const report = await sut.statistics.report(actor, {});
    expect(report.byAccessRoute.map((l) => [l.label, l.presented, l.certifiedFull])).toEqual([
      ['Apprentissage', 1, 1],
      ['Formation continue', 2, 0],
      ['VAE', 1, 1],
    ]);
    expect(report.byPartner.map((l) => [l.label?.split(' (')[0], l.deliberated, l.certifiedFull])).toEqual([
      ['Alpha', 2, 1],
      ['Beta', 2, 1],
    ]);
    expect(report.bySkillBlock.map((b) => [b.blockCode, b.presented, b.validated])).toEqual([
      ['RNCP42001BC01', 4, 3],
      ['RNCP42001BC02', 3, 1],
    ]);
  });

  it('an unknown certification or inverted years are refused', async () => {
    await expect(sut.statistics.report(actor, { certification: 'RNCP1' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(sut.statistics.report(actor, { fromYear: 2026, toYear: 2025 })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('exports the renewal workbook: one sheet per view, rates as percentages', async () => {
    const file = await sut.statistics.exportXlsx(actor, { certification: 'RNCP42001' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.content as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Par année',
      'Par voie d’accès',
      'Par partenaire',
      'Par bloc',
      'Insertion',
    ]);
    const sheet = workbook.getWorksheet('Par année')!;
    const header = sheet.getRow(5).values as unknown[];
    expect(header).toContain('Taux de réussite (totalité)');
    const row = sheet.getRow(6);
    expect(row.getCell(1).value).toBe(2025);
    expect(row.getCell(11).value).toBe(0.5);
    expect(row.getCell(11).numFmt).toBe('0.0%');
  });
});
