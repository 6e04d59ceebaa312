import type { Updateable } from 'kysely';
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
  correctiveActionCompleteInput,
  correctiveActionInput,
  correctiveActionReview,
  effectivenessInput,
  type FindingDetail,
  type FindingListQuery,
  type FindingPage,
  type FindingView,
  findingInput,
  findingPatch,
  findingQualifyInput,
  findingRequestInput,
  findingTransitionInput,
  type ReminderRunSummary,
} from '../core/findings/finding.schema.js';
import {
  type CorrectiveActionStatus,
  correctiveActionTransitionError,
  type FindingMove,
  type FindingStatus,
  findingTransitionError,
  isReopening,
} from '../core/findings/finding-status.js';
import { defaultReminderPolicy, type ReminderPolicy, reminderDecision } from '../core/findings/reminders.js';
import type { Database } from '../db/database.js';
import { ChainReferenceRepository } from '../db/repositories/chain-reference.repository.js';
import { ChecklistRepository } from '../db/repositories/checklist.repository.js';
import { ControlRepository } from '../db/repositories/control.repository.js';
import {
  type CorrectiveActionRow,
  FindingRepository,
  type FindingRow,
} from '../db/repositories/finding.repository.js';
import type { FindingsTable } from '../db/schema.js';
import { recordAudit } from './audit.service.js';
import { isoOrNull, requireCertification, todayOf } from './chain-support.js';
import { reminderMail } from './finding-reminder-mail.js';
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
    organisationName: row.organisationName,
    rootCause: row.rootCause,
    actionDueOn: row.actionDueOn,
    actionRequest: row.actionRequest,
    qualifiedAt: isoOrNull(row.qualifiedAt),
    escalatedAt: isoOrNull(row.escalatedAt),
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
    completionNote: row.completionNote,
    effectiveness: row.effectiveness as CorrectiveActionView['effectiveness'],
    effectivenessNote: row.effectivenessNote,
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

  /**
   * Moves a finding along its life where no data is needed: escalate, close, re-open. Qualifying,
   * requesting an action and verifying have their own steps (qualify, requestAction, checkEffectiveness).
   */
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
        ...(data.to === 'escalated' ? { escalatedAt: this.ctx.now() } : {}),
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
      if (data.status === 'verified' || data.status === 'done')
        throw conflict(
          data.status === 'verified'
            ? 'A corrective action is verified by the effectiveness check, once the partner reports it done'
            : 'The partner reports its corrective action done, with its evidence',
          [{ field: 'status', message: 'use the dedicated step' }],
        );
      const after = await repo.updateCorrectiveAction(actionId, { status: data.status });
      const finding = await repo.findById(findingId);
      if (data.status === 'rejected' && finding?.status === 'action_submitted') {
        // The plan is not acceptable: the request stands again, with its due date.
        await repo.update(findingId, { status: 'action_requested' });
        await recordAudit(
          trx,
          actor,
          {
            action: 'finding.transition',
            entityType: 'finding',
            entityId: findingId,
            before: { status: 'action_submitted' },
            after: { status: 'action_requested', note: data.note ?? 'corrective action rejected' },
          },
          this.ctx.now,
        );
      }
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

  /** Qualifies a finding: its severity and root cause, as the quality manager assesses them. */
  async qualify(actor: Actor, id: string, input: unknown): Promise<FindingDetail> {
    requireAccess(actor, 'finding.manage');
    const data = parseInput(findingQualifyInput, input);
    return this.step(actor, id, 'qualify', 'qualified', (row) => ({
      changes: { severity: data.severity, rootCause: data.rootCause, qualifiedAt: this.ctx.now() },
      audit: {
        severity: data.severity,
        previousSeverity: row.severity,
        rootCause: data.rootCause,
        note: data.note ?? null,
      },
    }));
  }

  /**
   * Asks the partner for a corrective action by a due date, with what is expected. Also renews a pending
   * request (new date, new message) and answers an escalated finding.
   */
  async requestAction(actor: Actor, id: string, input: unknown): Promise<FindingDetail> {
    requireAccess(actor, 'finding.manage');
    const data = parseInput(findingRequestInput, input);
    if (data.dueOn <= todayOf(this.ctx.now))
      throw validationFailed([{ field: 'dueOn', message: 'must be after today' }]);
    return this.step(actor, id, 'request', 'action_requested', (row) => {
      if (!row.organisationId)
        throw conflict('The finding is about no partner: there is nobody to ask for a corrective action');
      return {
        changes: { actionDueOn: data.dueOn, actionRequest: data.message },
        audit: { dueOn: data.dueOn, message: data.message },
      };
    });
  }

  /**
   * The partner reports a corrective action carried out, with a note (its evidence files are uploaded and
   * linked to the action). Accepted for an action proposed or accepted, while the finding waits for it.
   */
  async completeCorrectiveAction(
    actor: Actor,
    findingId: string,
    actionId: string,
    input: unknown,
  ): Promise<FindingDetail> {
    requireAccess(actor, 'finding.answer');
    const data = parseInput(correctiveActionCompleteInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new FindingRepository(trx);
      await repo.lock(findingId);
      const finding = await this.load(trx, actor, findingId);
      if (finding.status !== 'action_submitted')
        throw conflict(`The finding is ${finding.status}: its corrective actions are not awaited`);
      const action = await repo.findCorrectiveAction(findingId, actionId);
      if (!action) throw notFound('corrective_action', actionId);
      const problem = correctiveActionTransitionError(action.status as CorrectiveActionStatus, 'done');
      if (problem) throw conflict(problem, [{ field: 'status', message: problem }]);
      await repo.updateCorrectiveAction(actionId, {
        status: 'done',
        completionNote: data.note,
      });
      await recordAudit(
        trx,
        actor,
        {
          action: 'corrective_action.complete',
          entityType: 'corrective_action',
          entityId: actionId,
          before: { status: action.status },
          after: { status: 'done', note: data.note, findingId },
        },
        this.ctx.now,
      );
      return this.detail(trx, finding);
    });
  }

  /**
   * The certifier's effectiveness check of a corrective action the partner reported done. Effective: the
   * action is verified, and the finding too once no other action is pending. Not effective: the action is
   * rejected and a new action is requested by `newDueOn`.
   */
  async checkEffectiveness(
    actor: Actor,
    findingId: string,
    actionId: string,
    input: unknown,
  ): Promise<FindingDetail> {
    requireAccess(actor, 'finding.manage');
    const data = parseInput(effectivenessInput, input);
    if (data.newDueOn && data.newDueOn <= todayOf(this.ctx.now))
      throw validationFailed([{ field: 'newDueOn', message: 'must be after today' }]);
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new FindingRepository(trx);
      await repo.lock(findingId);
      const finding = await this.load(trx, actor, findingId);
      const action = await repo.findCorrectiveAction(findingId, actionId);
      if (!action) throw notFound('corrective_action', actionId);
      if (action.status !== 'done')
        throw conflict(
          `The corrective action is ${action.status}: its effectiveness is checked once the partner reports it done`,
          [{ field: 'effective', message: 'the action is not done yet' }],
        );
      const from = finding.status as FindingStatus;
      const target: FindingStatus = data.effective ? 'verified' : 'action_requested';
      const others = (await repo.correctiveActionsOf(findingId)).filter((a) => a.id !== actionId);
      const pending = others.some((a) => ['proposed', 'accepted', 'done'].includes(a.status));
      const moves = !(data.effective && pending);
      if (moves) {
        const problem = findingTransitionError(from, target, data.effective ? 'verify' : 'request');
        if (problem) throw conflict(problem, [{ field: 'effective', message: problem }]);
      }
      await repo.updateCorrectiveAction(actionId, {
        status: data.effective ? 'verified' : 'rejected',
        effectiveness: data.effective ? 'effective' : 'ineffective',
        effectivenessNote: data.note,
        verifiedAt: this.ctx.now(),
        verifiedBy: actorId(actor),
      });
      await recordAudit(
        trx,
        actor,
        {
          action: 'corrective_action.effectiveness',
          entityType: 'corrective_action',
          entityId: actionId,
          before: { status: 'done' },
          after: { effective: data.effective, note: data.note, findingId },
        },
        this.ctx.now,
      );
      let after = finding;
      if (moves) {
        after = await repo.update(findingId, {
          status: target,
          ...(data.effective ? {} : { actionDueOn: data.newDueOn ?? null, actionRequest: data.note }),
        });
        await recordAudit(
          trx,
          actor,
          {
            action: 'finding.transition',
            entityType: 'finding',
            entityId: findingId,
            before: { status: from },
            after: {
              status: target,
              note: data.note,
              ...(data.effective ? {} : { dueOn: data.newDueOn ?? null }),
            },
          },
          this.ctx.now,
        );
      }
      return this.detail(trx, after);
    });
  }

  /**
   * Reminds partners of late findings and escalates those too late (core/findings/reminders.ts). Once a
   * day is enough: a finding gets at most one reminder or escalation per day. Each is recorded on the finding
   * with its recipients (the partner's active users) and e-mailed to them through the mailer (SMTP, or the
   * outbox); channel `recorded` when there was no one to write to or no message could be delivered.
   */
  async runReminders(
    actor: Actor,
    policy: ReminderPolicy = defaultReminderPolicy,
  ): Promise<ReminderRunSummary> {
    requireAccess(actor, 'finding.manage');
    const asOf = todayOf(this.ctx.now);
    const candidates = await new FindingRepository(this.ctx.db).lateCandidates(asOf);
    const summary: ReminderRunSummary = { asOf, reminded: 0, escalated: 0, items: [] };
    for (const c of candidates) {
      const dueOn =
        c.status === 'action_requested' ? c.actionDueOn : ((c.actionDueOnOfPlan as string | null) ?? null);
      const decision = reminderDecision(
        { status: c.status as FindingStatus, dueOn, lastSentOn: (c.lastSentOn as string | null) ?? null },
        asOf,
        policy,
      );
      if (!decision || !dueOn) continue;
      const mailer = this.ctx.mailer;
      const recipients = await this.ctx.db.transaction().execute(async (trx) => {
        const repo = new FindingRepository(trx);
        await repo.lock(c.id);
        const users = c.organisationId ? await repo.partnerRecipients(c.organisationId) : [];
        await repo.insertReminder({
          findingId: c.id,
          kind: decision.kind,
          dueOn,
          daysLate: decision.daysLate,
          // What was attempted; set back to `recorded` below when no message could be delivered.
          channel: mailer && users.length ? 'mail' : 'recorded',
          recipients: users.map((u) => u.email).join(', '),
          sentOn: asOf,
        });
        if (decision.kind === 'escalation') {
          await repo.update(c.id, { status: 'escalated', escalatedAt: this.ctx.now() });
          await recordAudit(
            trx,
            actor,
            {
              action: 'finding.transition',
              entityType: 'finding',
              entityId: c.id,
              before: { status: c.status },
              after: { status: 'escalated', note: `${decision.daysLate} days late (due ${dueOn})` },
            },
            this.ctx.now,
          );
        } else {
          await recordAudit(
            trx,
            actor,
            {
              action: 'finding.remind',
              entityType: 'finding',
              entityId: c.id,
              after: { dueOn, daysLate: decision.daysLate, recipients: users.map((u) => u.email) },
            },
            this.ctx.now,
          );
        }
        return users;
      });
      // Mail goes once the reminder is committed, and never undoes it: a failed delivery is recorded.
      let channel: 'mail' | 'recorded' = 'recorded';
      if (mailer && recipients.length) {
        const link = `${this.ctx.config.publicUrl.replace(/\/$/, '')}/findings/${c.id}`;
        const outcomes = await Promise.all(
          recipients.map((u) =>
            mailer.send(
              reminderMail({
                to: u.email,
                locale: u.locale,
                kind: decision.kind,
                title: c.title,
                dueOn,
                daysLate: decision.daysLate,
                link,
              }),
            ),
          ),
        );
        channel = outcomes.some((o) => o.delivered) ? 'mail' : 'recorded';
        if (channel === 'recorded')
          await new FindingRepository(this.ctx.db).setReminderChannel(c.id, asOf, channel);
      }
      if (decision.kind === 'escalation') summary.escalated++;
      else summary.reminded++;
      summary.items.push({
        findingId: c.id,
        organisationId: c.organisationId,
        kind: decision.kind,
        daysLate: decision.daysLate,
        channel,
      });
    }
    return summary;
  }

  /** One dedicated step of a finding: checks the move, applies the changes, records it in the audit log. */
  private step(
    actor: Actor,
    id: string,
    move: FindingMove,
    to: FindingStatus,
    prepare: (row: FindingRow) => { changes: Updateable<FindingsTable>; audit: Record<string, unknown> },
  ): Promise<FindingDetail> {
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new FindingRepository(trx);
      await repo.lock(id);
      const row = await this.load(trx, actor, id);
      const from = row.status as FindingStatus;
      const problem = findingTransitionError(from, to, move);
      if (problem) throw conflict(problem, [{ field: 'status', message: problem }]);
      const { changes, audit } = prepare(row);
      const after = await repo.update(id, { ...changes, status: to });
      await recordAudit(
        trx,
        actor,
        {
          action: 'finding.transition',
          entityType: 'finding',
          entityId: id,
          before: { status: from },
          after: { status: to, step: move, ...audit },
        },
        this.ctx.now,
      );
      return this.detail(trx, after);
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
    const repo = new FindingRepository(db);
    const [actions, reminders, checkpoint] = await Promise.all([
      repo.correctiveActionsOf(row.id),
      repo.remindersOf(row.id),
      new ChecklistRepository(db).checkpointOfFinding(row.id),
    ]);
    const timeline = await repo.timelineOf(
      row.id,
      actions.map((a) => a.id),
    );
    return {
      ...toFindingView(row),
      correctiveActions: actions.map(toCorrectiveActionView),
      reminders: reminders.map((r) => ({
        kind: r.kind as 'reminder' | 'escalation',
        dueOn: r.dueOn,
        daysLate: r.daysLate,
        channel: r.channel as 'mail' | 'recorded',
        recipients: r.recipients,
        sentOn: r.sentOn,
      })),
      timeline: timeline.map((e) => {
        const after = (e.after ?? {}) as Record<string, unknown>;
        const text = (v: unknown) => (typeof v === 'string' ? v : null);
        return {
          at: new Date(e.at).toISOString(),
          action: e.action,
          actorLabel: e.actorLabel,
          // A finding opened by a rule run or an audit records no status: it is opened.
          status:
            text(after.status) ??
            (e.action === 'finding.open' || e.action === 'finding.create' ? 'open' : null),
          note: text(after.note) ?? text(after.rootCause) ?? text(after.message) ?? text(after.reason),
        };
      }),
      checkpoint: checkpoint ?? null,
    };
  }
}
