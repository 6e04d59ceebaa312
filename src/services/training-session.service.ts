import { type Actor, organisationScope, requireAccess, requireInScope } from '../core/access/policy.js';
import { habilitationCoverage } from '../core/chain/habilitation-coverage.js';
import {
  dateRangeIssue,
  enrolmentInput,
  type Modality,
  type TrainingSessionDetail,
  type TrainingSessionListQuery,
  type TrainingSessionPage,
  type TrainingSessionView,
  trainingSessionInput,
  trainingSessionPatch,
} from '../core/chain/training-session.schema.js';
import { conflict, notFound, validationFailed } from '../core/errors.js';
import type { Database } from '../db/database.js';
import { ChainReferenceRepository } from '../db/repositories/chain-reference.repository.js';
import {
  TrainingSessionRepository,
  type TrainingSessionRow,
} from '../db/repositories/training-session.repository.js';
import { recordAudit } from './audit.service.js';
import {
  declaringOrganisation,
  evaluatorScope,
  requireCandidates,
  requireCertification,
  requireSkillBlocksOf,
} from './chain-support.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

export function toTrainingSessionView(row: TrainingSessionRow): TrainingSessionView {
  return {
    id: row.id,
    organisationId: row.organisationId,
    certificationId: row.certificationId,
    reference: row.reference,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    hours: row.hours,
    modality: row.modality as Modality,
    site: row.site,
    trainers: row.trainers,
    funding: row.funding as TrainingSessionView['funding'],
    enrolmentCount: row.enrolmentCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Training sessions a partner runs towards a certification, and the candidates enrolled. Declaring one needs
 * a habilitation that covers training, the period and the skill blocks (core/chain/habilitation-coverage).
 */
export class TrainingSessionService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(actor: Actor, query: TrainingSessionListQuery): Promise<TrainingSessionPage> {
    requireAccess(actor, 'chain.read');
    const { items, total } = await new TrainingSessionRepository(this.ctx.db).list(
      query,
      organisationScope(actor),
      evaluatorScope(actor),
    );
    return { items: items.map(toTrainingSessionView), total, limit: query.limit, offset: query.offset };
  }

  async get(actor: Actor, id: string): Promise<TrainingSessionDetail> {
    requireAccess(actor, 'chain.read');
    const row = await this.load(this.ctx.db, actor, id);
    return this.detail(this.ctx.db, row);
  }

  async create(actor: Actor, input: unknown): Promise<TrainingSessionDetail> {
    requireAccess(actor, 'chain.declare');
    const data = parseInput(trainingSessionInput, input);
    const organisationId = declaringOrganisation(actor, data.organisationId);
    if (organisationId === null)
      throw validationFailed([
        { field: 'organisationId', message: 'name the partner that runs the session' },
      ]);
    return this.ctx.db.transaction().execute(async (trx) => {
      const refs = new ChainReferenceRepository(trx);
      if (!(await refs.organisationExists(organisationId)))
        throw validationFailed([{ field: 'organisationId', message: `no organisation ${organisationId}` }]);
      const certification = await requireCertification(refs, data.certificationId);
      await this.requireTrainingHabilitation(refs, {
        organisationId,
        certificationId: certification.id,
        certificationCode: certification.code,
        startsOn: data.startsOn,
        endsOn: data.endsOn,
        skillBlockIds: data.skillBlockIds,
      });
      await requireCandidates(refs, data.candidateIds, organisationId);
      const repo = new TrainingSessionRepository(trx);
      const inserted = await repo.insert({
        organisationId,
        certificationId: certification.id,
        reference: data.reference ?? null,
        startsOn: data.startsOn,
        endsOn: data.endsOn,
        hours: data.hours ?? null,
        modality: data.modality,
        site: data.site ?? null,
        trainers: data.trainers,
        funding: data.funding ?? null,
      });
      await repo.replaceSkillBlocks(inserted.id, data.skillBlockIds);
      await repo.enrol(inserted.id, data.candidateIds, null);
      const detail = await this.detail(trx, await this.reload(trx, inserted.id));
      await recordAudit(
        trx,
        actor,
        {
          action: 'training_session.create',
          entityType: 'training_session',
          entityId: inserted.id,
          after: detail,
        },
        this.ctx.now,
      );
      return detail;
    });
  }

  async update(actor: Actor, id: string, input: unknown): Promise<TrainingSessionDetail> {
    requireAccess(actor, 'chain.declare');
    const changes = parseInput(trainingSessionPatch, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, actor, id);
      const before = await this.detail(trx, row);
      const startsOn = changes.startsOn ?? row.startsOn;
      const endsOn = changes.endsOn ?? row.endsOn;
      const problem = dateRangeIssue(startsOn, endsOn);
      if (problem) throw validationFailed([{ field: 'endsOn', message: problem }]);
      const skillBlockIds = changes.skillBlockIds ?? before.skillBlocks.map((b) => b.id);
      // New dates or blocks must still be covered by a habilitation, as when the session was declared.
      if (changes.startsOn || changes.endsOn || changes.skillBlockIds) {
        const refs = new ChainReferenceRepository(trx);
        const certification = await requireCertification(refs, row.certificationId);
        await this.requireTrainingHabilitation(refs, {
          organisationId: row.organisationId,
          certificationId: row.certificationId,
          certificationCode: certification.code,
          startsOn,
          endsOn,
          skillBlockIds,
        });
      }
      const repo = new TrainingSessionRepository(trx);
      const { skillBlockIds: newBlocks, ...columns } = changes;
      await repo.update(id, columns);
      if (newBlocks) await repo.replaceSkillBlocks(id, newBlocks);
      const after = await this.detail(trx, await this.reload(trx, id));
      await recordAudit(
        trx,
        actor,
        { action: 'training_session.update', entityType: 'training_session', entityId: id, before, after },
        this.ctx.now,
      );
      return after;
    });
  }

  async enrol(actor: Actor, id: string, input: unknown): Promise<TrainingSessionDetail> {
    requireAccess(actor, 'chain.declare');
    const data = parseInput(enrolmentInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, actor, id);
      await requireCandidates(new ChainReferenceRepository(trx), data.candidateIds, row.organisationId);
      const added = await new TrainingSessionRepository(trx).enrol(
        id,
        data.candidateIds,
        data.enrolledOn ?? null,
      );
      await recordAudit(
        trx,
        actor,
        {
          action: 'training_session.enrol',
          entityType: 'training_session',
          entityId: id,
          after: { candidateIds: added, enrolledOn: data.enrolledOn ?? null },
        },
        this.ctx.now,
      );
      return this.detail(trx, await this.reload(trx, id));
    });
  }

  async unenrol(actor: Actor, id: string, candidateId: string): Promise<TrainingSessionDetail> {
    requireAccess(actor, 'chain.declare');
    return this.ctx.db.transaction().execute(async (trx) => {
      await this.load(trx, actor, id);
      const removed = await new TrainingSessionRepository(trx).unenrol(id, candidateId);
      if (!removed) throw notFound('enrolment', candidateId);
      await recordAudit(
        trx,
        actor,
        {
          action: 'training_session.unenrol',
          entityType: 'training_session',
          entityId: id,
          before: { candidateId },
        },
        this.ctx.now,
      );
      return this.detail(trx, await this.reload(trx, id));
    });
  }

  /**
   * Refuses (conflict) a session the organisation's habilitations do not allow, naming what is missing:
   * scope, status, period or skill blocks. No blocks named means the whole certification.
   */
  private async requireTrainingHabilitation(
    refs: ChainReferenceRepository,
    s: {
      organisationId: string;
      certificationId: string;
      certificationCode: string;
      startsOn: string;
      endsOn: string;
      skillBlockIds: readonly string[];
    },
  ) {
    const blocks = await requireSkillBlocksOf(refs, s.certificationId, s.skillBlockIds);
    const coverage = habilitationCoverage(await refs.habilitationsOf(s.organisationId, s.certificationId), {
      activity: 'train',
      startsOn: s.startsOn,
      endsOn: s.endsOn,
      skillBlocks: s.skillBlockIds.length ? blocks.chosen : blocks.all,
    });
    if (!coverage.covered)
      throw conflict(
        `The organisation is not habilitated to train towards ${s.certificationCode} for this session: ${coverage.gaps
          .map((g) => g.message)
          .join('; ')}`,
        coverage.gaps.map((g) => ({ field: g.field, message: g.message })),
      );
  }

  private async load(db: Database, actor: Actor, id: string): Promise<TrainingSessionRow> {
    const row = await new TrainingSessionRepository(db).findById(id);
    if (!row) throw notFound('training_session', id);
    requireInScope(actor, 'training_session', id, row.organisationId);
    const evaluatorId = evaluatorScope(actor);
    if (evaluatorId && !(await new TrainingSessionRepository(db).isVisibleToEvaluator(id, evaluatorId)))
      throw notFound('training_session', id);
    return row;
  }

  private async reload(db: Database, id: string): Promise<TrainingSessionRow> {
    const row = await new TrainingSessionRepository(db).findById(id);
    if (!row) throw notFound('training_session', id);
    return row;
  }

  private async detail(db: Database, row: TrainingSessionRow): Promise<TrainingSessionDetail> {
    const repo = new TrainingSessionRepository(db);
    const [skillBlocks, enrolments] = await Promise.all([
      repo.skillBlocksOf(row.id),
      repo.enrolmentsOf(row.id),
    ]);
    return { ...toTrainingSessionView(row), skillBlocks, enrolments };
  }
}
