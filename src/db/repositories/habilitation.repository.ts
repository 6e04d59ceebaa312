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

  /** The organisation of each named evidence file and finding (absent: unknown), to check a decision's links. */
  async linkTargets(
    evidenceIds: readonly string[],
    findingIds: readonly string[],
  ): Promise<{ evidence: Map<string, string | null>; findings: Map<string, string | null> }> {
    const [evidence, findings] = await Promise.all([
      evidenceIds.length === 0
        ? []
        : this.db
            .selectFrom('evidenceFiles')
            .select(['id', 'organisationId'])
            .where('id', 'in', [...evidenceIds])
            .execute(),
      findingIds.length === 0
        ? []
        : this.db
            .selectFrom('findings')
            .select(['id', 'organisationId'])
            .where('id', 'in', [...findingIds])
            .execute(),
    ]);
    return {
      evidence: new Map(evidence.map((e) => [e.id, e.organisationId])),
      findings: new Map(findings.map((f) => [f.id, f.organisationId])),
    };
  }

  async insertDecisionLinks(
    decisionId: string,
    evidenceIds: readonly string[],
    findingIds: readonly string[],
  ): Promise<void> {
    const rows = [
      ...evidenceIds.map((id) => sql`(${decisionId}::uuid, ${id}::uuid, null::uuid)`),
      ...findingIds.map((id) => sql`(${decisionId}::uuid, null::uuid, ${id}::uuid)`),
    ];
    if (rows.length === 0) return;
    await sql`insert into habilitation_decision_links (decision_id, evidence_id, finding_id)
      values ${sql.join(rows)}`.execute(this.db);
  }

  /** The evidence files and findings linked to each of these decisions. */
  async decisionLinksOf(decisionIds: readonly string[]): Promise<{
    evidence: Map<string, { id: string; fileName: string }[]>;
    findings: Map<string, { id: string; title: string; severity: string }[]>;
  }> {
    const evidence = new Map<string, { id: string; fileName: string }[]>();
    const findings = new Map<string, { id: string; title: string; severity: string }[]>();
    if (decisionIds.length === 0) return { evidence, findings };
    const rows = await sql<{
      decisionId: string;
      evidenceId: string | null;
      fileName: string | null;
      findingId: string | null;
      title: string | null;
      severity: string | null;
    }>`select l.decision_id, l.evidence_id, e.file_name, l.finding_id, f.title, f.severity
      from habilitation_decision_links l
      left join evidence_files e on e.id = l.evidence_id
      left join findings f on f.id = l.finding_id
      where l.decision_id in (${sql.join(decisionIds.map((id) => sql`${id}::uuid`))})
      order by e.file_name, f.title`.execute(this.db);
    const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
      const list = map.get(key) ?? [];
      list.push(value);
      map.set(key, list);
    };
    for (const r of rows.rows) {
      if (r.evidenceId) push(evidence, r.decisionId, { id: r.evidenceId, fileName: r.fileName ?? '' });
      if (r.findingId)
        push(findings, r.decisionId, { id: r.findingId, title: r.title ?? '', severity: r.severity ?? '' });
    }
    return { evidence, findings };
  }
}
