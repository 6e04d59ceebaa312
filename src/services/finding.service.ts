import {
  type Actor,
  actorId,
  organisationScope,
  requireAccess,
  requireInScope,
} from '../core/access/policy.js';
import { conflict, notFound, validationFailed } from '../core/errors.js';
import {
  type CorrectiveActionView,
  correctiveActionInput,
  correctiveActionReview,
  type FindingDetail,
  type FindingListQuery,
  type FindingPage,
  type FindingView,
  findingInput,
  findingPatch,
  findingTransitionInput,
} from '../core/findings/finding.schema.js';
import {
  type CorrectiveActionStatus,
  correctiveActionTransitionError,
  type FindingStatus,
  findingTransitionError,
  isReopening,
} from '../core/findings/finding-status.js';
import type { Database } from '../db/database.js';
import { ChainReferenceRepository } from '../db/repositories/chain-reference.repository.js';
import { ControlRepository } from '../db/repositories/control.repository.js';
import {
  type CorrectiveActionRow,
  FindingRepository,
  type FindingRow,
} from '../db/repositories/finding.repository.js';
import { recordAudit } from './audit.service.js';
import { isoOrNull, requireCertification, todayOf } from './chain-support.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

export function toFindingView(row: FindingRow): FindingView {
  return {
    id: row.id,
    controlId: row.controlId,
    ruleId: row.ruleId,
    subjectKey: row.subjectKey,
    organisationId: row.organisationId,
    certificationId: row.certificationId,
    title: row.title,
    description: row.description,
    severity: row.severity as FindingView['severity'],
    status: row.status as FindingStatus,
    source: row.source,
    openedAt: row.openedAt.toISOString(),
    closedAt: isoOrNull(row.closedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toCorrectiveActionView(row: CorrectiveActionRow): CorrectiveActionView {
  return {
    id: row.id,
    findingId: row.findingId,
    description: row.description,
    ownerName: row.ownerName,
    dueOn: row.dueOn,
    status: row.status as CorrectiveActionStatus,
    submittedAt: isoOrNull(row.submittedAt),
    verifiedAt: isoOrNull(row.verifiedAt),
    verifiedBy: row.verifiedBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Findings and their corrective actions. Certifier staff and auditors open, qualify and close findings
 * (core/findings/finding-status.ts); a partner sees the findings about its own organisation and answers
 * them with corrective actions.
 */
export class FindingService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(actor: Actor, query: FindingListQuery): Promise<FindingPage> {
    requireAccess(actor, 'finding.read');
    const { items, total } = await new FindingRepository(this.ctx.db).list(query, organisationScope(actor));
    return { items: items.map(toFindingView), total, limit: query.limit, offset: query.offset };
  }

  async get(actor: Actor, id: string): Promise<FindingDetail> {
    requireAccess(actor, 'finding.read');
    return this.detail(this.ctx.db, await this.load(this.ctx.db, actor, id));
  }

  async create(actor: Actor, input: unknown): Promise<FindingDetail> {
    requireAccess(actor, 'finding.manage');
    const data = parseInput(findingInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const refs = new ChainReferenceRepository(trx);
      let organisationId = data.organisationId ?? null;
      if (data.controlId) {
        const control = await new ControlRepository(trx).findById(data.controlId);
        if (!control)
          throw validationFailed([{ field: 'controlId', message: `no control ${data.controlId}` }]);
        // A finding of a control about one organisation is about that organisation.
        if (control.organisationId && organisationId && control.organisationId !== organisationId)
          throw validationFailed([
            { field: 'organisationId', message: 'differs from the organisation of the control' },
          ]);
        organisationId ??= control.organisationId;
      }
      if (organisationId && !(await refs.organisationExists(organisationId)))
        throw validationFailed([{ field: 'organisationId', message: `no organisation ${organisationId}` }]);
      if (data.certificationId) await requireCertification(refs, data.certificationId);
      const repo = new FindingRepository(trx);
      if (data.ruleId && data.subjectKey) {
        const open = await repo.findOpenBySubject(data.ruleId, data.subjectKey);
        if (open)
          throw conflict(
            `Rule ${data.ruleId} already has a live finding on ${data.subjectKey} (${open.id})`,
            [{ field: 'subjectKey', message: 'a live finding already exists' }],
          );
      }
      const row = await repo.insert({
        controlId: data.controlId ?? null,
        ruleId: data.ruleId ?? null,
        subjectKey: data.subjectKey ?? null,
        organisationId,
        certificationId: data.certificationId ?? null,
        title: data.title,
        description: data.description ?? null,
        severity: data.severity,
        source: JSON.stringify(data.source),
        openedAt: this.ctx.now(),
      });
      const detail = await this.detail(trx, row);
      await recordAudit(
        trx,
        actor,
        { action: 'finding.create', entityType: 'finding', entityId: row.id, after: detail },
        this.ctx.now,
      );
      return detail;
    });
  }

  async update(actor: Actor, id: string, input: unknown): Promise<FindingDetail> {
    requireAccess(actor, 'finding.manage');
    const changes = parseInput(findingPatch, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, actor, id);
      if (row.status === 'closed') throw conflict('The finding is closed: re-open it before changing it');
      const after = await new FindingRepository(trx).update(id, changes);
      await recordAudit(
        trx,
        actor,
        {
          action: 'finding.update',
          entityType: 'finding',
          entityId: id,
          before: toFindingView(row),
          after: toFindingView(after),
        },
        this.ctx.now,
      );
      return this.detail(trx, after);
    });
  }

  /** Moves a finding along its life (qualify, request an action, verify, close, escalate, re-open). */
  async transition(actor: Actor, id: string, input: unknown): Promise<FindingDetail> {
    requireAccess(actor, 'finding.manage');
    const data = parseInput(findingTransitionInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, actor, id);
      const from = row.status as FindingStatus;
      const problem = findingTransitionError(from, data.to, 'review');
      if (problem) throw conflict(problem, [{ field: 'to', message: problem }]);
      const after = await new FindingRepository(trx).update(id, {
        status: data.to,
        ...(data.to === 'closed' ? { closedAt: this.ctx.now() } : {}),
        ...(isReopening(from, data.to) ? { closedAt: null } : {}),
      });
      await recordAudit(
        trx,
        actor,
        {
          action: 'finding.transition',
          entityType: 'finding',
          entityId: id,
          before: { status: from },
          after: { status: data.to, note: data.note ?? null },
        },
        this.ctx.now,
      );
      return this.detail(trx, after);
    });
  }

  /**
   * The partner's answer to a finding about its organisation: a corrective action with an owner and a due
   * date. Accepted only while the certifier requests one; the finding becomes action_submitted.
   */
  async submitCorrectiveAction(actor: Actor, id: string, input: unknown): Promise<FindingDetail> {
    requireAccess(actor, 'finding.answer');
    const data = parseInput(correctiveActionInput, input);
    if (data.dueOn < todayOf(this.ctx.now))
      throw validationFailed([{ field: 'dueOn', message: 'must not be in the past' }]);
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, actor, id);
      const from = row.status as FindingStatus;
      if (from !== 'action_requested')
        throw conflict(
          `The finding is ${from}: a corrective action is submitted when the certifier requests one`,
        );
      const repo = new FindingRepository(trx);
      const action = await repo.insertCorrectiveAction({
        findingId: id,
        description: data.description,
        ownerName: data.ownerName ?? null,
        dueOn: data.dueOn,
        submittedAt: this.ctx.now(),
      });
      const after = await repo.update(id, { status: 'action_submitted' });
      await recordAudit(
        trx,
        actor,
        {
          action: 'corrective_action.submit',
          entityType: 'corrective_action',
          entityId: action.id,
          after: toCorrectiveActionView(action),
        },
        this.ctx.now,
      );
      await recordAudit(
        trx,
        actor,
        {
          action: 'finding.transition',
          entityType: 'finding',
          entityId: id,
          before: { status: from },
          after: { status: 'action_submitted', correctiveActionId: action.id },
        },
        this.ctx.now,
      );
      return this.detail(trx, after);
    });
  }

  /** The certifier's review of a corrective action: accepted, done, verified or rejected. */
  async reviewCorrectiveAction(
    actor: Actor,
    findingId: string,
    actionId: string,
    input: unknown,
  ): Promise<CorrectiveActionView> {
    requireAccess(actor, 'finding.manage');
    const data = parseInput(correctiveActionReview, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      await this.load(trx, actor, findingId);
      const repo = new FindingRepository(trx);
      const action = await repo.findCorrectiveAction(findingId, actionId);
      if (!action) throw notFound('corrective_action', actionId);
      const problem = correctiveActionTransitionError(action.status as CorrectiveActionStatus, data.status);
      if (problem) throw conflict(problem, [{ field: 'status', message: problem }]);
      const after = await repo.updateCorrectiveAction(actionId, {
        status: data.status,
        ...(data.status === 'verified' ? { verifiedAt: this.ctx.now(), verifiedBy: actorId(actor) } : {}),
      });
      await recordAudit(
        trx,
        actor,
        {
          action: 'corrective_action.review',
          entityType: 'corrective_action',
          entityId: actionId,
          before: toCorrectiveActionView(action),
          after: { ...toCorrectiveActionView(after), note: data.note ?? null },
        },
        this.ctx.now,
      );
      return toCorrectiveActionView(after);
    });
  }

  /** A finding the actor may see: a partner sees only those about its own organisation (not_found otherwise). */
  private async load(db: Database, actor: Actor, id: string): Promise<FindingRow> {
    const row = await new FindingRepository(db).findById(id);
    if (!row) throw notFound('finding', id);
    requireInScope(actor, 'finding', id, row.organisationId);
    return row;
  }

  private async detail(db: Database, row: FindingRow): Promise<FindingDetail> {
    const actions = await new FindingRepository(db).correctiveActionsOf(row.id);
    return { ...toFindingView(row), correctiveActions: actions.map(toCorrectiveActionView) };
  }
}
