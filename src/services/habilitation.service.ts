import {
  type Actor,
  actorId,
  organisationScope,
  requireAccess,
  requireInScope,
} from '../core/access/policy.js';
import { isConventionValidOn } from '../core/conventions/convention.js';
import { AppError, type FieldIssue, notFound, validationFailed } from '../core/errors.js';
import {
  findOverlappingHabilitation,
  type HabilitationScope,
  type HabilitationSlot,
  habilitationShapeIssues,
} from '../core/habilitations/habilitation.js';
import {
  type HabilitationDecisionView,
  type HabilitationDetail,
  type HabilitationListQuery,
  type HabilitationPage,
  type HabilitationView,
  habilitationDecisionInput,
  habilitationInput,
  habilitationPatch,
} from '../core/habilitations/habilitation.schema.js';
import {
  assertTransition,
  effectiveHabilitationStatuses,
  type HabilitationStatus,
  habilitationTransitions,
  isFinalStatus,
} from '../core/habilitations/lifecycle.js';
import { calendarDay } from '../core/habilitations/period.js';
import type { Database } from '../db/database.js';
import { CertificationRepository } from '../db/repositories/certification.repository.js';
import { ConventionRepository } from '../db/repositories/convention.repository.js';
import {
  type HabilitationDecisionListRow,
  type HabilitationListRow,
  HabilitationRepository,
  type HabilitationRow,
  type HabilitationSkillBlockRow,
} from '../db/repositories/habilitation.repository.js';
import { OrganisationRepository } from '../db/repositories/organisation.repository.js';
import { recordAudit } from './audit.service.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

