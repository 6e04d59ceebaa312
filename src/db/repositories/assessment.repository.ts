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

  /**
   * `scope`: only sessions this organisation organises (a partner's view); `evaluatorId`: only the sessions
   * this evaluator is assigned to (an evaluator's view); null: all.
   */
  async list(query: AssessmentSessionListQuery, scope: string | null, evaluatorId: string | null = null) {
    let base = this.db.selectFrom('assessmentSessions');
    if (scope !== null) base = base.where('organiserId', '=', scope);
    if (evaluatorId !== null)
      base = base.where('id', 'in', (eb) =>
        eb
          .selectFrom('assessmentSessionEvaluators')
          .select('assessmentSessionId')
          .where('userId', '=', evaluatorId),
      );
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

  /**
   * The trainings for this certification, among those the candidates are enrolled in, that end after `day`:
   * under the assessment-after-training rule, these candidates may not be assessed on that day yet.
   */
  trainingsEndingAfter(certificationId: string, candidateIds: readonly string[], day: string) {
    if (candidateIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('trainingEnrolments')
      .innerJoin('trainingSessions', 'trainingSessions.id', 'trainingEnrolments.trainingSessionId')
      .innerJoin('candidates', 'candidates.id', 'trainingEnrolments.candidateId')
      .select([
        'trainingEnrolments.candidateId',
        'candidates.birthName',
        'candidates.firstNames',
        'trainingSessions.id as trainingSessionId',
        'trainingSessions.reference',
        'trainingSessions.endsOn',
      ])
      .where('trainingSessions.certificationId', '=', certificationId)
      .where('trainingEnrolments.candidateId', 'in', [...candidateIds])
      .where('trainingSessions.endsOn', '>', day)
      .orderBy('trainingEnrolments.candidateId')
      .orderBy('trainingSessions.endsOn', 'desc')
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

  /** The results these candidates already have in the session (to find those a new entry replaces). */
  resultsOfCandidates(sessionId: string, candidateIds: readonly string[]): Promise<AssessmentResultRow[]> {
    if (candidateIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('assessmentResults')
      .selectAll()
      .where('assessmentSessionId', '=', sessionId)
      .where('candidateId', 'in', [...new Set(candidateIds)])
      .execute();
  }

  /** Inserts many results at once (in slices under the bind-parameter limit), in the order given. */
  async insertResults(rows: readonly Insertable<AssessmentResultsTable>[]): Promise<AssessmentResultRow[]> {
    const inserted: AssessmentResultRow[] = [];
    for (let i = 0; i < rows.length; i += 1_000)
      inserted.push(
        ...(await this.db
          .insertInto('assessmentResults')
          .values(rows.slice(i, i + 1_000))
          .returningAll()
          .execute()),
      );
    return inserted;
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
