import { sql } from 'kysely';
import type { Database } from '../database.js';

/** What the Qualiopi refresh reads of an organisation. */
export interface QualiopiOrganisationRow {
  id: string;
  siret: string;
  nda: string | null;
  legalName: string;
  qualiopiStatus: string;
  qualiopiCategories: string[];
}

export interface QualiopiUpdate {
  qualiopiStatus: string;
  qualiopiCategories: string[];
  nda: string | null;
  qualiopiCheckedAt: Date;
}

export interface QualiopiFindingDraft {
  ruleId: string;
  subjectKey: string;
  organisationId: string;
  title: string;
  description: string;
  severity: 'minor' | 'major' | 'critical';
  source: Record<string, unknown>;
}

const columns = ['id', 'siret', 'nda', 'legalName', 'qualiopiStatus', 'qualiopiCategories'] as const;

/** The organisations and findings rows a Qualiopi refresh reads and writes. SQL only. */
export class QualiopiRepository {
  constructor(private readonly db: Database) {}

  /** Every organisation not archived: the refresh matches the list against these. */
  activeOrganisations(): Promise<QualiopiOrganisationRow[]> {
    return this.db.selectFrom('organisations').select(columns).where('archivedAt', 'is', null).execute();
  }

  /** The same rows, locked until the transaction ends so nobody edits them between read and write. */
  lockActiveOrganisations(): Promise<QualiopiOrganisationRow[]> {
    return this.db
      .selectFrom('organisations')
      .select(columns)
      .where('archivedAt', 'is', null)
      .forUpdate()
      .execute();
  }

  async update(id: string, changes: QualiopiUpdate): Promise<void> {
    await this.db
      .updateTable('organisations')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  /** Only the date of the check: nothing else changed. */
  async touchChecked(ids: readonly string[], at: Date): Promise<void> {
    if (!ids.length) return;
    await this.db
      .updateTable('organisations')
      .set({ qualiopiCheckedAt: at })
      .where('id', 'in', ids)
      .execute();
  }

  /**
   * Opens the finding, or updates the open one of the same rule and subject when its content differs (so
   * importing the same list again changes nothing). Answers what happened.
   */
  async upsertFinding(draft: QualiopiFindingDraft): Promise<'opened' | 'updated' | 'unchanged'> {
    const source = JSON.stringify(draft.source);
    const { rows } = await sql<{ inserted: boolean }>`
      insert into findings (rule_id, subject_key, organisation_id, title, description, severity, source)
      values (${draft.ruleId}, ${draft.subjectKey}, ${draft.organisationId}, ${draft.title},
        ${draft.description}, ${draft.severity}, ${source}::jsonb)
      on conflict (rule_id, subject_key) where rule_id is not null and status not in ('closed')
      do update set title = excluded.title, description = excluded.description,
        severity = excluded.severity, source = excluded.source, updated_at = now()
      where (findings.title, findings.description, findings.severity, findings.source)
        is distinct from (excluded.title, excluded.description, excluded.severity, excluded.source)
      returning (xmax = 0) as inserted`.execute(this.db);
    const row = rows[0];
    if (!row) return 'unchanged';
    return row.inserted ? 'opened' : 'updated';
  }

  /** Updates the open finding of the same rule and subject when its content differs; never opens one. */
  async refreshOpenFinding(draft: QualiopiFindingDraft): Promise<'updated' | 'unchanged'> {
    const source = JSON.stringify(draft.source);
    const { rows } = await sql<{ id: string }>`
      update findings set title = ${draft.title}, description = ${draft.description},
        severity = ${draft.severity}, source = ${source}::jsonb, updated_at = now()
      where rule_id = ${draft.ruleId} and subject_key = ${draft.subjectKey} and status <> 'closed'
        and (title, description, severity, source)
          is distinct from (${draft.title}, ${draft.description}, ${draft.severity}, ${source}::jsonb)
      returning id`.execute(this.db);
    return rows.length ? 'updated' : 'unchanged';
  }

  /** Closes the open findings of the rule on these subjects; answers the ids closed. */
  async closeFindings(ruleId: string, subjectKeys: readonly string[], at: Date): Promise<string[]> {
    if (!subjectKeys.length) return [];
    const rows = await this.db
      .updateTable('findings')
      .set({ status: 'closed', closedAt: at, updatedAt: at })
      .where('ruleId', '=', ruleId)
      .where('status', '<>', 'closed')
      .where('subjectKey', 'in', [...subjectKeys])
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }
}
