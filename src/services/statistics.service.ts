import { type Actor, requireAccess } from '../core/access/policy.js';
import { AppError } from '../core/errors.js';
import {
  type StatisticsQuery,
  type StatisticsReport,
  statisticsQuery,
} from '../core/statistics/statistics.schema.js';
import { StatisticsRepository } from '../db/repositories/statistics.repository.js';
import { rollUp, statisticsXlsx } from '../reports/statistics/statistics.js';
import type { ExportFile } from './declaration.service.js';
import { XLSX_MEDIA_TYPE } from './declaration.service.js';
import { InsertionSurveyService } from './insertion-survey.service.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

/**
 * Statistics per certification, year, access route, partner and skill block, for France Compétences and
 * renewal files (regulation.md §5.4 and §7.H): candidates, presented, certified in full or by blocks, VAE,
 * success rates. Read-only; the XLSX is the renewal file's layout.
 */
export class StatisticsService {
  constructor(private readonly ctx: ServiceContext) {}

  async report(actor: Actor, input: unknown): Promise<StatisticsReport & { scope: string }> {
    requireAccess(actor, 'report.read');
    const query: StatisticsQuery = parseInput(statisticsQuery, input);
    if (query.fromYear && query.toYear && query.fromYear > query.toYear)
      throw new AppError('validation_failed', `toYear ${query.toYear} is before fromYear ${query.fromYear}`, {
        fields: [{ field: 'toYear', message: `must not be before fromYear (${query.fromYear})` }],
      });
    const repo = new StatisticsRepository(this.ctx.db);
    const certifications = await repo.certifications();
    let certificationId: string | null = null;
    if (query.certification) {
      const found = certifications.find((c) => c.code === query.certification);
      if (!found)
        throw new AppError('not_found', `Certification ${query.certification} not found`, {
          details: { entity: 'certification', id: query.certification },
        });
      certificationId = found.id;
    }
    const filter = { certificationId, fromYear: query.fromYear ?? null, toYear: query.toYear ?? null };
    const [facts, blocks, skillBlocks] = await Promise.all([
      repo.candidateFacts(filter),
      repo.blockFacts(filter),
      repo.skillBlocks(),
    ]);
    const organisationIds = [
      ...new Set(facts.map((f) => f.organisationId).filter((id): id is string => id !== null)),
    ];
    const names = {
      certifications: new Map(certifications.map((c) => [c.id, c])),
      organisations: new Map((await repo.organisations(organisationIds)).map((o) => [o.id, o])),
      skillBlocks: new Map(skillBlocks.map((b) => [b.id, b])),
    };
    const years =
      query.fromYear || query.toYear ? `, années ${query.fromYear ?? '…'} à ${query.toYear ?? '…'}` : '';
    return {
      scope: `${query.certification ?? 'Toutes les certifications'}${years}`,
      byYear: rollUp(facts, names, 'none'),
      byAccessRoute: rollUp(facts, names, 'accessRoute'),
      byPartner: rollUp(facts, names, 'partner'),
      bySkillBlock: blocks
        .map((b) => {
          const block = names.skillBlocks.get(b.skillBlockId);
          const cert = names.certifications.get(b.certificationId);
          return {
            certificationCode: cert?.code ?? '',
            year: b.year,
            blockCode: block?.code ?? '',
            blockTitle: block?.title ?? '',
            presented: b.presented,
            validated: b.validated,
            successRate: b.presented ? b.validated / b.presented : null,
          };
        })
        .sort((a, b) => a.year - b.year || a.blockCode.localeCompare(b.blockCode)),
    };
  }

  async exportXlsx(actor: Actor, input: unknown): Promise<ExportFile> {
    const report = await this.report(actor, input);
    const day = this.ctx.now().toISOString().slice(0, 10);
    const query = parseInput(statisticsQuery, input);
    const surveys = await new InsertionSurveyService(this.ctx).list(actor, {
      certification: query.certification,
    });
    const insertion = surveys
      .filter(
        (s) =>
          (!query.fromYear || s.cohortYear >= query.fromYear) &&
          (!query.toYear || s.cohortYear <= query.toYear),
      )
      .map((s) => ({
        certificationCode: s.certificationCode,
        horizon: s.horizon,
        cohortYear: s.cohortYear,
        ...s.rates,
      }));
    const content = await statisticsXlsx(report, report.scope, day, insertion);
    return {
      fileName: `statistiques-${report.scope
        .split(',')[0]!
        .replace(/[^A-Za-z0-9]+/g, '-')
        .toLowerCase()}-${day}.xlsx`,
      mediaType: XLSX_MEDIA_TYPE,
      content,
      rows: report.byYear.length,
    };
  }
}
