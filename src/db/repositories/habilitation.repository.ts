import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Database } from '../database.js';
import type { HabilitationDecisionsTable, HabilitationsTable } from '../schema.js';

export type HabilitationRow = Selectable<HabilitationsTable>;
export type NewHabilitationRow = Insertable<HabilitationsTable>;
export type HabilitationUpdate = Updateable<HabilitationsTable>;
export type HabilitationDecisionRow = Selectable<HabilitationDecisionsTable>;
export type NewHabilitationDecisionRow = Insertable<HabilitationDecisionsTable>;

/** A habilitation with the names a list shows. */
export type HabilitationListRow = HabilitationRow & {
  organisationName: string;
  certificationCode: string;
  certificationTitle: string;
};

export interface HabilitationSkillBlockRow {
  habilitationId: string;
  id: string;
  code: string;
  title: string;
}

export type HabilitationDecisionListRow = HabilitationDecisionRow & { decidedByName: string | null };

export interface HabilitationFilter {
  /** Only this organisation (a partner's scope, or a filter). */
  organisationIds?: string[];
  certificationId?: string | undefined;
  statuses?: readonly string[] | undefined;
  scope?: string | undefined;
  /** Only habilitations whose period includes this day. */
  coversDay?: string | undefined;
}

export type HabilitationSort = 'organisation' | 'certification' | 'startsOn' | 'createdAt';

export class HabilitationRepository {
  constructor(private readonly db: Database) {}

  private withNames() {
    return this.db
      .selectFrom('habilitations')
      .innerJoin('organisations', 'organisations.id', 'habilitations.organisationId')
      .innerJoin('certifications', 'certifications.id', 'habilitations.certificationId');
  }

  findById(id: string): Promise<HabilitationListRow | undefined> {
    return this.withNames()
      .selectAll('habilitations')
      .select([
        'organisations.legalName as organisationName',
        'certifications.code as certificationCode',
        'certifications.title as certificationTitle',
      ])
      .where('habilitations.id', '=', id)
      .executeTakeFirst();
  }

