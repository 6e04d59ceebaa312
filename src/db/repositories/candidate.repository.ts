import type { Insertable, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { CandidateListQuery } from '../../core/candidates/candidate.schema.js';
import type { Database } from '../database.js';
import type { CandidatesTable } from '../schema.js';
import { evaluatedCandidateIds } from './evaluator-scope.js';

export type CandidateRow = Selectable<CandidatesTable>;

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class CandidateRepository {
  constructor(private readonly db: Database) {}

  findById(id: string): Promise<CandidateRow | undefined> {
    return this.db.selectFrom('candidates').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Several candidates by id (any order), read in slices under the bind-parameter limit. */
  async findByIds(ids: readonly string[]): Promise<CandidateRow[]> {
    const found: CandidateRow[] = [];
    for (let i = 0; i < ids.length; i += 5_000)
      found.push(
        ...(await this.db
          .selectFrom('candidates')
          .selectAll()
          .where('id', 'in', ids.slice(i, i + 5_000))
          .execute()),
      );
    return found;
  }

  /** The same person already known to the organisation: same birth name, first names and birth date. */
  findSameIdentity(c: {
    organisationId: string | null;
    birthName: string;
    firstNames: string;
    birthDate: string;
    exceptId?: string;
  }): Promise<CandidateRow | undefined> {
    let query = this.db
      .selectFrom('candidates')
      .selectAll()
      .where(sql`lower(birth_name)`, '=', c.birthName.toLowerCase())
      .where(sql`lower(first_names)`, '=', c.firstNames.toLowerCase())
      .where('birthDate', '=', c.birthDate);
    query =
      c.organisationId === null
        ? query.where('organisationId', 'is', null)
        : query.where('organisationId', '=', c.organisationId);
    if (c.exceptId) query = query.where('id', '<>', c.exceptId);
    return query.executeTakeFirst();
  }

  /**
   * The certificates issued to the candidate and not revoked, oldest first: while one exists, the identity it
   * bears is on record (its PDF, maybe the CDC's files) and only the certifier may correct it.
   */
  liveCertificatesOf(candidateId: string): Promise<{ number: string; accrochageStatus: string }[]> {
    return this.db
      .selectFrom('certificates')
      .select(['number', 'accrochageStatus'])
      .where('candidateId', '=', candidateId)
      .where('revokedAt', 'is', null)
      .orderBy('issuedOn')
      .orderBy('number')
      .execute();
  }

  /** Whether the evaluator may read this candidate (see evaluator-scope). */
  async isVisibleToEvaluator(id: string, evaluatorId: string): Promise<boolean> {
    const row = await evaluatedCandidateIds(this.db, evaluatorId)
      .where('assessmentSessionCandidates.candidateId', '=', id)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * `scope`: only this organisation's candidates (a partner's view); `evaluatorId`: only the candidates of
   * the assessment sessions this evaluator is assigned to (an evaluator's view); null: all.
   */
  async list(query: CandidateListQuery, scope: string | null, evaluatorId: string | null = null) {
    let base = this.db.selectFrom('candidates');
    if (scope !== null) base = base.where('organisationId', '=', scope);
    if (evaluatorId !== null) base = base.where('id', 'in', evaluatedCandidateIds(this.db, evaluatorId));
    if (query.organisationId) base = base.where('organisationId', '=', query.organisationId);
    if (query.q) {
      const like = likePattern(query.q);
      base = base.where((eb) =>
        eb.or([
          eb('birthName', 'ilike', like),
          eb('usageName', 'ilike', like),
          eb('firstNames', 'ilike', like),
        ]),
      );
    }
    const [items, count] = await Promise.all([
      base
        .selectAll()
        .orderBy(sql`lower(birth_name)`)
        .orderBy(sql`lower(first_names)`)
        .orderBy('id')
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n };
  }

  /**
   * Candidates whose birth date they share with a candidate of another organisation (or of none): the only
   * ones that can be the same person declared twice. With their organisation's name, for the duplicates list.
   */
  findSharingBirthDateAcrossOrganisations() {
    const shared = this.db
      .selectFrom('candidates')
      .select('birthDate')
      .where('birthDate', 'is not', null)
      .groupBy('birthDate')
      .having(sql`count(distinct coalesce(organisation_id::text, '-'))`, '>', 1);
    return this.db
      .selectFrom('candidates')
      .leftJoin('organisations', 'organisations.id', 'candidates.organisationId')
      .select([
        'candidates.id',
        'candidates.organisationId',
        'organisations.legalName as organisationName',
        'candidates.birthName',
        'candidates.usageName',
        'candidates.firstNames',
        'candidates.birthDate',
        'candidates.email',
        'candidates.createdAt',
      ])
      .where('candidates.birthDate', 'in', shared)
      .orderBy('candidates.birthDate')
      .orderBy('candidates.id')
      .execute();
  }

  insert(row: Insertable<CandidatesTable>): Promise<CandidateRow> {
    return this.db.insertInto('candidates').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(id: string, changes: Updateable<CandidatesTable>): Promise<CandidateRow> {
    return this.db
      .updateTable('candidates')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
