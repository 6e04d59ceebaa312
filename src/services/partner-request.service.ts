import {
  type Actor,
  actorId,
  organisationScope,
  requireAccess,
  requireInScope,
} from '../core/access/policy.js';
import { AppError, conflict, notFound, validationFailed } from '../core/errors.js';
import { calendarDay } from '../core/habilitations/period.js';
import {
  type RequestDetail,
  type RequestMove,
  type RequestView,
  requestAnswerInput,
  requestDisplayStatus,
  requestInput,
  requestListQuery,
  requestMoveRefusal,
  requestMoveTarget,
  requestReviewInput,
} from '../core/partner-requests/partner-request.schema.js';
import type { Database } from '../db/database.js';
import { EvidenceRepository } from '../db/repositories/evidence.repository.js';
import { OrganisationRepository } from '../db/repositories/organisation.repository.js';
import {
  type PartnerRequestListRow,
  PartnerRequestRepository,
  type PartnerRequestRow,
} from '../db/repositories/partner-request.repository.js';
import { recordAudit } from './audit.service.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { type MailLocale, type RequestMailEvent, requestMessage } from './mail/messages.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

export function toRequestView(row: PartnerRequestListRow, today: string): RequestView {
  return {
    id: row.id,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    kind: row.kind,
    title: row.title,
    body: row.body,
    dueOn: row.dueOn,
    status: row.status,
    displayStatus: requestDisplayStatus(row.status, row.dueOn, today),
    habilitationId: row.habilitationId,
    habilitationLabel: row.habilitationCode,
    conventionId: row.conventionId,
    conventionReference: row.conventionReference,
    findingId: row.findingId,
    findingTitle: row.findingTitle,
    createdBy: row.createdByLabel ?? '—',
    createdAt: row.createdAt.toISOString(),
    answeredAt: row.answeredAt?.toISOString() ?? null,
    acceptedAt: row.acceptedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the audit log keeps of a request. */
const audited = (row: PartnerRequestRow) => ({
  organisationId: row.organisationId,
  kind: row.kind,
  title: row.title,
  dueOn: row.dueOn,
  status: row.status,
  habilitationId: row.habilitationId,
  conventionId: row.conventionId,
  findingId: row.findingId,
});

/**
 * Requests to partners ("demandes"): the certifier asks a partner for documents or information by a due
 * date, optionally about a habilitation, convention or finding of that partner; the partner answers with a
 * text and evidence files; the certifier accepts the answer or asks again. Statuses open → answered →
 * accepted, or → reopened → answered…; `overdue` is shown for an open or reopened request past its due
 * date. A partner sees and answers its own organisation's requests only (another's is not found). Every
 * step is an event of the request and an entry of the audit log; the partner's users (for a new request or
 * one asked again) and the request's author (for an answer) are e-mailed.
 */
export class PartnerRequestService {
  private readonly mailer: Mailer;

  constructor(private readonly ctx: ServiceContext) {
    this.mailer = ctx.mailer ?? createMailer(ctx.config);
  }

  private today(): string {
    return calendarDay(this.ctx.now());
  }

  async list(actor: Actor, input: unknown) {
    requireAccess(actor, 'request.read');
    const query = parseInput(requestListQuery, input);
    const scope = organisationScope(actor);
    if (scope !== null && query.organisationId && query.organisationId !== scope)
      return { items: [], total: 0, limit: query.limit, offset: query.offset };
    const today = this.today();
    const { items, total } = await new PartnerRequestRepository(this.ctx.db).list(
      { ...query, organisationId: scope ?? query.organisationId },
      today,
      { key: query.sort, order: query.order },
      query,
    );
    return {
      items: items.map((r) => toRequestView(r, today)),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  async get(actor: Actor, id: string): Promise<RequestDetail> {
    requireAccess(actor, 'request.read');
    return this.detail(this.ctx.db, actor, id);
  }

  async create(actor: Actor, input: unknown): Promise<RequestDetail> {
    requireAccess(actor, 'request.manage');
    const data = parseInput(requestInput, input);
    if (data.dueOn < this.today())
      throw validationFailed([{ field: 'dueOn', message: 'the due date is already past' }]);
    const detail = await this.ctx.db.transaction().execute(async (trx) => {
      const organisation = await new OrganisationRepository(trx).findById(data.organisationId);
      if (!organisation) throw notFound('organisation', data.organisationId);
      const repo = new PartnerRequestRepository(trx);
      for (const kind of ['habilitation', 'convention', 'finding'] as const) {
        const id = data[`${kind}Id`];
        if (!id) continue;
        const owner = await repo.ownerOf(kind, id);
        if (!owner) throw notFound(kind, id);
        if (owner.organisationId !== data.organisationId)
          throw conflict(`The ${kind} ${id} belongs to another organisation than the request`, [
            { field: `${kind}Id`, message: 'belongs to another organisation' },
          ]);
      }
      const row = await repo.insert({
        organisationId: data.organisationId,
        kind: data.kind,
        title: data.title,
        body: data.body,
        dueOn: data.dueOn,
        habilitationId: data.habilitationId ?? null,
        conventionId: data.conventionId ?? null,
        findingId: data.findingId ?? null,
        status: 'open',
        createdBy: actorId(actor),
      });
      await repo.insertEvent({
        requestId: row.id,
        kind: 'created',
        message: data.body,
        dueOn: data.dueOn,
        authorId: actorId(actor),
        authorLabel: actor.label,
      });
      await recordAudit(
        trx,
        actor,
        { action: 'request.create', entityType: 'partner_request', entityId: row.id, after: audited(row) },
        this.ctx.now,
      );
      return this.detail(trx, actor, row.id);
    });
    await this.notifyPartner(detail, 'created', detail.body);
    return detail;
  }

  /**
   * The partner's answer: a text and/or files it uploaded beforehand (its own organisation's, through
   * POST /api/evidence); the files are linked to the request. Refused unless the request waits for it.
   */
  async answer(actor: Actor, id: string, input: unknown): Promise<RequestDetail> {
    requireAccess(actor, 'request.answer');
    const data = parseInput(requestAnswerInput, input);
    const detail = await this.ctx.db.transaction().execute(async (trx) => {
      const repo = new PartnerRequestRepository(trx);
      const before = await this.lockInScope(repo, actor, id);
      this.checkMove('answer', before);
      const files = await repo.evidenceFiles(data.evidenceIds);
      data.evidenceIds.forEach((evidenceId, index) => {
        const file = files.find((f) => f.id === evidenceId);
        // Another organisation's file does not exist for this partner.
        if (!file || (file.organisationId !== before.organisationId && organisationScope(actor) !== null))
          throw new AppError('not_found', `evidence ${evidenceId} not found`, {
            details: { entity: 'evidence', id: evidenceId },
            fields: [{ field: `evidenceIds/${index}`, message: 'no such file' }],
          });
        if (file.organisationId !== before.organisationId)
          throw conflict(`The file ${file.fileName} belongs to another organisation than the request`, [
            { field: `evidenceIds/${index}`, message: 'belongs to another organisation' },
          ]);
      });
      const now = this.ctx.now();
      const after = await repo.update(id, { status: requestMoveTarget.answer, answeredAt: now });
      const evidence = new EvidenceRepository(trx);
      for (const evidenceId of data.evidenceIds)
        await evidence.insertLink({
          evidenceId,
          entityType: 'partner_request',
          entityId: id,
          purpose: 'request_answer',
        });
      await repo.insertEvent({
        requestId: id,
        kind: 'answered',
        message: data.message || null,
        evidenceIds: data.evidenceIds,
        authorId: actorId(actor),
        authorLabel: actor.label,
      });
      await recordAudit(
        trx,
        actor,
        {
          action: 'request.answer',
          entityType: 'partner_request',
          entityId: id,
          before: audited(before),
          after: { ...audited(after), message: data.message || null, evidenceIds: data.evidenceIds },
        },
        this.ctx.now,
      );
      return this.detail(trx, actor, id);
    });
    const author = detail && (await this.authorOf(id));
    if (author) await this.notifyUser(author, detail, 'answered', data.message || null);
    return detail;
  }

  /** The certifier's review: accept the answer, or ask again with what is missing (and a new due date). */
  async review(actor: Actor, id: string, input: unknown): Promise<RequestDetail> {
    requireAccess(actor, 'request.manage');
    const data = parseInput(requestReviewInput, input);
    const move: RequestMove = data.decision;
    const newDueOn = data.decision === 'reopen' ? data.dueOn : undefined;
    if (newDueOn && newDueOn < this.today())
      throw validationFailed([{ field: 'dueOn', message: 'the due date is already past' }]);
    const detail = await this.ctx.db.transaction().execute(async (trx) => {
      const repo = new PartnerRequestRepository(trx);
      const before = await this.lockInScope(repo, actor, id);
      this.checkMove(move, before);
      const now = this.ctx.now();
      const after = await repo.update(
        id,
        move === 'accept'
          ? { status: 'accepted', acceptedAt: now }
          : { status: 'reopened', acceptedAt: null, ...(newDueOn ? { dueOn: newDueOn } : {}) },
      );
      await repo.insertEvent({
        requestId: id,
        kind: move === 'accept' ? 'accepted' : 'reopened',
        message: data.message ?? null,
        dueOn: move === 'reopen' ? after.dueOn : null,
        authorId: actorId(actor),
        authorLabel: actor.label,
      });
      await recordAudit(
        trx,
        actor,
        {
          action: move === 'accept' ? 'request.accept' : 'request.reopen',
          entityType: 'partner_request',
          entityId: id,
          before: audited(before),
          after: { ...audited(after), message: data.message ?? null },
        },
        this.ctx.now,
      );
      return this.detail(trx, actor, id);
    });
    await this.notifyPartner(detail, move === 'accept' ? 'accepted' : 'reopened', data.message ?? null);
    return detail;
  }

  private checkMove(move: RequestMove, row: PartnerRequestRow): void {
    const refusal = requestMoveRefusal(move, row.status);
    if (refusal)
      throw new AppError('conflict', `Cannot ${move} this request: ${refusal}`, {
        details: { status: row.status, move },
        fields: [{ field: 'status', message: refusal }],
      });
  }

  private async lockInScope(repo: PartnerRequestRepository, actor: Actor, id: string) {
    const row = await repo.findByIdForUpdate(id);
    if (!row) throw notFound('request', id);
    requireInScope(actor, 'request', id, row.organisationId);
    return row;
  }

  private async detail(db: Database, actor: Actor, id: string): Promise<RequestDetail> {
    const repo = new PartnerRequestRepository(db);
    const row = await repo.findWithNames(id);
    if (!row) throw notFound('request', id);
    requireInScope(actor, 'request', id, row.organisationId);
    const events = await repo.events(id);
    const files = await repo.evidenceFiles([...new Set(events.flatMap((e) => e.evidenceIds))]);
    const byId = new Map(files.map((f) => [f.id, f]));
    return {
      ...toRequestView(row, this.today()),
      events: events.map((e) => ({
        id: e.id,
        kind: e.kind,
        message: e.message,
        dueOn: e.dueOn,
        evidence: e.evidenceIds.flatMap((fid) => {
          const f = byId.get(fid);
          return f
            ? [{ id: f.id, fileName: f.fileName, sizeBytes: f.sizeBytes, mediaType: f.mediaType }]
            : [];
        }),
        authorLabel: e.authorLabel,
        at: e.at.toISOString(),
      })),
    };
  }

  private async authorOf(id: string) {
    const repo = new PartnerRequestRepository(this.ctx.db);
    const row = await repo.findWithNames(id);
    if (!row?.createdBy) return undefined;
    const user = await repo.user(row.createdBy);
    return user?.isActive ? user : undefined;
  }

  private link(id: string): string {
    return `${this.ctx.config.publicUrl}/requests/${id}`;
  }

  private async notifyPartner(detail: RequestDetail, event: RequestMailEvent, message: string | null) {
    const recipients = await new PartnerRequestRepository(this.ctx.db).partnerRecipients(
      detail.organisationId,
    );
    for (const user of recipients) await this.notifyUser(user, detail, event, message);
  }

  /** Mail leaves after the commit; a failed delivery is logged by the mailer, never undoes the change. */
  private async notifyUser(
    user: { email: string; displayName: string; locale: string },
    detail: RequestDetail,
    event: RequestMailEvent,
    message: string | null,
  ) {
    await this.mailer.send(
      requestMessage(user.locale as MailLocale, {
        to: user.email,
        displayName: user.displayName,
        event,
        title: detail.title,
        organisationName: detail.organisationName,
        dueOn: detail.dueOn,
        message,
        link: this.link(detail.id),
      }),
    );
  }
}
