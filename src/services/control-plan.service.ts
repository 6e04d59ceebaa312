import { type Actor, actorId, requireAccess } from '../core/access/policy.js';
import {
  type ControlPlanEntryView,
  type ControlPlanSummary,
  type ControlPlanView,
  controlPlanQuery,
  planEntryInput,
  planEntryPatch,
  proposePlanInput,
} from '../core/contracts/control-plans.js';
import { type PlanPartner, proposePlan } from '../core/controls/plan.js';
import { conflict, notFound, validationFailed } from '../core/errors.js';
import { calendarDay } from '../core/habilitations/period.js';
import { riskThresholds, riskWeights } from '../core/risk/risk-score.js';
import type { Database } from '../db/database.js';
import {
  ControlPlanRepository,
  type PlanEntryRow,
  type PlanRow,
} from '../db/repositories/control-plan.repository.js';
import { recordAudit } from './audit.service.js';
import { RiskService } from './risk.service.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

const entryView = (e: PlanEntryRow): ControlPlanEntryView => ({
  ...e,
  kind: e.kind as ControlPlanEntryView['kind'],
  depth: e.depth as ControlPlanEntryView['depth'],
  origin: e.origin as ControlPlanEntryView['origin'],
  riskLevel: e.riskLevel as ControlPlanEntryView['riskLevel'],
  riskScore: e.riskScore === null ? null : Number(e.riskScore),
});

/**
 * The plan de contrôle of a year: proposed from the partners' risk scores (src/core/controls/plan.ts),
 * adjusted by the quality manager while a draft (kind, depth, date, note, removal, added audits), then
 * committed — each kept entry becomes a planned control. One plan per year; every change is audit-logged
 * in its transaction.
 */
export class ControlPlanService {
  constructor(private readonly ctx: ServiceContext) {}

  private audit(trx: Database, actor: Actor, change: Parameters<typeof recordAudit>[2]) {
    return recordAudit(trx, actor, change, this.ctx.now);
  }

  private async summary(repo: ControlPlanRepository, plan: PlanRow): Promise<ControlPlanSummary> {
    const { rows, partners } = await repo.counts(plan.id);
    const byKind: Record<string, number> = {};
    const byLevel: Record<string, number> = {};
    let entries = 0;
    let removed = 0;
    let done = 0;
    for (const r of rows) {
      if (r.removed) {
        removed += r.n;
        continue;
      }
      entries += r.n;
      done += r.done;
      byKind[r.kind] = (byKind[r.kind] ?? 0) + r.n;
      const level = r.riskLevel ?? 'none';
      byLevel[level] = (byLevel[level] ?? 0) + r.n;
    }
    return {
      id: plan.id,
      year: plan.year,
      status: plan.status as ControlPlanSummary['status'],
      proposedOn: plan.proposedOn,
      committedAt: plan.committedAt ? new Date(plan.committedAt).toISOString() : null,
      committedBy: plan.committedBy,
      entries,
      removed,
      partners,
      byKind,
      byLevel,
      done,
    };
  }

  async list(actor: Actor): Promise<{ items: ControlPlanSummary[] }> {
    requireAccess(actor, 'control.read');
    const repo = new ControlPlanRepository(this.ctx.db);
    const plans = await repo.all();
    return { items: await Promise.all(plans.map((p) => this.summary(repo, p))) };
  }

  /** The plan of a year, or undefined. */
  async ofYear(actor: Actor, year: number): Promise<ControlPlanSummary | undefined> {
    requireAccess(actor, 'control.read');
    const repo = new ControlPlanRepository(this.ctx.db);
    const plan = await repo.findByYear(year);
    return plan ? this.summary(repo, plan) : undefined;
  }

  async get(actor: Actor, id: string, query: unknown = {}): Promise<ControlPlanView> {
    requireAccess(actor, 'control.read');
    const q = parseInput(controlPlanQuery, query);
    const repo = new ControlPlanRepository(this.ctx.db);
    const plan = await repo.find(id);
    if (!plan) throw notFound('control plan', id);
    const page = await repo.entries(
      id,
      { kind: q.kind, level: q.level, organisationId: q.organisationId, includeRemoved: q.includeRemoved },
      { limit: q.limit, offset: q.offset },
    );
    return {
      plan: await this.summary(repo, plan),
      entries: { items: page.items.map(entryView), total: page.total, limit: q.limit, offset: q.offset },
    };
  }

