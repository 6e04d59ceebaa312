import {
  type Actor,
  actorId,
  organisationScope,
  requireAccess,
  requireInScope,
} from '../core/access/policy.js';
import {
  type AssessmentResultView,
  type AssessmentSessionDetail,
  type AssessmentSessionListQuery,
  type AssessmentSessionPage,
  type AssessmentSessionStatus,
  type AssessmentSessionView,
  assessmentResultsInput,
  assessmentSessionInput,
  assessmentSessionPatch,
  canMoveAssessmentSession,
  sessionCandidatesInput,
  sessionEvaluatorsInput,
} from '../core/chain/assessment.schema.js';
import { habilitationCoverage } from '../core/chain/habilitation-coverage.js';
import type { Modality } from '../core/chain/training-session.schema.js';
import { conflict, type FieldIssue, forbidden, notFound, validationFailed } from '../core/errors.js';
import type { Database } from '../db/database.js';
import {
  AssessmentRepository,
  type AssessmentResultRow,
  type AssessmentSessionRow,
} from '../db/repositories/assessment.repository.js';
import { ChainReferenceRepository } from '../db/repositories/chain-reference.repository.js';
import { recordAudit } from './audit.service.js';
import { readCertifierSettings } from './certifier-settings.service.js';
import { evaluatorScope, requireCandidates, requireCertification } from './chain-support.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

