import type { Insertable, Selectable } from 'kysely';
import type { Database } from '../database.js';
import type {
  ChecklistCheckpointsTable,
  ChecklistTemplatesTable,
  CheckpointResultsTable,
} from '../schema.js';

export type ChecklistTemplateRow = Selectable<ChecklistTemplatesTable>;
export type CheckpointRow = Selectable<ChecklistCheckpointsTable>;
export type CheckpointResultRow = Selectable<CheckpointResultsTable>;

/** Audit checklists (templates and their checkpoints) and the results recorded on each audit. */
export class ChecklistRepository {
  constructor(private readonly db: Database) {}

  findTemplate(id: string): Promise<ChecklistTemplateRow | undefined> {
    return this.db.selectFrom('checklistTemplates').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findTemplateByCode(code: string): Promise<ChecklistTemplateRow | undefined> {
    return this.db.selectFrom('checklistTemplates').selectAll().where('code', '=', code).executeTakeFirst();
  }

  listTemplates(kind?: string): Promise<ChecklistTemplateRow[]> {
    let q = this.db.selectFrom('checklistTemplates').selectAll();
    if (kind) q = q.where('kind', '=', kind);
    return q.orderBy('kind').orderBy('title').orderBy('id').execute();
  }

  checkpointsOf(templateIds: readonly string[]): Promise<CheckpointRow[]> {
    if (templateIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('checklistCheckpoints')
      .selectAll()
      .where('templateId', 'in', [...templateIds])
      .orderBy('templateId')
      .orderBy('position')
      .execute();
  }

  findCheckpoint(templateId: string, checkpointId: string): Promise<CheckpointRow | undefined> {
    return this.db
      .selectFrom('checklistCheckpoints')
      .selectAll()
      .where('templateId', '=', templateId)
      .where('id', '=', checkpointId)
      .executeTakeFirst();
  }

  async insertTemplate(
    row: Insertable<ChecklistTemplatesTable>,
    checkpoints: Omit<Insertable<ChecklistCheckpointsTable>, 'templateId'>[],
  ): Promise<string> {
    const { id } = await this.db
      .insertInto('checklistTemplates')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.db
      .insertInto('checklistCheckpoints')
      .values(checkpoints.map((c) => ({ ...c, templateId: id })))
      .execute();
    return id;
  }

  resultsOf(controlId: string): Promise<CheckpointResultRow[]> {
    return this.db.selectFrom('checkpointResults').selectAll().where('controlId', '=', controlId).execute();
  }

  findResult(controlId: string, checkpointId: string): Promise<CheckpointResultRow | undefined> {
    return this.db
      .selectFrom('checkpointResults')
      .selectAll()
      .where('controlId', '=', controlId)
      .where('checkpointId', '=', checkpointId)
      .executeTakeFirst();
  }

  async upsertResult(row: Insertable<CheckpointResultsTable>): Promise<void> {
    await this.db
      .insertInto('checkpointResults')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['controlId', 'checkpointId']).doUpdateSet({
          result: row.result,
          comment: row.comment ?? null,
          findingId: row.findingId ?? null,
          recordedBy: row.recordedBy ?? null,
          recordedAt: row.recordedAt ?? new Date(),
        }),
      )
      .execute();
  }

  /** The checkpoint (and audit) that raised a finding, if one did. */
  checkpointOfFinding(findingId: string) {
    return this.db
      .selectFrom('checkpointResults')
      .innerJoin('checklistCheckpoints', 'checklistCheckpoints.id', 'checkpointResults.checkpointId')
      .select([
        'checkpointResults.controlId',
        'checklistCheckpoints.code',
        'checklistCheckpoints.question',
        'checklistCheckpoints.requirementRef',
      ])
      .where('checkpointResults.findingId', '=', findingId)
      .executeTakeFirst();
  }

  organisationName(organisationId: string | null): Promise<string | null> {
    if (!organisationId) return Promise.resolve(null);
    return this.db
      .selectFrom('organisations')
      .select('legalName')
      .where('id', '=', organisationId)
      .executeTakeFirst()
      .then((r) => r?.legalName ?? null);
  }
}