export function toHabilitationView(
  row: HabilitationListRow,
  skillBlocks: readonly HabilitationSkillBlockRow[],
): HabilitationView {
  return {
    id: row.id,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    certificationId: row.certificationId,
    certificationCode: row.certificationCode,
    certificationTitle: row.certificationTitle,
    scope: row.scope as HabilitationScope,
    coversAllSkillBlocks: row.coversAllSkillBlocks,
    skillBlocks: skillBlocks.map((b) => ({ id: b.id, code: b.code, title: b.title })),
    territory: row.territory,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    status: row.status as HabilitationStatus,
    conditions: row.conditions,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toHabilitationDecisionView(
  row: HabilitationDecisionListRow,
  links: Pick<HabilitationDecisionView, 'evidence' | 'findings'> = { evidence: [], findings: [] },
): HabilitationDecisionView {
  return {
    ...links,
    id: row.id,
    habilitationId: row.habilitationId,
    fromStatus: row.fromStatus as HabilitationStatus | null,
    toStatus: row.toStatus as HabilitationStatus,
    reasons: row.reasons,
    decidedBy: row.decidedBy,
    decidedByName: row.decidedByName,
    decidedAt: row.decidedAt.toISOString(),
  };
}

const slotOf = (row: HabilitationRow): HabilitationSlot & { id: string } => ({
  id: row.id,
  scope: row.scope as HabilitationScope,
  startsOn: row.startsOn,
  endsOn: row.endsOn,
  status: row.status as HabilitationStatus,
});

/** The reasons recorded with an application when the author gives none (shown to users: French). */
const DEFAULT_APPLICATION_REASONS = 'Demande d’habilitation enregistrée';

/**
 * Habilitations: a certifier's authorisation of a partner organisation to train and/or evaluate for one
 * certification. Every change of status is a decision with its reasons; a partner user sees only its own
 * organisation's habilitations.
 */
export class HabilitationService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(actor: Actor, query: HabilitationListQuery): Promise<HabilitationPage> {
    requireAccess(actor, 'habilitation.read');
    const scope = organisationScope(actor);
    // A partner asking for another organisation gets an empty page, as if there were none.
    const organisationIds =
      scope !== null
        ? query.organisationId && query.organisationId !== scope
          ? []
          : [scope]
        : query.organisationId
          ? [query.organisationId]
          : undefined;
    const statuses = query.effectiveOn
      ? effectiveHabilitationStatuses.filter((s) => !query.status || s === query.status)
      : query.status
        ? [query.status]
        : undefined;
    const repo = new HabilitationRepository(this.ctx.db);
    const { items, total } = await repo.list(
      {
        ...(organisationIds ? { organisationIds } : {}),
        certificationId: query.certificationId,
        statuses,
        scope: query.scope,
        coversDay: query.effectiveOn,
      },
      query,
    );
    const blocks = await repo.skillBlocksOf(items.map((h) => h.id));
    return {
      items: items.map((h) => toHabilitationView(h, blocks.get(h.id) ?? [])),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  async get(actor: Actor, id: string): Promise<HabilitationDetail> {
    requireAccess(actor, 'habilitation.read');
    const repo = new HabilitationRepository(this.ctx.db);
    const row = await repo.findById(id);
    if (!row) throw notFound('habilitation', id);
    requireInScope(actor, 'habilitation', id, row.organisationId);
    return this.detail(repo, row);
  }

  /** Records an application: the habilitation starts in `application`, with its first decision. */
  async create(actor: Actor, input: unknown): Promise<HabilitationDetail> {
    requireAccess(actor, 'habilitation.manage');
    const data = parseInput(habilitationInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const organisation = await new OrganisationRepository(trx).findById(data.organisationId);
      if (!organisation) throw notFound('organisation', data.organisationId);
      requireInScope(actor, 'organisation', organisation.id, organisation.id);
      if (organisation.archivedAt)
        throw new AppError('conflict', `Organisation ${organisation.legalName} is archived`, {
          fields: [{ field: 'organisationId', message: 'archived' }],
        });
      const certification = await new CertificationRepository(trx).findById(data.certificationId);
      if (!certification) throw notFound('certification', data.certificationId);
      if (!certification.isActive)
        throw new AppError('conflict', `Certification ${certification.code} is no longer active`, {
          fields: [{ field: 'certificationId', message: 'inactive certification' }],
        });
      await this.checkSkillBlocks(trx, certification, data.skillBlockIds);

      const repo = new HabilitationRepository(trx);
      await this.checkSites(repo, organisation, data.siteIds);
      await repo.lockOrganisation(organisation.id);
      const candidate: HabilitationSlot = {
        scope: data.scope,
        startsOn: data.startsOn,
        endsOn: data.endsOn ?? null,
        status: 'application',
      };
      await this.refuseOverlap(repo, organisation.id, certification.id, certification.code, candidate);

      const row = await repo.insert({
        organisationId: organisation.id,
        certificationId: certification.id,
        scope: data.scope,
        coversAllSkillBlocks: data.coversAllSkillBlocks,
        territory: data.territory ?? null,
        startsOn: data.startsOn,
        endsOn: data.endsOn ?? null,
        status: 'application',
        conditions: JSON.stringify(data.conditions),
      });
      await repo.replaceSkillBlocks(row.id, data.skillBlockIds);
      await repo.replaceSites(row.id, data.siteIds);
      await repo.insertDecision({
        habilitationId: row.id,
        fromStatus: null,
        toStatus: 'application',
        reasons: data.reasons ?? DEFAULT_APPLICATION_REASONS,
        decidedBy: actorId(actor),
        decidedAt: this.ctx.now(),
      });
      const detail = await this.detail(repo, await this.reload(repo, row.id));
      await recordAudit(
        trx,
        actor,
        { action: 'habilitation.create', entityType: 'habilitation', entityId: row.id, after: detail },
        this.ctx.now,
      );
      return detail;
    });
  }

  /** Changes the terms of a habilitation that is not final; the result is checked like a new one. */
  async update(actor: Actor, id: string, input: unknown): Promise<HabilitationDetail> {
    requireAccess(actor, 'habilitation.manage');
    const patch = parseInput(habilitationPatch, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new HabilitationRepository(trx);
      const current = await repo.findById(id);
      if (!current) throw notFound('habilitation', id);
      requireInScope(actor, 'habilitation', id, current.organisationId);
      await repo.lockOrganisation(current.organisationId);
      const before = await this.reload(repo, id);
      const status = before.status as HabilitationStatus;
      if (isFinalStatus(status))
        throw new AppError('conflict', `The habilitation is ${status}: its terms no longer change`, {
          details: { status },
        });
      const beforeBlocks = (await repo.skillBlocksOf([id])).get(id) ?? [];
      const currentBlocks = beforeBlocks.map((b) => b.id);
      const coversAllSkillBlocks = patch.coversAllSkillBlocks ?? before.coversAllSkillBlocks;
      // Switching to "all blocks" drops the list; otherwise an absent list keeps the current one.
      const skillBlockIds = patch.skillBlockIds ?? (coversAllSkillBlocks ? [] : currentBlocks);
      const merged = {
        scope: patch.scope ?? (before.scope as HabilitationScope),
        startsOn: patch.startsOn ?? before.startsOn,
        endsOn: patch.endsOn === undefined ? before.endsOn : patch.endsOn,
        coversAllSkillBlocks,
        skillBlockIds,
      };
      const issues = habilitationShapeIssues(merged);
      if (issues.length) throw validationFailed(issues);
      const certification = await new CertificationRepository(trx).findById(before.certificationId);
      if (!certification) throw notFound('certification', before.certificationId);
      await this.checkSkillBlocks(trx, certification, skillBlockIds);
      if (patch.siteIds !== undefined)
        await this.checkSites(
          repo,
          { id: before.organisationId, legalName: before.organisationName },
          patch.siteIds,
        );
      await this.refuseOverlap(repo, before.organisationId, before.certificationId, certification.code, {
        id,
        status,
        ...merged,
      });

      await repo.update(id, {
        scope: merged.scope,
        coversAllSkillBlocks,
        startsOn: merged.startsOn,
        endsOn: merged.endsOn,
        ...(patch.territory !== undefined ? { territory: patch.territory } : {}),
        ...(patch.conditions !== undefined ? { conditions: JSON.stringify(patch.conditions) } : {}),
      });
      await repo.replaceSkillBlocks(id, skillBlockIds);
      const beforeSites = await repo.sitesOf(id);
      if (patch.siteIds !== undefined) await repo.replaceSites(id, patch.siteIds);
      const beforeView = {
        ...toHabilitationView(before, beforeBlocks),
        sites: beforeSites.map(({ organisationId: _, ...site }) => site),
      };
      const detail = await this.detail(repo, await this.reload(repo, id));
      const { decisions: _, allowedTransitions: __, ...afterView } = detail;
      await recordAudit(
        trx,
        actor,
        {
          action: 'habilitation.update',
          entityType: 'habilitation',
          entityId: id,
          before: beforeView,
          after: afterView,
        },
        this.ctx.now,
      );
      return detail;
    });
  }

  /**
   * Moves a habilitation to another status, as a decision with its reasons. Refused (conflict) when the
   * lifecycle does not allow the move, and when becoming active without a signed convention of the
   * organisation, covering the certification, in force on the day of the decision.
   */
  async decide(actor: Actor, id: string, input: unknown): Promise<HabilitationDetail> {
    requireAccess(actor, 'habilitation.manage');
    const data = parseInput(habilitationDecisionInput, input);
    return this.ctx.db.transaction().execute((trx) => this.decideWithin(trx, actor, id, data));
  }

  /**
   * `decide` inside a transaction the caller holds, for a decision that is part of a larger change (a
   * sanction made final suspends or withdraws the habilitation in the same transaction).
   */
  async decideWithin(
    trx: Database,
    actor: Actor,
    id: string,
    data: { toStatus: HabilitationStatus; reasons: string; evidenceIds?: string[]; findingIds?: string[] },
  ): Promise<HabilitationDetail> {
    requireAccess(actor, 'habilitation.manage');
    const repo = new HabilitationRepository(trx);
    const current = await repo.findById(id);
    if (!current) throw notFound('habilitation', id);
    requireInScope(actor, 'habilitation', id, current.organisationId);
    // Serialises decisions (and term changes) on the organisation's habilitations.
    await repo.lockOrganisation(current.organisationId);
    const before = await this.reload(repo, id);
    const from = before.status as HabilitationStatus;
    const to = data.toStatus;
    assertTransition(from, to);
    const now = this.ctx.now();
    if (to === 'active') await this.requireConventionInForce(trx, before, calendarDay(now));
    const evidenceIds = data.evidenceIds ?? [];
    const findingIds = data.findingIds ?? [];
    await this.checkDecisionLinks(repo, before.organisationId, evidenceIds, findingIds);

    await repo.update(id, { status: to });
    const decision = await repo.insertDecision({
      habilitationId: id,
      fromStatus: from,
      toStatus: to,
      reasons: data.reasons,
      decidedBy: actorId(actor),
      decidedAt: now,
    });
    await repo.insertDecisionLinks(decision.id, evidenceIds, findingIds);
    const detail = await this.detail(repo, await this.reload(repo, id));
    await recordAudit(
      trx,
      actor,
      {
        action: 'habilitation.decide',
        entityType: 'habilitation',
        entityId: id,
        before: { status: from },
        after: { status: to, reasons: data.reasons, decisionId: decision.id, evidenceIds, findingIds },
      },
      this.ctx.now,
    );
    return detail;
  }

  private async reload(repo: HabilitationRepository, id: string): Promise<HabilitationListRow> {
    const row = await repo.findById(id);
    if (!row) throw notFound('habilitation', id);
    return row;
  }

  /**
   * A decision's evidence must be the partner's files or the certifier's own (no organisation), and its
   * findings the partner's: anything else is named by its place in the list, and nothing is written.
   */
  private async checkDecisionLinks(
    repo: HabilitationRepository,
    organisationId: string,
    evidenceIds: readonly string[],
    findingIds: readonly string[],
  ): Promise<void> {
    if (evidenceIds.length === 0 && findingIds.length === 0) return;
    const { evidence, findings } = await repo.linkTargets(evidenceIds, findingIds);
    const issues: FieldIssue[] = [];
    evidenceIds.forEach((id, i) => {
      if (!evidence.has(id)) issues.push({ field: `evidenceIds/${i}`, message: 'no such evidence file' });
      else if (![null, organisationId].includes(evidence.get(id) ?? null))
        issues.push({ field: `evidenceIds/${i}`, message: 'a file of another organisation' });
    });
    findingIds.forEach((id, i) => {
      if (!findings.has(id)) issues.push({ field: `findingIds/${i}`, message: 'no such finding' });
      else if (findings.get(id) !== organisationId)
        issues.push({ field: `findingIds/${i}`, message: 'a finding about another organisation' });
    });
    if (issues.length > 0) throw validationFailed(issues);
  }

  private async detail(repo: HabilitationRepository, row: HabilitationListRow): Promise<HabilitationDetail> {
    const [blocks, sites, decisions] = await Promise.all([
      repo.skillBlocksOf([row.id]),
      repo.sitesOf(row.id),
      repo.decisionsOf(row.id),
    ]);
    const links = await repo.decisionLinksOf(decisions.map((d) => d.id));
    return {
      ...toHabilitationView(row, blocks.get(row.id) ?? []),
      sites: sites.map(({ organisationId: _, ...site }) => site),
      decisions: decisions.map((d) =>
        toHabilitationDecisionView(d, {
          evidence: links.evidence.get(d.id) ?? [],
          findings: links.findings.get(d.id) ?? [],
        }),
      ),
      allowedTransitions: [...habilitationTransitions[row.status as HabilitationStatus]],
    };
  }

  /** Every named skill block must exist and belong to the habilitation's certification. */
  private async checkSkillBlocks(
    db: Database,
    certification: { id: string; code: string },
    skillBlockIds: readonly string[],
  ): Promise<void> {
    if (skillBlockIds.length === 0) return;
    const found = new Map(
      (await new CertificationRepository(db).findSkillBlocksByIds(skillBlockIds)).map((b) => [b.id, b]),
    );
    const issues: FieldIssue[] = [];
    skillBlockIds.forEach((blockId, i) => {
      const block = found.get(blockId);
      if (!block) issues.push({ field: `skillBlockIds/${i}`, message: 'unknown skill block' });
      else if (block.certificationId !== certification.id)
        issues.push({
          field: `skillBlockIds/${i}`,
          message: `${block.code} is not a skill block of ${certification.code}`,
        });
    });
    if (issues.length) throw validationFailed(issues);
  }

  /** Every named site must be a site of the habilitated organisation. */
  private async checkSites(
    repo: HabilitationRepository,
    organisation: { id: string; legalName: string },
    siteIds: readonly string[],
  ): Promise<void> {
    if (siteIds.length === 0) return;
    const found = new Map((await repo.findSites(siteIds)).map((s) => [s.id, s]));
    const issues: FieldIssue[] = [];
    siteIds.forEach((siteId, i) => {
      const site = found.get(siteId);
      if (!site) issues.push({ field: `siteIds/${i}`, message: 'unknown site' });
      else if (site.organisationId !== organisation.id)
        issues.push({
          field: `siteIds/${i}`,
          message: `${site.label} is not a site of ${organisation.legalName}`,
        });
    });
    if (issues.length) throw validationFailed(issues);
  }

  /** Refuses a second live habilitation of the same pair whose scope and period overlap the candidate's. */
  private async refuseOverlap(
    repo: HabilitationRepository,
    organisationId: string,
    certificationId: string,
    certificationCode: string,
    candidate: HabilitationSlot,
  ): Promise<void> {
    const existing = (await repo.listForPair(organisationId, certificationId)).map(slotOf);
    const other = findOverlappingHabilitation(candidate, existing);
    if (!other) return;
    const period = `${other.startsOn} – ${other.endsOn ?? 'open-ended'}`;
    throw new AppError(
      'conflict',
      `The organisation already has a ${other.status} habilitation for ${certificationCode} (scope ${other.scope}, ${period}) that overlaps this one`,
      {
        details: { habilitationId: other.id, status: other.status, scope: other.scope },
        fields: [{ field: 'startsOn', message: 'overlaps an existing habilitation of the same scope' }],
      },
    );
  }

  private async requireConventionInForce(db: Database, habilitation: HabilitationListRow, day: string) {
    if (habilitation.endsOn !== null && habilitation.endsOn < day)
      throw new AppError(
        'conflict',
        `The habilitation cannot become active: its period ended on ${habilitation.endsOn}`,
        { details: { from: habilitation.status, to: 'active', endsOn: habilitation.endsOn } },
      );
    const conventions = await new ConventionRepository(db).listCovering(
      habilitation.organisationId,
      habilitation.certificationId,
    );
    const inForce = conventions.some((c) =>
      isConventionValidOn(
        {
          status: c.status as Parameters<typeof isConventionValidOn>[0]['status'],
          startsOn: c.startsOn,
          endsOn: c.endsOn,
          signedOn: c.signedOn,
          terminatedOn: c.terminatedOn,
          // listCovering returns only conventions that name this certification.
          certificationIds: [habilitation.certificationId],
        },
        habilitation.certificationId,
        day,
      ),
    );
    if (!inForce)
      throw new AppError(
        'conflict',
        `The habilitation cannot become active: ${habilitation.organisationName} has no signed convention covering ${habilitation.certificationCode} in force on ${day}`,
        {
          details: { from: habilitation.status, to: 'active', day },
          fields: [{ field: 'toStatus', message: 'no signed convention in force covers this certification' }],
        },
      );
  }
}
