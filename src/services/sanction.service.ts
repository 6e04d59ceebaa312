import {
  type Actor,
  actorId,
  organisationScope,
  requireAccess,
  requireInScope,
} from '../core/access/policy.js';
import { conflict, type FieldIssue, notFound, validationFailed } from '../core/errors.js';
import type { Severity } from '../core/findings/finding.schema.js';
import {
  canMoveSanction,
  finalisationRefusal,
  isVisibleToPartner,
  type SanctionLevel,
  type SanctionListQuery,
  type SanctionPage,
  type SanctionStatus,
  type SanctionView,
  sanctionEffects,
  sanctionInput,
  sanctionPatch,
  sanctionReplyInput,
} from '../core/sanctions/sanction.schema.js';
import { type SanctionSuggestion, suggestSanctionLevel } from '../core/sanctions/suggestion.js';
import type { Database } from '../db/database.js';
import { ChainReferenceRepository } from '../db/repositories/chain-reference.repository.js';
import { SanctionRepository, type SanctionRow } from '../db/repositories/sanction.repository.js';
import { recordAudit } from './audit.service.js';
import { isoOrNull, todayOf } from './chain-support.js';
import { HabilitationService } from './habilitation.service.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

export function toSanctionView(row: SanctionRow): SanctionView {
  return {
    id: row.id,
    organisationId: row.organisationId,
    habilitationId: row.habilitationId,
    level: row.level as SanctionView['level'],
    reasons: row.reasons,
    conventionClause: row.conventionClause,
    decidedOn: row.decidedOn,
    decidedBy: row.decidedBy,
    replyDueOn: row.replyDueOn,
    reply: row.reply,
    repliedAt: isoOrNull(row.repliedAt),
    status: row.status as SanctionStatus,
    findingIds: row.findingIds,
    appliedAt: isoOrNull(row.appliedAt),
    organisationName: row.organisationName,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Sanctions on a partner, from observation to withdrawal, with their reasons and the findings behind them.
 * The partner sees them once notified and replies before the deadline; a sanction is made final after
 * that reply or once the deadline has passed. Made final, a reinforced watch, suspension or withdrawal
 * changes the habilitation (the one named, or every one of the organisation it applies to) through the
 * habilitation service's decision, in the same transaction: the decision lands on the France Compétences
 * declaration list, and the habilitation coverage of new sessions refuses a suspended or withdrawn partner.
 */
export class SanctionService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(actor: Actor, query: SanctionListQuery): Promise<SanctionPage> {
    requireAccess(actor, 'sanction.read');
    const { items, total } = await new SanctionRepository(this.ctx.db).list(query, organisationScope(actor));
    return { items: items.map(toSanctionView), total, limit: query.limit, offset: query.offset };
  }

  async get(actor: Actor, id: string): Promise<SanctionView> {
    requireAccess(actor, 'sanction.read');
    return toSanctionView(await this.load(this.ctx.db, actor, id));
  }

  async create(actor: Actor, input: unknown): Promise<SanctionView> {
    requireAccess(actor, 'sanction.manage');
    const data = parseInput(sanctionInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const refs = new ChainReferenceRepository(trx);
      if (!(await refs.organisationExists(data.organisationId)))
        throw validationFailed([
          { field: 'organisationId', message: `no organisation ${data.organisationId}` },
        ]);
      const issues: FieldIssue[] = [];
      if (data.habilitationId) {
        const habilitation = await refs.findHabilitation(data.habilitationId);
        if (!habilitation || habilitation.organisationId !== data.organisationId)
          issues.push({ field: 'habilitationId', message: 'not a habilitation of this organisation' });
      }
      const findings = new Map((await refs.findingsByIds(data.findingIds)).map((f) => [f.id, f]));
      data.findingIds.forEach((findingId, i) => {
        if (findings.get(findingId)?.organisationId !== data.organisationId)
          issues.push({ field: `findingIds/${i}`, message: 'not a finding about this organisation' });
      });
      if (issues.length) throw validationFailed(issues);
      const repo = new SanctionRepository(trx);
      const id = await repo.insert(
        {
          organisationId: data.organisationId,
          habilitationId: data.habilitationId ?? null,
          level: data.level,
          reasons: data.reasons,
          conventionClause: data.conventionClause ?? null,
          decidedOn: data.decidedOn,
          decidedBy: actorId(actor),
          replyDueOn: data.replyDueOn ?? null,
        },
        data.findingIds,
      );
      const view = toSanctionView(await this.load(trx, actor, id));
      await recordAudit(
        trx,
        actor,
        { action: 'sanction.create', entityType: 'sanction', entityId: id, after: view },
        this.ctx.now,
      );
      return view;
    });
  }

  /** Notifies, makes final or cancels a sanction; moves the reply deadline. */
  async update(actor: Actor, id: string, input: unknown): Promise<SanctionView> {
    requireAccess(actor, 'sanction.manage');
    const changes = parseInput(sanctionPatch, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, actor, id);
      const from = row.status as SanctionStatus;
      if (changes.status && !canMoveSanction(from, changes.status))
        throw conflict(`A sanction cannot go from ${from} to ${changes.status}`, [
          { field: 'status', message: `not allowed from ${from}` },
        ]);
      if (changes.replyDueOn && changes.replyDueOn < row.decidedOn)
        throw validationFailed([
          { field: 'replyDueOn', message: `must not be before decidedOn (${row.decidedOn})` },
        ]);
      const final = changes.status === 'final' && from !== 'final';
      if (final) {
        const refusal = finalisationRefusal(
          { status: from, replyDueOn: changes.replyDueOn ?? row.replyDueOn, reply: row.reply },
          todayOf(this.ctx.now),
        );
        if (refusal)
          throw conflict(`The sanction cannot be made final: ${refusal}`, [
            { field: 'status', message: refusal },
          ]);
      }
      const repo = new SanctionRepository(trx);
      await repo.update(id, changes);
      if (final) await this.apply(trx, actor, row);
      const after = toSanctionView(await this.load(trx, actor, id));
      await recordAudit(
        trx,
        actor,
        {
          action: 'sanction.update',
          entityType: 'sanction',
          entityId: id,
          before: toSanctionView(row),
          after,
        },
        this.ctx.now,
      );
      return after;
    });
  }

  /** The partner's reply to a notified sanction, once, by the deadline. */
  async reply(actor: Actor, id: string, input: unknown): Promise<SanctionView> {
    requireAccess(actor, 'sanction.answer');
    const data = parseInput(sanctionReplyInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, actor, id);
      if (row.status !== 'notified')
        throw conflict(`The sanction is ${row.status}: a reply is made while it is notified`);
      if (row.reply !== null) throw conflict('The sanction already has a reply');
      if (row.replyDueOn && todayOf(this.ctx.now) > row.replyDueOn)
        throw conflict(`The reply was due on ${row.replyDueOn}`);
      await new SanctionRepository(trx).update(id, { reply: data.reply, repliedAt: this.ctx.now() });
      const after = toSanctionView(await this.load(trx, actor, id));
      await recordAudit(
        trx,
        actor,
        { action: 'sanction.reply', entityType: 'sanction', entityId: id, after: { reply: data.reply } },
        this.ctx.now,
      );
      return after;
    });
  }

  /**
   * The level the partner's findings and past sanctions point to, with its reasons (core/sanctions/
   * suggestion.ts); null when there is nothing to sanction.
   */
  async suggest(actor: Actor, organisationId: string): Promise<SanctionSuggestion | null> {
    requireAccess(actor, 'sanction.manage');
    if (!(await new ChainReferenceRepository(this.ctx.db).organisationExists(organisationId)))
      throw notFound('organisation', organisationId);
    const facts = await new SanctionRepository(this.ctx.db).suggestionFacts(organisationId);
    return suggestSanctionLevel(
      {
        findings: facts.findings.map((f) => ({
          severity: f.severity as Severity,
          openedOn: f.openedAt.toISOString().slice(0, 10),
          isLive: f.status !== 'closed',
        })),
        sanctions: facts.sanctions.map((s) => ({ level: s.level as SanctionLevel, decidedOn: s.decidedOn })),
      },
      todayOf(this.ctx.now),
    );
  }

  /** Applies a final sanction to the habilitations, as decisions citing the sanction. */
  private async apply(trx: Database, actor: Actor, row: SanctionRow): Promise<void> {
    const effect = sanctionEffects[row.level as SanctionLevel];
    if (!effect) return;
    const repo = new SanctionRepository(trx);
    const all = await repo.habilitationsOf(row.organisationId);
    const targets = row.habilitationId ? all.filter((h) => h.id === row.habilitationId) : all;
    const applicable = targets.filter((h) => effect.from.includes(h.status));
    if (row.habilitationId && applicable.length === 0)
      throw conflict(
        `The habilitation is ${targets[0]?.status ?? 'unknown'}: a ${row.level} cannot make it ${effect.toStatus}`,
        [{ field: 'status', message: 'the habilitation cannot take this sanction' }],
      );
    if (applicable.length === 0 && effect.toStatus !== 'under_watch')
      throw conflict(`${row.organisationName} has no habilitation a ${row.level} can apply to`, [
        { field: 'status', message: 'no habilitation to apply the sanction to' },
      ]);
    const reasons = `Sanction (${row.level}) décidée le ${row.decidedOn}${
      row.conventionClause ? `, ${row.conventionClause}` : ''
    } : ${row.reasons}`.slice(0, 5000);
    const habilitations = new HabilitationService(this.ctx);
    for (const h of applicable)
      await habilitations.decideWithin(trx, actor, h.id, { toStatus: effect.toStatus, reasons });
    await repo.update(row.id, { appliedAt: this.ctx.now() });
    await recordAudit(
      trx,
      actor,
      {
        action: 'sanction.apply',
        entityType: 'sanction',
        entityId: row.id,
        after: { level: row.level, toStatus: effect.toStatus, habilitationIds: applicable.map((h) => h.id) },
      },
      this.ctx.now,
    );
  }

  /** A sanction the actor may see: a partner, only its own organisation's once notified (not_found otherwise). */
  private async load(db: Database, actor: Actor, id: string): Promise<SanctionRow> {
    const row = await new SanctionRepository(db).findById(id);
    if (!row) throw notFound('sanction', id);
    requireInScope(actor, 'sanction', id, row.organisationId);
    if (organisationScope(actor) !== null && !isVisibleToPartner(row.status as SanctionStatus))
      throw notFound('sanction', id);
    return row;
  }
}
