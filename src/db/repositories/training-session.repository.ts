import type { Insertable, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { TrainingSessionListQuery } from '../../core/chain/training-session.schema.js';
import type { Database } from '../database.js';
import type { TrainingSessionsTable } from '../schema.js';
import { evaluatedTrainingSessionIds } from './evaluator-scope.js';

export type TrainingSessionRow = Selectable<TrainingSessionsTable> & { enrolmentCount: number };

export class TrainingSessionRepository {
  constructor(private readonly db: Database) {}

  private selectSessions() {
    return this.db
      .selectFrom('trainingSessions')
      .selectAll('trainingSessions')
      .select((eb) =>
        eb
          .selectFrom('trainingEnrolments')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('trainingEnrolments.trainingSessionId', '=', 'trainingSessions.id')
          .as('enrolmentCount'),
      );
  }

  async findById(id: string): Promise<TrainingSessionRow | undefined> {
    const row = await this.selectSessions().where('trainingSessions.id', '=', id).executeTakeFirst();
    return row && { ...row, enrolmentCount: row.enrolmentCount ?? 0 };
  }

  /**
   * `scope`: only this organisation's sessions (a partner's view); `evaluatorId`: only the sessions related to
   * the assessment sessions this evaluator is assigned to (an evaluator's view); null: all.
   */
  async list(query: TrainingSessionListQuery, scope: string | null, evaluatorId: string | null = null) {
    let base = this.db.selectFrom('trainingSessions');
    if (scope !== null) base = base.where('organisationId', '=', scope);
    if (evaluatorId !== null)
      base = base.where('id', 'in', evaluatedTrainingSessionIds(this.db, evaluatorId));
    if (query.organisationId) base = base.where('organisationId', '=', query.organisationId);
    if (query.certificationId) base = base.where('certificationId', '=', query.certificationId);
    if (query.from) base = base.where('endsOn', '>=', query.from);
    const ids = base.select('id');
    const [items, count] = await Promise.all([
      this.selectSessions()
        .where('trainingSessions.id', 'in', ids)
        .orderBy('trainingSessions.startsOn', 'desc')
        .orderBy('trainingSessions.id')
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: items.map((r) => ({ ...r, enrolmentCount: r.enrolmentCount ?? 0 })), total: count.n };
  }

  /** Whether the evaluator may read this session (see evaluator-scope). */
  async isVisibleToEvaluator(id: string, evaluatorId: string): Promise<boolean> {
    const row = await evaluatedTrainingSessionIds(this.db, evaluatorId)
      .where('trainingEnrolments.trainingSessionId', '=', id)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  insert(row: Insertable<TrainingSessionsTable>) {
    return this.db.insertInto('trainingSessions').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(id: string, changes: Updateable<TrainingSessionsTable>) {
    return this.db
      .updateTable('trainingSessions')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  skillBlocksOf(sessionId: string) {
    return this.db
      .selectFrom('trainingSessionSkillBlocks')
      .innerJoin('skillBlocks', 'skillBlocks.id', 'trainingSessionSkillBlocks.skillBlockId')
      .select(['skillBlocks.id', 'skillBlocks.code', 'skillBlocks.title'])
      .where('trainingSessionSkillBlocks.trainingSessionId', '=', sessionId)
      .orderBy('skillBlocks.code')
      .execute();
  }

  async replaceSkillBlocks(sessionId: string, skillBlockIds: readonly string[]): Promise<void> {
    await this.db
      .deleteFrom('trainingSessionSkillBlocks')
      .where('trainingSessionId', '=', sessionId)
      .execute();
    if (skillBlockIds.length === 0) return;
    await this.db
      .insertInto('trainingSessionSkillBlocks')
      .values(skillBlockIds.map((skillBlockId) => ({ trainingSessionId: sessionId, skillBlockId })))
      .execute();
  }

  enrolmentsOf(sessionId: string) {
    return this.db
      .selectFrom('trainingEnrolments')
      .innerJoin('candidates', 'candidates.id', 'trainingEnrolments.candidateId')
      .select([
        'trainingEnrolments.candidateId',
        'trainingEnrolments.enrolledOn',
        'candidates.birthName',
        'candidates.usageName',
        'candidates.firstNames',
      ])
      .where('trainingEnrolments.trainingSessionId', '=', sessionId)
      .orderBy(sql`lower(candidates.birth_name)`)
      .orderBy('candidates.id')
      .execute();
  }

  /** Enrols candidates; those already enrolled keep their enrolment. Returns the ids newly enrolled. */
  async enrol(
    sessionId: string,
    candidateIds: readonly string[],
    enrolledOn: string | null,
  ): Promise<string[]> {
    if (candidateIds.length === 0) return [];
    const rows = await this.db
      .insertInto('trainingEnrolments')
      .values(candidateIds.map((candidateId) => ({ trainingSessionId: sessionId, candidateId, enrolledOn })))
      .onConflict((oc) => oc.columns(['trainingSessionId', 'candidateId']).doNothing())
      .returning('candidateId')
      .execute();
    return rows.map((r) => r.candidateId);
  }

  async unenrol(sessionId: string, candidateId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('trainingEnrolments')
      .where('trainingSessionId', '=', sessionId)
      .where('candidateId', '=', candidateId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