  async list(
    filter: HabilitationFilter,
    page: { limit: number; offset: number; sort: HabilitationSort; order: 'asc' | 'desc' },
  ): Promise<{ items: HabilitationListRow[]; total: number }> {
    let base = this.withNames();
    if (filter.organisationIds) {
      if (filter.organisationIds.length === 0) return { items: [], total: 0 };
      base = base.where('habilitations.organisationId', 'in', filter.organisationIds);
    }
    if (filter.certificationId)
      base = base.where('habilitations.certificationId', '=', filter.certificationId);
    if (filter.statuses) {
      if (filter.statuses.length === 0) return { items: [], total: 0 };
      base = base.where('habilitations.status', 'in', [...filter.statuses]);
    }
    if (filter.scope) base = base.where('habilitations.scope', '=', filter.scope);
    if (filter.coversDay) {
      const day = filter.coversDay;
      base = base
        .where('habilitations.startsOn', '<=', day)
        .where((eb) =>
          eb.or([eb('habilitations.endsOn', 'is', null), eb('habilitations.endsOn', '>=', day)]),
        );
    }
    const dir = page.order === 'desc' ? sql`desc` : sql`asc`;
    const order = {
      organisation: sql`lower(organisations.legal_name) ${dir}, certifications.code ${dir}, habilitations.starts_on ${dir}`,
      certification: sql`certifications.code ${dir}, lower(organisations.legal_name) ${dir}, habilitations.starts_on ${dir}`,
      startsOn: sql`habilitations.starts_on ${dir}`,
      createdAt: sql`habilitations.created_at ${dir}`,
    }[page.sort];
    const [items, count] = await Promise.all([
      base
        .selectAll('habilitations')
        .select([
          'organisations.legalName as organisationName',
          'certifications.code as certificationCode',
          'certifications.title as certificationTitle',
        ])
        .orderBy(order)
        .orderBy('habilitations.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n };
  }

  /** Every habilitation of one organisation for one certification, whatever its status. */
  listForPair(organisationId: string, certificationId: string): Promise<HabilitationRow[]> {
    return this.db
      .selectFrom('habilitations')
      .selectAll()
      .where('organisationId', '=', organisationId)
      .where('certificationId', '=', certificationId)
      .execute();
  }

  /**
   * Locks the organisation's row until the end of the transaction, so that two writers cannot each check
   * for an overlapping habilitation and both insert one.
   */
  async lockOrganisation(organisationId: string): Promise<void> {
    await this.db
      .selectFrom('organisations')
      .select('id')
      .where('id', '=', organisationId)
      .forUpdate()
      .execute();
  }

  /** The named skill blocks of each habilitation (those with coversAllSkillBlocks false), in code order. */
  async skillBlocksOf(habilitationIds: readonly string[]): Promise<Map<string, HabilitationSkillBlockRow[]>> {
    const byHabilitation = new Map<string, HabilitationSkillBlockRow[]>();
    if (habilitationIds.length === 0) return byHabilitation;
    const rows = await this.db
      .selectFrom('habilitationSkillBlocks')
      .innerJoin('skillBlocks', 'skillBlocks.id', 'habilitationSkillBlocks.skillBlockId')
      .select([
        'habilitationSkillBlocks.habilitationId',
        'skillBlocks.id',
        'skillBlocks.code',
        'skillBlocks.title',
      ])
      .where('habilitationSkillBlocks.habilitationId', 'in', [...habilitationIds])
      .orderBy('skillBlocks.code')
      .execute();
    for (const row of rows) {
      const list = byHabilitation.get(row.habilitationId) ?? [];
      list.push(row);
      byHabilitation.set(row.habilitationId, list);
    }
    return byHabilitation;
  }

  insert(row: NewHabilitationRow): Promise<HabilitationRow> {
    return this.db.insertInto('habilitations').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(id: string, changes: HabilitationUpdate): Promise<HabilitationRow> {
    return this.db
      .updateTable('habilitations')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Replaces the list of named skill blocks of a habilitation. */
  async replaceSkillBlocks(habilitationId: string, skillBlockIds: readonly string[]): Promise<void> {
    await this.db
      .deleteFrom('habilitationSkillBlocks')
      .where('habilitationId', '=', habilitationId)
      .execute();
    if (skillBlockIds.length === 0) return;
    await this.db
      .insertInto('habilitationSkillBlocks')
      .values(skillBlockIds.map((skillBlockId) => ({ habilitationId, skillBlockId })))
      .execute();
  }

  /** The sites where a habilitation applies, by label. */
  sitesOf(habilitationId: string) {
    return this.db
      .selectFrom('habilitationSites')
      .innerJoin('organisationSites', 'organisationSites.id', 'habilitationSites.siteId')
      .select([
        'organisationSites.id',
        'organisationSites.organisationId',
        'organisationSites.label',
        'organisationSites.addressLine',
        'organisationSites.postalCode',
        'organisationSites.city',
      ])
      .where('habilitationSites.habilitationId', '=', habilitationId)
      .orderBy('organisationSites.label')
      .orderBy('organisationSites.id')
      .execute();
  }

  /** The sites named by id, whatever their organisation (the caller checks it). */
  findSites(siteIds: readonly string[]) {
    if (siteIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('organisationSites')
      .select(['id', 'organisationId', 'label'])
      .where('id', 'in', [...siteIds])
      .execute();
  }

  async replaceSites(habilitationId: string, siteIds: readonly string[]): Promise<void> {
    await this.db.deleteFrom('habilitationSites').where('habilitationId', '=', habilitationId).execute();
    if (siteIds.length === 0) return;
    await this.db
      .insertInto('habilitationSites')
      .values(siteIds.map((siteId) => ({ habilitationId, siteId })))
      .execute();
  }

  insertDecision(row: NewHabilitationDecisionRow): Promise<HabilitationDecisionRow> {
    return this.db.insertInto('habilitationDecisions').values(row).returningAll().executeTakeFirstOrThrow();
  }

  /** The decisions of a habilitation, oldest first, with the name of who decided. */
  decisionsOf(habilitationId: string): Promise<HabilitationDecisionListRow[]> {
    return this.db
      .selectFrom('habilitationDecisions')
      .leftJoin('users', 'users.id', 'habilitationDecisions.decidedBy')
      .selectAll('habilitationDecisions')
      .select('users.displayName as decidedByName')
      .where('habilitationDecisions.habilitationId', '=', habilitationId)
      .orderBy('habilitationDecisions.decidedAt')
      .orderBy('habilitationDecisions.id')
      .execute();
  }
}