  /**
   * Proposes the plan of `year` as a draft: every partner habilitated during the year, by risk (high: two
   * audits, medium: one, low: a documentary review when due in its habilitation period). A committed plan
   * is never replaced; an existing draft only with `replace` (its adjustments are lost).
   */
  async propose(actor: Actor, input: unknown): Promise<ControlPlanSummary> {
    requireAccess(actor, 'control.manage');
    const { year, replace } = parseInput(proposePlanInput, input);
    const proposedOn = calendarDay(this.ctx.now());
    if (Number(proposedOn.slice(0, 4)) > year)
      throw validationFailed([
        { field: 'year', message: `${year} is over: plan the current year or a later one` },
      ]);
    const scores = new Map((await new RiskService(this.ctx).scores()).map((s) => [s.organisationId, s]));
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new ControlPlanRepository(trx);
      const existing = await repo.findByYear(year);
      if (existing?.status === 'committed')
        throw conflict(`the plan of ${year} is committed: adjust its controls instead`);
      if (existing && !replace)
        throw conflict(
          `a draft plan of ${year} exists: adjust it, or propose again with replace to start over`,
        );
      const partners: PlanPartner[] = (await repo.partnersForPlan(year)).map((p) => {
        const s = scores.get(p.organisationId);
        return { ...p, score: s?.score ?? 0, level: s?.level ?? 'low' };
      });
      const proposal = proposePlan(year, partners, proposedOn);
      const parameters = { weights: riskWeights, thresholds: riskThresholds, partners: partners.length };
      let planId: string;
      if (existing) {
        planId = existing.id;
        await repo.resetDraft(planId, proposedOn, parameters);
      } else {
        planId = await repo.insertPlan(year, proposedOn, parameters);
      }
      await repo.insertEntries(
        planId,
        proposal.map((e) => ({ ...e, origin: 'proposed' as const })),
      );
      const plan = (await repo.find(planId)) as PlanRow;
      const summary = await this.summary(repo, plan);
      await this.audit(trx, actor, {
        action: existing ? 'control_plan.repropose' : 'control_plan.propose',
        entityType: 'control_plan',
        entityId: planId,
        after: {
          year,
          proposedOn,
          partners: partners.length,
          entries: summary.entries,
          byKind: summary.byKind,
          byLevel: summary.byLevel,
        },
      });
      return summary;
    });
  }

  private async draft(repo: ControlPlanRepository, id: string): Promise<PlanRow> {
    const plan = await repo.lock(id);
    if (!plan) throw notFound('control plan', id);
    if (plan.status !== 'draft')
      throw conflict(`the plan of ${plan.year} is committed: it can no longer change`);
    return plan;
  }

  private checkDate(plan: PlanRow, plannedOn: string | undefined) {
    if (plannedOn !== undefined && plannedOn.slice(0, 4) !== String(plan.year))
      throw validationFailed([{ field: 'plannedOn', message: `must fall within ${plan.year}` }]);
  }

  async adjustEntry(
    actor: Actor,
    id: string,
    entryId: string,
    input: unknown,
  ): Promise<ControlPlanEntryView> {
    requireAccess(actor, 'control.manage');
    const patch = parseInput(planEntryPatch, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new ControlPlanRepository(trx);
      const plan = await this.draft(repo, id);
      this.checkDate(plan, patch.plannedOn);
      const before = await repo.entry(id, entryId);
      if (!before) throw notFound('control plan entry', entryId);
      await repo.updateEntry(entryId, patch);
      const after = (await repo.entry(id, entryId)) as PlanEntryRow;
      const pick = (e: PlanEntryRow) => ({
        kind: e.kind,
        depth: e.depth,
        plannedOn: e.plannedOn,
        removed: e.removed,
        note: e.note,
      });
      await this.audit(trx, actor, {
        action: 'control_plan.adjust',
        entityType: 'control_plan_entry',
        entityId: entryId,
        before: { planId: id, organisationId: before.organisationId, ...pick(before) },
        after: { planId: id, organisationId: after.organisationId, ...pick(after) },
      });
      return entryView(after);
    });
  }

  async addEntry(actor: Actor, id: string, input: unknown): Promise<ControlPlanEntryView> {
    requireAccess(actor, 'control.manage');
    const e = parseInput(planEntryInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new ControlPlanRepository(trx);
      const plan = await this.draft(repo, id);
      this.checkDate(plan, e.plannedOn);
      const org = await trx
        .selectFrom('organisations')
        .select('id')
        .where('id', '=', e.organisationId)
        .where('archivedAt', 'is', null)
        .executeTakeFirst();
      if (!org) throw validationFailed([{ field: 'organisationId', message: 'no such partner' }]);
      const [score] = await new RiskService({ ...this.ctx, db: trx }).scores({
        organisationIds: [e.organisationId],
      });
      const [entryId] = await repo.insertEntries(id, [
        {
          organisationId: e.organisationId,
          kind: e.kind,
          depth: e.depth,
          plannedOn: e.plannedOn,
          origin: 'added',
          riskScore: score?.score ?? null,
          riskLevel: score?.level ?? null,
          reason: 'Ajouté par le responsable qualité.',
          note: e.note ?? null,
        },
      ]);
      const row = (await repo.entry(id, entryId as string)) as PlanEntryRow;
      await this.audit(trx, actor, {
        action: 'control_plan.add',
        entityType: 'control_plan_entry',
        entityId: entryId as string,
        after: {
          planId: id,
          organisationId: e.organisationId,
          kind: e.kind,
          depth: e.depth,
          plannedOn: e.plannedOn,
          note: e.note ?? null,
        },
      });
      return entryView(row);
    });
  }

  /** Commits a draft: each kept entry becomes a planned control, linked to its entry. */
  async commit(actor: Actor, id: string): Promise<ControlPlanSummary> {
    requireAccess(actor, 'control.manage');
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new ControlPlanRepository(trx);
      const plan = await this.draft(repo, id);
      const now = this.ctx.now();
      const controls = await repo.commit(id, plan.year, now, actorId(actor));
      const summary = await this.summary(repo, (await repo.find(id)) as PlanRow);
      await this.audit(trx, actor, {
        action: 'control_plan.commit',
        entityType: 'control_plan',
        entityId: id,
        before: { status: 'draft' },
        after: { status: 'committed', year: plan.year, controls, byKind: summary.byKind },
      });
      return summary;
    });
  }
}
