import { type Actor, requireAccess } from '../core/access/policy.js';
import { type RiskListQuery, type RiskPage, riskListQuery } from '../core/contracts/risk.js';
import { notFound } from '../core/errors.js';
import { calendarDay } from '../core/habilitations/period.js';
import {
  type RiskLevel,
  type RiskScore,
  riskThresholds,
  riskWeights,
  scoreRisk,
  statisticalRuleIds,
} from '../core/risk/risk-score.js';
import { type RiskFactsFilter, RiskRepository } from '../db/repositories/risk.repository.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

/** Highest score first; ties by legal name, then id (a stable order for pages). */
const byRisk = (a: RiskScore, b: RiskScore) =>
  b.score - a.score ||
  a.legalName.localeCompare(b.legalName, 'fr') ||
  a.organisationId.localeCompare(b.organisationId);

/**
 * The risk scores of the partners (src/core/risk/risk-score.ts), computed on request from live data: one
 * set-based query gathers the facts of every partner (or of the page asked for), the scoring is pure. Read
 * by the network list, the dashboard and the audit plan. Certifier staff only (`control.read`).
 */
export class RiskService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Scores of every partner matching the filters, on the day of `now`, sorted highest first. */
  async scores(filter: RiskFactsFilter = {}): Promise<RiskScore[]> {
    const asOf = calendarDay(this.ctx.now());
    const rows = await new RiskRepository(this.ctx.db).facts(asOf, statisticalRuleIds, filter);
    return rows.map((r) => scoreRisk({ ...r, complaints: null }, asOf)).sort(byRisk);
  }

  async list(actor: Actor, query: RiskListQuery | Record<string, unknown> = {}): Promise<RiskPage> {
    requireAccess(actor, 'control.read');
    const q = parseInput(riskListQuery, query);
    const filter: RiskFactsFilter = {};
    if (q.organisationId) filter.organisationIds = q.organisationId;
    if (q.siret) filter.siret = q.siret;
    const all = await this.scores(filter);
    const byLevel: Record<RiskLevel, number> = { low: 0, medium: 0, high: 0 };
    for (const s of all) byLevel[s.level]++;
    const matching = q.level ? all.filter((s) => s.level === q.level) : all;
    return {
      asOf: calendarDay(this.ctx.now()),
      weights: { ...riskWeights },
      thresholds: { ...riskThresholds },
      total: matching.length,
      byLevel,
      limit: q.limit,
      offset: q.offset,
      items: matching.slice(q.offset, q.offset + q.limit),
    };
  }

  async get(actor: Actor, organisationId: string): Promise<RiskScore> {
    requireAccess(actor, 'control.read');
    const [score] = await this.scores({ organisationIds: [organisationId] });
    if (!score) throw notFound('organisation', organisationId);
    return score;
  }
}
