import type { Insertable, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { JuryListQuery } from '../../core/juries/jury.schema.js';
import type { Database } from '../database.js';
import type { DeliberationsTable, JuriesTable, JuryMembersTable } from '../schema.js';

export type JuryRow = Selectable<JuriesTable>;
export type JuryMemberRow = Selectable<JuryMembersTable>;
export type DeliberationRow = Selectable<DeliberationsTable> & { skillBlockIds: string[] };

export class JuryRepository {
  constructor(private readonly db: Database) {}

  findById(id: string): Promise<JuryRow | undefined> {
    return this.db.selectFrom('juries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(query: JuryListQuery) {
    let base = this.db.selectFrom('juries');
    if (query.certificationId) base = base.where('certificationId', '=', query.certificationId);
    if (query.status) base = base.where('status', '=', query.status);
    const [items, count] = await Promise.all([
      base
        .selectAll()
        .orderBy('meetsOn', 'desc')
        .orderBy('id')
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n };
  }

  insert(row: Insertable<JuriesTable>): Promise<JuryRow> {
    return this.db.insertInto('juries').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(id: string, changes: Updateable<JuriesTable>): Promise<JuryRow> {
    return this.db
      .updateTable('juries')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  membersOf(juryId: string): Promise<JuryMemberRow[]> {
    return this.db
      .selectFrom('juryMembers')
      .selectAll()
      .where('juryId', '=', juryId)
      .orderBy(sql`case role when 'president' then 0 else 1 end`)
      .orderBy('fullName')
      .orderBy('id')
      .execute();
  }

  async replaceMembers(
    juryId: string,
    members: Omit<Insertable<JuryMembersTable>, 'juryId'>[],
  ): Promise<void> {
    await this.db.deleteFrom('juryMembers').where('juryId', '=', juryId).execute();
    if (members.length === 0) return;
    await this.db
      .insertInto('juryMembers')
      .values(members.map((m) => ({ ...m, juryId })))
      .execute();
  }

  async deliberationsOf(juryId: string): Promise<DeliberationRow[]> {
    const rows = await this.db
      .selectFrom('deliberations')
      .selectAll()
      .where('juryId', '=', juryId)
      .orderBy('decidedAt')
      .orderBy('id')
      .execute();
    return this.withSkillBlocks(rows);
  }

  async findDeliberation(id: string): Promise<DeliberationRow | undefined> {
    const row = await this.db.selectFrom('deliberations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return (await this.withSkillBlocks([row]))[0];
  }

  findDeliberationOf(juryId: string, candidateId: string) {
    return this.db
      .selectFrom('deliberations')
      .select('id')
      .where('juryId', '=', juryId)
      .where('candidateId', '=', candidateId)
      .executeTakeFirst();
  }

  /**
   * The candidates before a jury: those with a result in a held assessment session of its certification,
   * and those it already deliberated on. Names only; results and decisions are read separately.
   */
  candidatesBefore(juryId: string, certificationId: string) {
    const assessed = this.db
      .selectFrom('assessmentResults')
      .innerJoin('assessmentSessions', 'assessmentSessions.id', 'assessmentResults.assessmentSessionId')
      .select('assessmentResults.candidateId')
      .where('assessmentSessions.certificationId', '=', certificationId)
      .where('assessmentSessions.status', '=', 'held');
    const deliberated = this.db
      .selectFrom('deliberations')
      .select('candidateId')
      .where('juryId', '=', juryId);
    return this.db
      .selectFrom('candidates')
      .select(['id', 'organisationId', 'birthName', 'usageName', 'firstNames', 'birthDate'])
      .where((eb) => eb.or([eb('id', 'in', assessed), eb('id', 'in', deliberated)]))
      .orderBy(sql`lower(birth_name)`)
      .orderBy(sql`lower(first_names)`)
      .orderBy('id')
      .execute();
  }

  /** The results of these candidates in held assessment sessions of the certification, with block codes. */
  resultsFor(certificationId: string, candidateIds: readonly string[]) {
    if (candidateIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('assessmentResults')
      .innerJoin('assessmentSessions', 'assessmentSessions.id', 'assessmentResults.assessmentSessionId')
      .leftJoin('skillBlocks', 'skillBlocks.id', 'assessmentResults.skillBlockId')
      .select([
        'assessmentResults.candidateId',
        'assessmentResults.assessmentSessionId',
        'assessmentSessions.startsAt',
        'assessmentResults.skillBlockId',
        'skillBlocks.code as skillBlockCode',
        'assessmentResults.assessmentTask',
        'assessmentResults.score',
        'assessmentResults.maxScore',
        'assessmentResults.decision',
      ])
      .where('assessmentSessions.certificationId', '=', certificationId)
      .where('assessmentSessions.status', '=', 'held')
      .where('assessmentResults.candidateId', 'in', [...candidateIds])
      .orderBy('assessmentSessions.startsAt')
      .orderBy('skillBlocks.code')
      .orderBy('assessmentResults.assessmentTask')
      .execute();
  }

  /** The certificates issued from this jury's deliberations. */
  certificatesOf(juryId: string) {
    return this.db
      .selectFrom('certificates')
      .innerJoin('deliberations', 'deliberations.id', 'certificates.deliberationId')
      .select([
        'certificates.id',
        'certificates.number',
        'certificates.deliberationId',
        'certificates.accrochageStatus',
        'certificates.revokedAt',
      ])
      .where('deliberations.juryId', '=', juryId)
      .execute();
  }

  private async withSkillBlocks(rows: Selectable<DeliberationsTable>[]): Promise<DeliberationRow[]> {
    if (rows.length === 0) return [];
    const blocks = await this.db
      .selectFrom('deliberationSkillBlocks')
      .innerJoin('skillBlocks', 'skillBlocks.id', 'deliberationSkillBlocks.skillBlockId')
      .select(['deliberationSkillBlocks.deliberationId', 'deliberationSkillBlocks.skillBlockId'])
      .where(
        'deliberationSkillBlocks.deliberationId',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('skillBlocks.code')
      .execute();
    return rows.map((r) => ({
      ...r,
      skillBlockIds: blocks.filter((b) => b.deliberationId === r.id).map((b) => b.skillBlockId),
    }));
  }

  async insertDeliberation(
    row: Insertable<DeliberationsTable>,
    skillBlockIds: readonly string[],
  ): Promise<DeliberationRow> {
    const inserted = await this.db
      .insertInto('deliberations')
      .values(row)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (skillBlockIds.length)
      await this.db
        .insertInto('deliberationSkillBlocks')
        .values(skillBlockIds.map((skillBlockId) => ({ deliberationId: inserted.id, skillBlockId })))
        .execute();
    return { ...inserted, skillBlockIds: [...skillBlockIds] };
  }
}