export function toAssessmentSessionView(row: AssessmentSessionRow): AssessmentSessionView {
  return {
    id: row.id,
    certificationId: row.certificationId,
    organiserId: row.organiserId,
    startsAt: row.startsAt.toISOString(),
    place: row.place,
    modality: row.modality as Modality,
    status: row.status as AssessmentSessionStatus,
    declaredAt: row.declaredAt.toISOString(),
    incidents: row.incidents,
    candidateCount: row.candidateCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toAssessmentResultView(row: AssessmentResultRow): AssessmentResultView {
  return {
    id: row.id,
    assessmentSessionId: row.assessmentSessionId,
    candidateId: row.candidateId,
    skillBlockId: row.skillBlockId,
    assessmentTask: row.assessmentTask,
    score: row.score,
    maxScore: row.maxScore,
    decision: row.decision as AssessmentResultView['decision'],
    recordedBy: row.recordedBy,
    recordedAt: row.recordedAt.toISOString(),
  };
}

interface ResultValues {
  assessmentSessionId: string;
  candidateId: string;
  skillBlockId: string | null;
  assessmentTask: string | null;
  score: number | null;
  maxScore: number | null;
  decision: string;
  recordedBy: string | null;
  recordedAt: Date;
}

/** The calendar day of a timestamp as its writer gave it (`2026-03-02T09:00:00+01:00` → `2026-03-02`). */
const dayOf = (timestamp: string) => timestamp.slice(0, 10);

/**
 * Assessment sessions (exams): organised by the certifier or by a partner habilitated to evaluate, with their
 * candidates and evaluators, and the results the evaluators record.
 */
export class AssessmentService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(actor: Actor, query: AssessmentSessionListQuery): Promise<AssessmentSessionPage> {
    requireAccess(actor, 'chain.read');
    const { items, total } = await new AssessmentRepository(this.ctx.db).list(
      query,
      organisationScope(actor),
      evaluatorScope(actor),
    );
    return { items: items.map(toAssessmentSessionView), total, limit: query.limit, offset: query.offset };
  }

  async get(actor: Actor, id: string): Promise<AssessmentSessionDetail> {
    requireAccess(actor, 'chain.read');
    const row = await this.load(this.ctx.db, actor, id);
    await this.requireEvaluatorOf(this.ctx.db, actor, id);
    return this.detail(this.ctx.db, row);
  }

  async create(actor: Actor, input: unknown): Promise<AssessmentSessionDetail> {
    requireAccess(actor, 'chain.declare');
    const data = parseInput(assessmentSessionInput, input);
    const organiserId = this.organiserFor(actor, data.organiserId);
    return this.ctx.db.transaction().execute(async (trx) => {
      const refs = new ChainReferenceRepository(trx);
      const certification = await requireCertification(refs, data.certificationId);
      if (organiserId) {
        if (!(await refs.organisationExists(organiserId)))
          throw validationFailed([{ field: 'organiserId', message: `no organisation ${organiserId}` }]);
        await this.requireEvaluationHabilitation(refs, organiserId, certification, dayOf(data.startsAt));
      }
      await requireCandidates(refs, data.candidateIds, organiserId);
      await this.requireTrainingEnded(trx, certification.id, data.candidateIds, dayOf(data.startsAt));
      await this.requireEvaluators(refs, data.evaluatorIds, 'evaluatorIds');
      const repo = new AssessmentRepository(trx);
      const { id } = await repo.insert({
        certificationId: certification.id,
        organiserId,
        startsAt: data.startsAt,
        place: data.place ?? null,
        modality: data.modality,
      });
      await repo.addCandidates(id, data.candidateIds);
      await repo.replaceEvaluators(id, data.evaluatorIds);
      const detail = await this.detail(trx, await this.reload(trx, id));
      await recordAudit(
        trx,
        actor,
        {
          action: 'assessment_session.create',
          entityType: 'assessment_session',
          entityId: id,
          after: detail,
        },
        this.ctx.now,
      );
      return detail;
    });
  }

  async update(actor: Actor, id: string, input: unknown): Promise<AssessmentSessionDetail> {
    requireAccess(actor, 'chain.declare');
    const changes = parseInput(assessmentSessionPatch, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, actor, id);
      const from = row.status as AssessmentSessionStatus;
      if (changes.status && !canMoveAssessmentSession(from, changes.status))
        throw conflict(`An assessment session cannot go from ${from} to ${changes.status}`, [
          { field: 'status', message: `not allowed from ${from}` },
        ]);
      const moved = (['startsAt', 'place', 'modality'] as const).filter((k) => changes[k] !== undefined);
      if (from !== 'planned' && moved.length)
        throw conflict(`The session is ${from}: its ${moved.join(', ')} can no longer change`, [
          ...moved.map((field) => ({ field, message: `the session is ${from}` })),
        ]);
      if (changes.startsAt && row.organiserId) {
        const refs = new ChainReferenceRepository(trx);
        const certification = await requireCertification(refs, row.certificationId);
        await this.requireEvaluationHabilitation(
          refs,
          row.organiserId,
          certification,
          dayOf(changes.startsAt),
        );
      }
      if (changes.startsAt)
        await this.requireTrainingEnded(
          trx,
          row.certificationId,
          (await new AssessmentRepository(trx).candidatesOf(id)).map((c) => c.candidateId),
          dayOf(changes.startsAt),
        );
      const before = await this.detail(trx, row);
      await new AssessmentRepository(trx).update(id, changes);
      const after = await this.detail(trx, await this.reload(trx, id));
      await recordAudit(
        trx,
        actor,
        {
          action: 'assessment_session.update',
          entityType: 'assessment_session',
          entityId: id,
          before,
          after,
        },
        this.ctx.now,
      );
      return after;
    });
  }

  async addCandidates(actor: Actor, id: string, input: unknown): Promise<AssessmentSessionDetail> {
    requireAccess(actor, 'chain.declare');
    const data = parseInput(sessionCandidatesInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, actor, id);
      if (row.status !== 'planned')
        throw conflict(`The session is ${row.status}: candidates are registered before it is held`);
      await requireCandidates(new ChainReferenceRepository(trx), data.candidateIds, row.organiserId);
      await this.requireTrainingEnded(
        trx,
        row.certificationId,
        data.candidateIds,
        row.startsAt.toISOString().slice(0, 10),
      );
      const added = await new AssessmentRepository(trx).addCandidates(id, data.candidateIds);
      await recordAudit(
        trx,
        actor,
        {
          action: 'assessment_session.register_candidates',
          entityType: 'assessment_session',
          entityId: id,
          after: { candidateIds: added },
        },
        this.ctx.now,
      );
      return this.detail(trx, await this.reload(trx, id));
    });
  }

  async setEvaluators(actor: Actor, id: string, input: unknown): Promise<AssessmentSessionDetail> {
    requireAccess(actor, 'chain.declare');
    const data = parseInput(sessionEvaluatorsInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, actor, id);
      // A cancelled session has no results to record: naming evaluators for it would only rewrite who was due.
      if (row.status === 'cancelled')
        throw conflict('The session was cancelled: its evaluators no longer change', [
          { field: 'userIds', message: 'the session is cancelled' },
        ]);
      await this.requireEvaluators(new ChainReferenceRepository(trx), data.userIds, 'userIds');
      const repo = new AssessmentRepository(trx);
      const before = (await repo.evaluatorsOf(id)).map((e) => e.userId);
      await repo.replaceEvaluators(id, data.userIds);
      await recordAudit(
        trx,
        actor,
        {
          action: 'assessment_session.set_evaluators',
          entityType: 'assessment_session',
          entityId: id,
          before: { userIds: before },
          after: { userIds: data.userIds },
        },
        this.ctx.now,
      );
      return this.detail(trx, row);
    });
  }

  async listResults(actor: Actor, id: string): Promise<{ items: AssessmentResultView[] }> {
    requireAccess(actor, 'chain.read');
    await this.load(this.ctx.db, actor, id);
    await this.requireEvaluatorOf(this.ctx.db, actor, id);
    const rows = await new AssessmentRepository(this.ctx.db).resultsOf(id);
    return { items: rows.map(toAssessmentResultView) };
  }

  /**
   * Records results, each for a registered candidate on a skill block of the certification or a named task.
   * A result given again for the same candidate and block or task replaces the earlier one (a correction,
   * kept in the audit log). An evaluator records only for sessions it is assigned to.
   */
  async recordResults(actor: Actor, id: string, input: unknown): Promise<{ items: AssessmentResultView[] }> {
    requireAccess(actor, 'assessment.record');
    const data = parseInput(assessmentResultsInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, actor, id);
      const repo = new AssessmentRepository(trx);
      // An evaluator records only in the sessions it evaluates; the others do not exist for it.
      await this.requireEvaluatorOf(trx, actor, id);
      if (row.status === 'cancelled') throw conflict('The session was cancelled: it has no results');
      if (row.startsAt > this.ctx.now())
        throw conflict(`The session starts at ${row.startsAt.toISOString()}: results are recorded after it`);

      const registered = new Set((await repo.candidatesOf(id)).map((c) => c.candidateId));
      const notRegistered: FieldIssue[] = [];
      data.results.forEach((r, i) => {
        if (!registered.has(r.candidateId))
          notRegistered.push({
            field: `results/${i}/candidateId`,
            message: `candidate ${r.candidateId} is not registered in this session`,
          });
      });
      if (notRegistered.length)
        throw conflict(
          `Results for candidates not registered in this session: ${notRegistered.map((f) => f.message).join('; ')}`,
          notRegistered,
        );
      const refs = new ChainReferenceRepository(trx);
      const blocks = new Set((await refs.skillBlocksOf(row.certificationId)).map((b) => b.id));
      const badBlocks = data.results.flatMap((r, i) =>
        r.skillBlockId && !blocks.has(r.skillBlockId)
          ? [{ field: `results/${i}/skillBlockId`, message: 'not a skill block of this certification' }]
          : [],
      );
      if (badBlocks.length) throw validationFailed(badBlocks);

      const recordedBy = actorId(actor);
      const recordedAt = this.ctx.now();
      // One read of what the candidates already have, then one insert of the new results: an upload of
      // thousands of rows costs a few statements, not two per row. A result given twice replaces the first.
      const keyOf = (r: {
        candidateId: string;
        skillBlockId: string | null;
        assessmentTask: string | null;
      }) => `${r.candidateId}|${r.skillBlockId ?? ''}|${r.assessmentTask ?? ''}`;
      const existing = new Map(
        (
          await repo.resultsOfCandidates(
            id,
            data.results.map((r) => r.candidateId),
          )
        ).map((row) => [keyOf(row), row]),
      );
      const entries = new Map<string, { key: AssessmentResultRow | null; values: ResultValues }>();
      for (const r of data.results) {
        const key = {
          candidateId: r.candidateId,
          skillBlockId: r.skillBlockId ?? null,
          assessmentTask: r.assessmentTask ?? null,
        };
        const values: ResultValues = {
          assessmentSessionId: id,
          ...key,
          score: r.score ?? null,
          maxScore: r.maxScore ?? null,
          decision: r.decision,
          recordedBy,
          recordedAt,
        };
        const k = keyOf(key);
        entries.set(k, { key: existing.get(k) ?? null, values });
      }
      const replaced = [...entries.values()].flatMap((e) => (e.key ? [toAssessmentResultView(e.key)] : []));
      const inserted = await repo.insertResults(
        [...entries.values()].filter((e) => !e.key).map((e) => e.values),
      );
      const byKey = new Map(inserted.map((row) => [keyOf(row), row]));
      for (const e of entries.values())
        if (e.key) {
          const { score, maxScore, decision } = e.values;
          byKey.set(
            keyOf(e.values),
            await repo.updateResult(e.key.id, { score, maxScore, decision, recordedBy, recordedAt }),
          );
        }
      const recorded = [...entries.keys()].map((k) => byKey.get(k)!);
      const items = recorded.map(toAssessmentResultView);
      await recordAudit(
        trx,
        actor,
        {
          action: 'assessment_session.record_results',
          entityType: 'assessment_session',
          entityId: id,
          before: replaced.length ? { replaced } : null,
          after: { results: items },
        },
        this.ctx.now,
      );
      return { items };
    });
  }

  /**
   * Who organises a session. A partner organises its own (leaving it out means its own); it may neither
   * declare for another partner nor a session of the certifier. Staff name a partner, or none (the certifier).
   */
  private organiserFor(actor: Actor, given: string | null | undefined): string | null {
    const scope = organisationScope(actor);
    if (scope === null) return given ?? null;
    if (given === null) throw forbidden('A partner may not declare a session organised by the certifier');
    if (given !== undefined && given !== scope)
      throw forbidden('A partner declares for its own organisation only');
    return scope;
  }

  private async requireEvaluationHabilitation(
    refs: ChainReferenceRepository,
    organiserId: string,
    certification: { id: string; code: string },
    day: string,
  ) {
    const coverage = habilitationCoverage(await refs.habilitationsOf(organiserId, certification.id), {
      activity: 'evaluate',
      startsOn: day,
      endsOn: day,
      skillBlocks: [],
    });
    if (!coverage.covered)
      throw conflict(
        `The organiser is not habilitated to evaluate ${certification.code} on ${day}: ${coverage.gaps
          .map((g) => g.message)
          .join('; ')}`,
        coverage.gaps.map((g) => ({
          field: g.field === 'certificationId' ? 'organiserId' : 'startsAt',
          message: g.message,
        })),
      );
  }

  /**
   * Under the certifier's rule « assessed after the training » (certifier settings), a candidate may not be
   * assessed before the last day of a training it is enrolled in for the same certification: 409 naming each
   * candidate and training. Candidates without a training (VAE, individual applications) are not concerned.
   */
  private async requireTrainingEnded(
    db: Database,
    certificationId: string,
    candidateIds: readonly string[],
    day: string,
  ) {
    if (candidateIds.length === 0) return;
    if (!(await readCertifierSettings(db)).assessmentAfterTraining) return;
    const early = await new AssessmentRepository(db).trainingsEndingAfter(certificationId, candidateIds, day);
    if (early.length === 0) return;
    const seen = new Set<string>();
    const issues: FieldIssue[] = [];
    for (const t of early) {
      if (seen.has(t.candidateId)) continue;
      seen.add(t.candidateId);
      const index = candidateIds.indexOf(t.candidateId);
      issues.push({
        field: index >= 0 ? `candidateIds/${index}` : 'startsAt',
        message: `${t.birthName} ${t.firstNames}: the training${t.reference ? ` ${t.reference}` : ''} ends on ${t.endsOn}, after the assessment on ${day}`,
      });
    }
    throw conflict(
      `The certifier's rules assess candidates after their training: ${issues.map((i) => i.message).join('; ')}`,
      issues,
    );
  }

  /** An evaluator sees only the sessions it is assigned to: any other is not found. */
  private async requireEvaluatorOf(db: Database, actor: Actor, id: string) {
    const evaluatorId = evaluatorScope(actor);
    if (evaluatorId && !(await new AssessmentRepository(db).isEvaluatorOf(id, evaluatorId)))
      throw notFound('assessment_session', id);
  }

  /** Evaluators are active users with the evaluator role; anything else is named in a 400. */
  private async requireEvaluators(refs: ChainReferenceRepository, ids: readonly string[], field: string) {
    const users = new Map((await refs.usersByIds(ids)).map((u) => [u.id, u]));
    const issues: FieldIssue[] = [];
    ids.forEach((id, i) => {
      const user = users.get(id);
      if (!user) issues.push({ field: `${field}/${i}`, message: `no user ${id}` });
      else if (user.role !== 'evaluator')
        issues.push({ field: `${field}/${i}`, message: `${user.displayName} is not an evaluator` });
      else if (!user.isActive)
        issues.push({ field: `${field}/${i}`, message: `${user.displayName}'s account is deactivated` });
    });
    if (issues.length) throw validationFailed(issues);
  }

  private async load(db: Database, actor: Actor, id: string): Promise<AssessmentSessionRow> {
    const row = await new AssessmentRepository(db).findById(id);
    if (!row) throw notFound('assessment_session', id);
    requireInScope(actor, 'assessment_session', id, row.organiserId);
    return row;
  }

  private async reload(db: Database, id: string): Promise<AssessmentSessionRow> {
    const row = await new AssessmentRepository(db).findById(id);
    if (!row) throw notFound('assessment_session', id);
    return row;
  }

  private async detail(db: Database, row: AssessmentSessionRow): Promise<AssessmentSessionDetail> {
    const repo = new AssessmentRepository(db);
    const [candidates, evaluators] = await Promise.all([
      repo.candidatesOf(row.id),
      repo.evaluatorsOf(row.id),
    ]);
    return { ...toAssessmentSessionView(row), candidates, evaluators };
  }
}
