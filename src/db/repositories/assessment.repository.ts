import type { Insertable, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { AssessmentSessionListQuery } from '../../core/chain/assessment.schema.js';
import type { Database } from '../database.js';
import type { AssessmentResultsTable, AssessmentSessionsTable } from '../schema.js';

export type AssessmentSessionRow = Selectable<AssessmentSessionsTable> & { candidateCount: number };
export type AssessmentResultRow = Selectable<AssessmentResultsTable>;

export class AssessmentRepository {
  constructor(private readonly db: Database) {}

  private selectSessions() {
    return this.db
      .selectFrom('assessmentSessions')
      .selectAll('assessmentSessions')
      .select((eb) =>
        eb
          .selectFrom('assessmentSessionCandidates')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('assessmentSessionCandidates.assessmentSessionId', '=', 'assessmentSessions.id')
          .as('candidateCount'),
      );
  }

  async findById(id: string): Promise<AssessmentSessionRow | undefined> {
    const row = await this.selectSessions().where('assessmentSessions.id', '=', id).executeTakeFirst();
    return row && { ...row, candidateCount: row.candidateCount ?? 0 };
  }

  /** `scope`: only sessions this organisation organises (a partner's view); null: all. */
  async list(query: AssessmentSessionListQuery, scope: string | null) {
    let base = this.db.selectFrom('assessmentSessions');
    if (scope !== null) base = base.where('organiserId', '=', scope);
    if (query.organiserId) base = base.where('organiserId', '=', query.organiserId);
    if (query.certificationId) base = base.where('certificationId', '=', query.certificationId);
    if (query.status) base = base.where('status', '=', query.status);
    if (query.from) base = base.where('startsAt', '>=', new Date(`${query.from}T00:00:00Z`));
    const [items, count] = await Promise.all([
      this.selectSessions()
        .where('assessmentSessions.id', 'in', base.select('id'))
        .orderBy('assessmentSessions.startsAt', 'desc')
        .orderBy('assessmentSessions.id')
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: items.map((r) => ({ ...r, candidateCount: r.candidateCount ?? 0 })), total: count.n };
  }

  insert(row: Insertable<AssessmentSessionsTable>) {
    return this.db.insertInto('assessmentSessions').values(row).returning('id').executeTakeFirstOrThrow();
  }

  async update(id: string, changes: Updateable<AssessmentSessionsTable>): Promise<void> {
    await this.db
      .updateTable('assessmentSessions')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  candidatesOf(sessionId: string) {
    return this.db
      .selectFrom('assessmentSessionCandidates')
      .innerJoin('candidates', 'candidates.id', 'assessmentSessionCandidates.candidateId')
      .select([
        'candidates.id as candidateId',
        'candidates.organisationId',
        'candidates.birthName',
        'candidates.usageName',
        'candidates.firstNames',
      ])
      .where('assessmentSessionCandidates.assessmentSessionId', '=', sessionId)
      .orderBy(sql`lower(candidates.birth_name)`)
      .orderBy('candidates.id')
      .execute();
  }

  /** Registers candidates; those already registered stay. Returns the ids newly registered. */
  async addCandidates(sessionId: string, candidateIds: readonly string[]): Promise<string[]> {
    if (candidateIds.length === 0) return [];
    const rows = await this.db
      .insertInto('assessmentSessionCandidates')
      .values(candidateIds.map((candidateId) => ({ assessmentSessionId: sessionId, candidateId })))
      .onConflict((oc) => oc.columns(['assessmentSessionId', 'candidateId']).doNothing())
      .returning('candidateId')
      .execute();
    return rows.map((r) => r.candidateId);
  }

  evaluatorsOf(sessionId: string) {
    return this.db
      .selectFrom('assessmentSessionEvaluators')
      .innerJoin('users', 'users.id', 'assessmentSessionEvaluators.userId')
      .select(['users.id as userId', 'users.displayName', 'users.email'])
      .where('assessmentSessionEvaluators.assessmentSessionId', '=', sessionId)
      .orderBy('users.displayName')
      .execute();
  }

  async isEvaluatorOf(sessionId: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('assessmentSessionEvaluators')
      .select('userId')
      .where('assessmentSessionId', '=', sessionId)
      .where('userId', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async replaceEvaluators(sessionId: string, userIds: readonly string[]): Promise<void> {
    await this.db
      .deleteFrom('assessmentSessionEvaluators')
      .where('assessmentSessionId', '=', sessionId)
      .execute();
    if (userIds.length === 0) return;
    await this.db
      .insertInto('assessmentSessionEvaluators')
      .values(userIds.map((userId) => ({ assessmentSessionId: sessionId, userId })))
      .execute();
  }

  resultsOf(sessionId: string): Promise<AssessmentResultRow[]> {
    return this.db
      .selectFrom('assessmentResults')
      .selectAll()
      .where('assessmentSessionId', '=', sessionId)
      .orderBy('candidateId')
      .orderBy('recordedAt')
      .orderBy('id')
      .execute();
  }

  /** The result already recorded for the same candidate and the same skill block or task, if any. */
  findSameResult(r: {
    assessmentSessionId: string;
    candidateId: string;
    skillBlockId: string | null;
    assessmentTask: string | null;
  }): Promise<AssessmentResultRow | undefined> {
    return this.db
      .selectFrom('assessmentResults')
      .selectAll()
      .where('assessmentSessionId', '=', r.assessmentSessionId)
      .where('candidateId', '=', r.candidateId)
      .where(sql<boolean>`skill_block_id is not distinct from ${r.skillBlockId}::uuid`)
      .where(sql<boolean>`assessment_task is not distinct from ${r.assessmentTask}::text`)
      .executeTakeFirst();
  }

  insertResult(row: Insertable<AssessmentResultsTable>): Promise<AssessmentResultRow> {
    return this.db.insertInto('assessmentResults').values(row).returningAll().executeTakeFirstOrThrow();
  }

  updateResult(id: string, changes: Updateable<AssessmentResultsTable>): Promise<AssessmentResultRow> {
    return this.db
      .updateTable('assessmentResults')
      .set(changes)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
