import type { Database } from '../database.js';

/**
 * The small reads the chain (training, assessment, juries, certificates) and the controls need about things
 * other parts of Habilis own: certifications and their skill blocks, habilitations, organisations, users.
 * Kept here, read-only, so these services do not depend on the services that manage those things.
 */
export class ChainReferenceRepository {
  constructor(private readonly db: Database) {}

  /** The certifier's name, as printed on certificates and minutes; null until it is set. */
  async certifierName(): Promise<string | null> {
    const row = await this.db
      .selectFrom('certifier')
      .select('name')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row?.name ?? null;
  }

  findCertification(id: string) {
    return this.db
      .selectFrom('certifications')
      .select(['id', 'code', 'title', 'isActive'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  skillBlocksOf(certificationId: string) {
    return this.db
      .selectFrom('skillBlocks')
      .select(['id', 'code', 'title'])
      .where('certificationId', '=', certificationId)
      .orderBy('code')
      .execute();
  }

  async organisationExists(id: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('organisations')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** An organisation's habilitations for one certification, each with the skill blocks it lists. */
  async habilitationsOf(organisationId: string, certificationId: string) {
    const rows = await this.db
      .selectFrom('habilitations')
      .select(['id', 'organisationId', 'scope', 'status', 'startsOn', 'endsOn', 'coversAllSkillBlocks'])
      .where('organisationId', '=', organisationId)
      .where('certificationId', '=', certificationId)
      .orderBy('startsOn', 'desc')
      .execute();
    if (rows.length === 0) return [];
    const blocks = await this.db
      .selectFrom('habilitationSkillBlocks')
      .select(['habilitationId', 'skillBlockId'])
      .where(
        'habilitationId',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.map((r) => ({
      ...r,
      skillBlockIds: blocks.filter((b) => b.habilitationId === r.id).map((b) => b.skillBlockId),
    }));
  }

  findHabilitation(id: string) {
    return this.db
      .selectFrom('habilitations')
      .select(['id', 'organisationId', 'certificationId', 'status'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Candidates by id; `organisationId` (when not undefined) keeps only that organisation's (null: none). */
  candidatesByIds(ids: readonly string[], organisationId?: string | null) {
    if (ids.length === 0) return Promise.resolve([]);
    let query = this.db
      .selectFrom('candidates')
      .select(['id', 'organisationId', 'birthName', 'usageName', 'firstNames'])
      .where('id', 'in', [...ids]);
    if (organisationId !== undefined)
      query =
        organisationId === null
          ? query.where('organisationId', 'is', null)
          : query.where('organisationId', '=', organisationId);
    return query.execute();
  }

  usersByIds(ids: readonly string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('users')
      .select(['id', 'role', 'isActive', 'displayName', 'email'])
      .where('id', 'in', [...ids])
      .execute();
  }

  findingsByIds(ids: readonly string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('findings')
      .select(['id', 'organisationId', 'status'])
      .where('id', 'in', [...ids])
      .execute();
  }
}
