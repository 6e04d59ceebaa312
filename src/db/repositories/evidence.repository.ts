import { type Insertable, type Selectable, sql } from 'kysely';
import type { EvidenceEntityType } from '../../core/evidence/evidence.schema.js';
import type { Database } from '../database.js';
import type { EvidenceFilesTable, EvidenceLinksTable } from '../schema.js';

export type EvidenceFileRow = Selectable<EvidenceFilesTable>;
export type NewEvidenceFileRow = Insertable<EvidenceFilesTable>;
export type EvidenceLinkRow = Selectable<EvidenceLinksTable>;

export interface EvidenceFilter {
  /** Only these organisations' files (a partner's scope, or a filter). */
  organisationIds?: string[];
  entityType?: string | undefined;
  entityId?: string | undefined;
  q?: string | undefined;
}

/** For entities that belong to no organisation. */
const noOrganisation = sql<string | null>`null::uuid`.as('organisationId');

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class EvidenceRepository {
  constructor(private readonly db: Database) {}

  findById(id: string): Promise<EvidenceFileRow | undefined> {
    return this.db.selectFrom('evidenceFiles').selectAll().where('id', '=', id).executeTakeFirst();
  }

  insert(row: NewEvidenceFileRow): Promise<EvidenceFileRow> {
    return this.db.insertInto('evidenceFiles').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async list(
    filter: EvidenceFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: EvidenceFileRow[]; total: number }> {
    let base = this.db.selectFrom('evidenceFiles');
    if (filter.organisationIds) {
      if (filter.organisationIds.length === 0) return { items: [], total: 0 };
      base = base.where('evidenceFiles.organisationId', 'in', filter.organisationIds);
    }
    if (filter.q) {
      const like = `%${escapeLike(filter.q)}%`;
      base = base.where((eb) =>
        eb.or([eb('evidenceFiles.fileName', 'ilike', like), eb('evidenceFiles.description', 'ilike', like)]),
      );
    }
    if (filter.entityType || filter.entityId) {
      const { entityType, entityId } = filter;
      base = base.where((eb) => {
        let links = eb
          .selectFrom('evidenceLinks')
          .select('evidenceLinks.evidenceId')
          .whereRef('evidenceLinks.evidenceId', '=', 'evidenceFiles.id');
        if (entityType) links = links.where('evidenceLinks.entityType', '=', entityType);
        if (entityId) links = links.where('evidenceLinks.entityId', '=', entityId);
        return eb.exists(links);
      });
    }
    const [items, count] = await Promise.all([
      base
        .selectAll('evidenceFiles')
        .orderBy('evidenceFiles.uploadedAt', 'desc')
        .orderBy('evidenceFiles.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n };
  }

  /** The links of each file, oldest first. */
  async linksOf(evidenceIds: readonly string[]): Promise<Map<string, EvidenceLinkRow[]>> {
    const byEvidence = new Map<string, EvidenceLinkRow[]>();
    if (evidenceIds.length === 0) return byEvidence;
    const rows = await this.db
      .selectFrom('evidenceLinks')
      .selectAll()
      .where('evidenceId', 'in', [...evidenceIds])
      .orderBy('createdAt')
      .orderBy('entityType')
      .orderBy('entityId')
      .execute();
    for (const row of rows) {
      const list = byEvidence.get(row.evidenceId) ?? [];
      list.push(row);
      byEvidence.set(row.evidenceId, list);
    }
    return byEvidence;
  }

  /** Adds a link; linking the same file to the same entity again changes nothing (returns false). */
  async insertLink(link: {
    evidenceId: string;
    entityType: string;
    entityId: string;
    purpose: string | null;
  }): Promise<boolean> {
    const inserted = await this.db
      .insertInto('evidenceLinks')
      .values(link)
      .onConflict((oc) => oc.columns(['evidenceId', 'entityType', 'entityId']).doNothing())
      .returning('evidenceId')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** How many file rows name this content (several uploads of the same bytes share one stored file). */
  async countBySha256(sha256: string): Promise<number> {
    const row = await this.db
      .selectFrom('evidenceFiles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sha256', '=', sha256)
      .executeTakeFirstOrThrow();
    return row.n;
  }

  /**
   * Whether an entity exists and which organisation's records it belongs to: `undefined` when there is no
   * such entity, `{ organisationId: null }` when it belongs to no organisation.
   */
  async ownerOf(
    entityType: EvidenceEntityType,
    id: string,
  ): Promise<{ organisationId: string | null } | undefined> {
    const db = this.db;
    switch (entityType) {
      case 'organisation':
        return db
          .selectFrom('organisations')
          .select('id as organisationId')
          .where('id', '=', id)
          .executeTakeFirst();
      case 'certification':
        return db.selectFrom('certifications').select(noOrganisation).where('id', '=', id).executeTakeFirst();
      case 'habilitation':
        return db
          .selectFrom('habilitations')
          .select('organisationId')
          .where('id', '=', id)
          .executeTakeFirst();
      case 'convention':
        return db.selectFrom('conventions').select('organisationId').where('id', '=', id).executeTakeFirst();
      case 'training_session':
        return db
          .selectFrom('trainingSessions')
          .select('organisationId')
          .where('id', '=', id)
          .executeTakeFirst();
      case 'assessment_session':
        return db
          .selectFrom('assessmentSessions')
          .select('organiserId as organisationId')
          .where('id', '=', id)
          .executeTakeFirst();
      case 'candidate':
        return db.selectFrom('candidates').select('organisationId').where('id', '=', id).executeTakeFirst();
      case 'jury':
        return db.selectFrom('juries').select(noOrganisation).where('id', '=', id).executeTakeFirst();
      case 'certificate':
        return db.selectFrom('certificates').select(noOrganisation).where('id', '=', id).executeTakeFirst();
      case 'control':
        return db.selectFrom('controls').select('organisationId').where('id', '=', id).executeTakeFirst();
      case 'finding':
        return db.selectFrom('findings').select('organisationId').where('id', '=', id).executeTakeFirst();
      case 'corrective_action':
        return db
          .selectFrom('correctiveActions')
          .innerJoin('findings', 'findings.id', 'correctiveActions.findingId')
          .select('findings.organisationId')
          .where('correctiveActions.id', '=', id)
          .executeTakeFirst();
      case 'sanction':
        return db.selectFrom('sanctions').select('organisationId').where('id', '=', id).executeTakeFirst();
      case 'partner_request':
        return db
          .selectFrom('partnerRequests')
          .select('organisationId')
          .where('id', '=', id)
          .executeTakeFirst();
    }
  }
}
