import { CompiledQuery, type Insertable, type Selectable, sql } from 'kysely';
import { type CopyTable, copyColumns } from '../../core/registry/copy-rows.js';
import type { FindingDraft } from '../../core/registry/reconcile.js';
import type {
  RegistryFicheListQuery,
  RegistryFindingQuery,
  RunChangesQuery,
} from '../../core/registry/registry.schema.js';
import { CopyStaging } from '../copy-data.js';
import type { Database } from '../database.js';
import type {
  FcDeclaredPartnersTable,
  FcFicheChangesTable,
  FcFichesTable,
  FcImportRunsTable,
} from '../schema.js';
import { decodeSnapshot } from '../snapshot-codec.js';

export type FicheRow = Selectable<FcFichesTable>;
export type DeclaredPartnerRow = Selectable<FcDeclaredPartnersTable>;
export type FicheChangeRow = Selectable<FcFicheChangesTable>;

/** The columns of a fiche row, besides its snapshot. */
export interface FicheColumns {
  code: string;
  register: 'RNCP' | 'RS';
  title: string;
  level: number | null;
  state: string | null;
  isActive: boolean;
  registeredOn: string | null;
  endsOn: string | null;
  skillBlockCount: number;
  partnerCount: number;
  activePartnerCount: number;
  hash: string;
  sourceLine: number;
}

/**
 * A row ready to write, as the JSON object the insert reads (see the encode functions). Rows are encoded
 * when they are queued, so a queue holds one fresh string per row and nothing of the parsed file.
 */
export interface EncodedRow {
  code: string;
  json: string;
}

/** A fiche row: its columns and its snapshot as stored (base64 of its zlib stream, see snapshot-codec). */
export function encodeFicheRow(columns: FicheColumns, snapshotStored: string): EncodedRow {
  return {
    code: columns.code,
    json: `${JSON.stringify(columns).slice(0, -1)},"snapshot":"${snapshotStored}"}`,
  };
}

/**
 * A fiche's list (certifiers or partners): the JSON array as serialised by the importer. Partner items
 * carry siret, name, habilitationType, state, isActive, activeSince, stateChangedOn and line; certifier
 * items siret, name and state. Their order is their position.
 */
export function encodeListRow(code: string, itemsJson: string): EncodedRow {
  return { code, json: `{"code":${JSON.stringify(code)},"items":${itemsJson}}` };
}

/** A history row. */
export function encodeChangeRow(change: ChangeWrite): EncodedRow {
  return { code: change.ficheCode, json: JSON.stringify(change) };
}

export interface ChangeWrite {
  runId: string;
  ficheCode: string;
  kind: FcFicheChangesTable['kind'];
  /** Any JSON object (embedded as it is). */
  details: Record<string, unknown>;
}
export type ImportRunRow = Selectable<FcImportRunsTable>;
export type NewImportRunRow = Insertable<FcImportRunsTable>;

export interface WorkingCopyEntry {
  id: string;
  isOwned: boolean;
  /** Refreshed from the registry at least once. */
  synced: boolean;
}

export interface NewWorkingCertification {
  code: string;
  register: 'RNCP' | 'RS';
  title: string;
  level: string | null;
  state: string | null;
  isActive: boolean;
  isOwned: boolean;
  registeredOn: string | null;
  endsOn: string | null;
}

export interface NewWorkingSkillBlock {
  certificationCode: string;
  code: string;
  title: string;
  competences: string | null;
  assessmentRules: string | null;
}

export interface HabilitationForReconciliation {
  habilitationId: string;
  certificationId: string;
  organisationId: string;
  siret: string;
  legalName: string;
  scope: string;
  status: string;
  startsOn: string;
  endsOn: string | null;
}

export interface RegistryFindingRow {
  id: string;
  ruleId: string;
  subjectKey: string;
  certificationId: string | null;
  organisationId: string | null;
  title: string;
  description: string | null;
  severity: string;
  status: string;
  source: Record<string, unknown>;
  openedAt: Date;
  closedAt: Date | null;
  updatedAt: Date;
}

export type FicheSummaryRow = FicheRow & {
  certifiers: { siret: string | null; name: string; state: string | null }[];
  certificationId: string | null;
  isOwned: boolean | null;
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Characters of JSON sent in one statement. */
const PAYLOAD_CHARS = 1024 * 1024;

/** `rows`, `size` at a time. */
function* chunks<T>(rows: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size) as T[];
}

/** `rows` in parts of about `limit` bytes each (at least one row per part). */
function* chunksByBytes<T>(rows: readonly T[], size: (row: T) => number, limit: number): Generator<T[]> {
  let part: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (part.length && bytes + size(row) > limit) {
      yield part;
      part = [];
      bytes = 0;
    }
    part.push(row);
    bytes += size(row);
  }
  if (part.length) yield part;
}

/** Registry tables (fc_*), and the working-copy and findings rows the registry import writes. SQL only. */
export class RegistryRepository {
  private readonly staging = new CopyStaging();

  constructor(private readonly db: Database) {}

  // --- import ---------------------------------------------------------------------------------------

  /**
   * Whether new fiches are written with COPY (`copyRows`): on both engines, which spares the import's
   * thread the JSON payloads (encoding them, and on PGlite parsing them in WebAssembly on that thread).
   * PGlite reads COPY data from a Blob; a server connection opened by openDatabase runs the same statement
   * as COPY FROM STDIN on the transaction's own client (see database.ts).
   */
  acceptsCopy(): Promise<boolean> {
    return Promise.resolve(true);
  }

  /** COPY text lines (in the order of `copyColumns[table]`) into `table`. */
  async copyRows(table: CopyTable, parts: readonly Uint8Array[]): Promise<void> {
    if (!parts.some((p) => p.byteLength > 0)) return;
    await this.db.executeQuery(
      CompiledQuery.raw(`copy ${table} (${copyColumns[table]}) from '/dev/blob'`, [
        this.staging.blobOf(parts),
      ]),
    );
  }

  /** Every fiche's hash, by code: what the import compares each record with. */
  async ficheHashes(): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('fcFiches').select(['code', 'hash']).execute();
    return new Map(rows.map((r) => [r.code, r.hash]));
  }

  /** The certifications of the working copy, by code. */
  async workingCopy(): Promise<Map<string, WorkingCopyEntry>> {
    const rows = await this.db
      .selectFrom('certifications')
      .select(['id', 'code', 'isOwned', 'registrySyncedAt'])
      .execute();
    return new Map(
      rows.map((r) => [r.code, { id: r.id, isOwned: r.isOwned, synced: r.registrySyncedAt !== null }]),
    );
  }

  /** How many imports ran: an import that read outside its transaction checks nobody finished meanwhile. */
  async countRuns(): Promise<number> {
    const row = await this.db
      .selectFrom('fcImportRuns')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Serialises the imports of every process on this database until the transaction ends. */
  async lockImports(): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtext('habilis.registry.import'))`.execute(this.db);
  }

  /**
   * For a first import inside its transaction: drops the secondary indexes of the tables a fiche's rows go
   * to (not their primary keys, which the conflict clauses use) and the foreign keys from those rows to
   * fc_fiches, and returns the statements that restore them. Why: one sort per index and one check per
   * foreign key at the end cost less than maintaining each index and checking each row as it is copied
   * (~300,000 partner rows; about half of their COPY time went to the per-row checks, measured in
   * bench/registry-import.bench.ts). The foreign keys come back validated, so a row pointing to no fiche
   * fails the import before its commit, as it would have failed its COPY. The definitions come from the
   * catalogue, so they stay those of the migrations; a rollback restores everything. Until the
   * transaction ends, readers of these tables wait (drop index locks them).
   */
  async suspendIndexesAndForeignKeys(): Promise<string[]> {
    const { rows: indexes } = await sql<{ name: string; definition: string }>`
      select ic.relname as name, pg_get_indexdef(i.indexrelid) as definition
      from pg_index i
      join pg_class ic on ic.oid = i.indexrelid
      join pg_class t on t.oid = i.indrelid
      join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = current_schema()
        and t.relname in ('fc_fiche_certifiers', 'fc_declared_partners', 'fc_fiche_changes')
        and not i.indisprimary and not i.indisunique
      order by ic.relname`.execute(this.db);
    const { rows: foreignKeys } = await sql<{ table: string; name: string; definition: string }>`
      select t.relname as table, c.conname as name, pg_get_constraintdef(c.oid) as definition
      from pg_constraint c
      join pg_class t on t.oid = c.conrelid
      join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = current_schema() and c.contype = 'f' and c.confrelid = 'fc_fiches'::regclass
        and t.relname in ('fc_fiche_certifiers', 'fc_declared_partners', 'fc_fiche_changes')
      order by t.relname, c.conname`.execute(this.db);
    for (const r of indexes) await sql`drop index ${sql.id(r.name)}`.execute(this.db);
    for (const r of foreignKeys)
      await sql`alter table ${sql.id(r.table)} drop constraint ${sql.id(r.name)}`.execute(this.db);
    return [
      ...indexes.map((r) => r.definition),
      ...foreignKeys.map(
        (r) => sql`alter table ${sql.id(r.table)} add constraint ${sql.id(r.name)} ${sql.raw(r.definition)}`,
      ),
    ].map((statement) => (typeof statement === 'string' ? statement : statement.compile(this.db).sql));
  }

  /** Runs the statements suspendIndexesAndForeignKeys returned: indexes rebuilt, foreign keys validated. */
  async restoreIndexesAndForeignKeys(statements: readonly string[]): Promise<void> {
    for (const statement of statements) await sql.raw(statement).execute(this.db);
  }

  insertRun(row: NewImportRunRow): Promise<ImportRunRow> {
    return this.db.insertInto('fcImportRuns').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async finishRun(
    id: string,
    changes: Pick<
      NewImportRunRow,
      | 'status'
      | 'summary'
      | 'rejected'
      | 'rejectedCount'
      | 'unknownElements'
      | 'sha256'
      | 'flowVersion'
      | 'finishedAt'
    >,
  ): Promise<ImportRunRow> {
    return this.db
      .updateTable('fcImportRuns')
      .set(changes)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * Inserts new fiches and overwrites changed ones (their first import stays). Rows travel as one JSON
   * parameter per batch, each snapshot compressed and in base64 (about a third of its JSON text): per-value
   * parameters cost more than the database work for the 25,000 fiches of a full export.
   */
  async upsertFiches(rows: readonly EncodedRow[], runId: string, onlyNew = false): Promise<void> {
    for (const part of chunksByBytes(rows, (r) => r.json.length, PAYLOAD_CHARS)) {
      const payload = `[${part.map((r) => r.json).join(',')}]`;
      if (onlyNew) {
        // New fiches: a plain insert (a conflict clause costs a speculative insertion per row).
        await sql`
          insert into fc_fiches (code, register, title, level, state, is_active, registered_on, ends_on,
            skill_block_count, partner_count, active_partner_count, hash, snapshot, source_line, first_run_id,
            changed_run_id)
          select code, register, title, level, state, "isActive", "registeredOn", "endsOn", "skillBlockCount",
            "partnerCount", "activePartnerCount", hash, decode(snapshot, 'base64'), "sourceLine", ${runId}::uuid,
            ${runId}::uuid
          from json_to_recordset(${payload}::json) as x(code text, register text, title text, level smallint,
            state text, "isActive" boolean, "registeredOn" date, "endsOn" date, "skillBlockCount" int,
            "partnerCount" int, "activePartnerCount" int, hash text, "sourceLine" int, snapshot text)`.execute(
          this.db,
        );
        continue;
      }
      await sql`
        insert into fc_fiches (code, register, title, level, state, is_active, registered_on, ends_on,
          skill_block_count, partner_count, active_partner_count, hash, snapshot, source_line, first_run_id,
          changed_run_id)
        select code, register, title, level, state, "isActive", "registeredOn", "endsOn", "skillBlockCount",
          "partnerCount", "activePartnerCount", hash, decode(snapshot, 'base64'), "sourceLine", ${runId}::uuid,
          ${runId}::uuid
        from json_to_recordset(${payload}::json) as x(code text, register text, title text, level smallint,
          state text, "isActive" boolean, "registeredOn" date, "endsOn" date, "skillBlockCount" int,
          "partnerCount" int, "activePartnerCount" int, hash text, "sourceLine" int, snapshot text)
        on conflict (code) do update set register = excluded.register, title = excluded.title,
          level = excluded.level, state = excluded.state, is_active = excluded.is_active,
          registered_on = excluded.registered_on, ends_on = excluded.ends_on,
          skill_block_count = excluded.skill_block_count, partner_count = excluded.partner_count,
          active_partner_count = excluded.active_partner_count, hash = excluded.hash,
          snapshot = excluded.snapshot, source_line = excluded.source_line,
          changed_run_id = excluded.changed_run_id, updated_at = now()`.execute(this.db);
    }
  }

  async deleteCertifiersOf(codes: readonly string[]): Promise<void> {
    if (!codes.length) return;
    await sql`delete from fc_fiche_certifiers where fiche_code = any(${[...codes]}::text[])`.execute(this.db);
  }

  /** Each fiche's certifiers, from the JSON array of each (its order is their position). */
  async insertCertifiers(rows: readonly EncodedRow[]): Promise<void> {
    for (const part of chunksByBytes(rows, (r) => r.json.length, PAYLOAD_CHARS)) {
      const payload = `[${part.map((r) => r.json).join(',')}]`;
      await sql`
        insert into fc_fiche_certifiers (fiche_code, position, siret, name, state)
        select f.code, (c.n - 1)::smallint, c.siret, c.name, c.state
        from json_to_recordset(${payload}::json) as f(code text, items json)
        cross join lateral rows from (json_to_recordset(f.items) as (siret text, name text, state text))
          with ordinality as c(siret, name, state, n)`.execute(this.db);
    }
  }

  async deletePartnersOf(codes: readonly string[]): Promise<void> {
    if (!codes.length) return;
    await sql`delete from fc_declared_partners where fiche_code = any(${[...codes]}::text[])`.execute(
      this.db,
    );
  }

  /** Each fiche's declared partners, from the JSON array of each (its order is their position). */
  async insertPartners(rows: readonly EncodedRow[], runId: string): Promise<void> {
    for (const part of chunksByBytes(rows, (r) => r.json.length, PAYLOAD_CHARS)) {
      const payload = `[${part.map((r) => r.json).join(',')}]`;
      await sql`
        insert into fc_declared_partners (fiche_code, position, siret, name, habilitation_type, state, is_active,
          active_since, state_changed_on, source_line, source_run_id)
        select f.code, (p.n - 1)::int, p.siret, p.name, p.habilitation_type, p.state, p.is_active, p.active_since,
          p.state_changed_on, p.line, ${runId}::uuid
        from json_to_recordset(${payload}::json) as f(code text, items json)
        cross join lateral rows from (json_to_recordset(f.items) as (siret text, name text,
          "habilitationType" text, state text, "isActive" boolean, "activeSince" date, "stateChangedOn" date,
          line int)) with ordinality as p(siret, name, habilitation_type, state, is_active, active_since,
          state_changed_on, line, n)`.execute(this.db);
    }
  }

  /** The stored snapshot and partners of these fiches, to compare a new export with. */
  async storedFiches(
    codes: readonly string[],
  ): Promise<Map<string, { snapshot: string; partners: DeclaredPartnerRow[] }>> {
    const result = new Map<string, { snapshot: string; partners: DeclaredPartnerRow[] }>();
    if (!codes.length) return result;
    const fiches = await this.db
      .selectFrom('fcFiches')
      .select(['code', 'snapshot'])
      .where('code', 'in', [...codes])
      .execute();
    for (const f of fiches) result.set(f.code, { snapshot: decodeSnapshot(f.snapshot), partners: [] });
    const partners = await this.db
      .selectFrom('fcDeclaredPartners')
      .selectAll()
      .where('ficheCode', 'in', [...codes])
      .orderBy('ficheCode')
      .orderBy('position')
      .execute();
    for (const p of partners) result.get(p.ficheCode)?.partners.push(p);
    return result;
  }

  async insertChanges(rows: readonly EncodedRow[]): Promise<void> {
    for (const part of chunksByBytes(rows, (r) => r.json.length, PAYLOAD_CHARS)) {
      await sql`
        insert into fc_fiche_changes (run_id, fiche_code, kind, details)
        select "runId", "ficheCode", kind, details
        from json_to_recordset(${`[${part.map((r) => r.json).join(',')}]`}::json)
          as x("runId" uuid, "ficheCode" text, kind text, details jsonb)`.execute(this.db);
    }
  }

  /** Creates or refreshes working-copy certifications from the registry; returns their ids by code. */
  async upsertCertifications(
    rows: readonly NewWorkingCertification[],
    syncedAt: Date,
  ): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const part of chunks(rows, 1_000)) {
      const result = await this.db
        .insertInto('certifications')
        .values(part.map((r) => ({ ...r, registrySyncedAt: syncedAt })))
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            title: eb.ref('excluded.title'),
            level: eb.ref('excluded.level'),
            state: eb.ref('excluded.state'),
            isActive: eb.ref('excluded.isActive'),
            isOwned: eb.ref('excluded.isOwned'),
            registeredOn: eb.ref('excluded.registeredOn'),
            endsOn: eb.ref('excluded.endsOn'),
            registrySyncedAt: eb.ref('excluded.registrySyncedAt'),
            updatedAt: sql`now()`,
          })),
        )
        .returning(['id', 'code'])
        .execute();
      for (const r of result) ids.set(r.code, r.id);
    }
    return ids;
  }

  /** Only the owned flag of working-copy certifications (their fiche did not change). */
  async setOwned(rows: readonly { id: string; isOwned: boolean }[]): Promise<void> {
    for (const value of [true, false]) {
      const ids = rows.filter((r) => r.isOwned === value).map((r) => r.id);
      for (const part of chunks(ids, 5_000))
        await this.db
          .updateTable('certifications')
          .set({ isOwned: value, updatedAt: sql`now()` })
          .where('id', 'in', part)
          .execute();
    }
  }

  /**
   * Creates or refreshes skill blocks of working-copy certifications. A block code already used by another
   * certification is left alone (codes are unique across the working copy).
   */
  async upsertSkillBlocks(
    rows: readonly NewWorkingSkillBlock[],
    certificationIds: Map<string, string>,
  ): Promise<number> {
    let written = 0;
    const values = rows
      .filter((r) => certificationIds.has(r.certificationCode))
      .map((r) => ({
        certificationId: certificationIds.get(r.certificationCode)!,
        code: r.code,
        title: r.title,
        competences: r.competences,
        assessmentRules: r.assessmentRules,
      }));
    for (const part of chunks(values, 1_000)) {
      const result = await this.db
        .insertInto('skillBlocks')
        .values(part)
        .onConflict((oc) =>
          oc
            .column('code')
            .doUpdateSet((eb) => ({
              title: eb.ref('excluded.title'),
              competences: eb.ref('excluded.competences'),
              assessmentRules: eb.ref('excluded.assessmentRules'),
            }))
            .whereRef('skillBlocks.certificationId', '=', 'excluded.certificationId'),
        )
        .returning('id')
        .execute();
      written += result.length;
    }
    return written;
  }

  /** Every habilitation of these certifications, with the SIRET and name of its organisation. */
  async habilitationsFor(certificationIds: readonly string[]): Promise<HabilitationForReconciliation[]> {
    if (!certificationIds.length) return [];
    return this.db
      .selectFrom('habilitations as h')
      .innerJoin('organisations as o', 'o.id', 'h.organisationId')
      .select([
        'h.id as habilitationId',
        'h.certificationId',
        'h.organisationId',
        'o.siret',
        'o.legalName',
        'h.scope',
        'h.status',
        'h.startsOn',
        'h.endsOn',
      ])
      .where('h.certificationId', 'in', [...certificationIds])
      .execute();
  }

  /** Organisation ids by SIRET, for the SIRETs Habilis knows. */
  async organisationsBySiret(sirets: readonly string[]): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    for (const part of chunks([...new Set(sirets)], 5_000)) {
      const rows = await this.db
        .selectFrom('organisations')
        .select(['id', 'siret'])
        .where('siret', 'in', part)
        .execute();
      for (const r of rows) map.set(r.siret, r.id);
    }
    return map;
  }

  /**
   * Opens a finding per draft, or updates the open one with the same rule and subject (only when its
   * content differs, so re-importing the same file changes nothing). Returns how many were opened and
   * updated.
   */
  async upsertFindings(drafts: readonly FindingDraft[]): Promise<{ opened: number; updated: number }> {
    let opened = 0;
    let updated = 0;
    for (const part of chunks(drafts, 500)) {
      const payload = JSON.stringify(
        part.map((d) => ({
          rule_id: d.ruleId,
          subject_key: d.subjectKey,
          organisation_id: d.organisationId,
          certification_id: d.certificationId,
          title: d.title,
          description: d.description,
          severity: d.severity,
          source: d.source,
        })),
      );
      const { rows } = await sql<{ inserted: boolean }>`
        insert into findings (rule_id, subject_key, organisation_id, certification_id, title, description, severity, source)
        select rule_id, subject_key, organisation_id, certification_id, title, description, severity, source
        from jsonb_to_recordset(${payload}::jsonb) as x(rule_id text, subject_key text, organisation_id uuid,
          certification_id uuid, title text, description text, severity text, source jsonb)
        on conflict (rule_id, subject_key) where rule_id is not null and status not in ('closed')
        do update set title = excluded.title, description = excluded.description, severity = excluded.severity,
          organisation_id = excluded.organisation_id, certification_id = excluded.certification_id,
          source = excluded.source, updated_at = now()
        where (findings.title, findings.description, findings.severity, findings.organisation_id,
               findings.certification_id, findings.source)
          is distinct from (excluded.title, excluded.description, excluded.severity, excluded.organisation_id,
               excluded.certification_id, excluded.source)
        returning (xmax = 0) as inserted`.execute(this.db);
      for (const r of rows) {
        if (r.inserted) opened++;
        else updated++;
      }
    }
    return { opened, updated };
  }

  /**
   * Closes the open findings of these rules on these certifications that are not in `keep` (rule and
   * subject): the difference they reported is gone. Returns how many were closed.
   */
  async closeFindingsExcept(
    ruleIds: readonly string[],
    certificationIds: readonly string[],
    keep: readonly { ruleId: string; subjectKey: string }[],
  ): Promise<number> {
    if (!certificationIds.length) return 0;
    const kept = keep.map((k) => `${k.ruleId}|${k.subjectKey}`);
    let closed = 0;
    for (const part of chunks(certificationIds, 5_000)) {
      const { rows } = await sql<{ id: string }>`
        update findings set status = 'closed', closed_at = now(), updated_at = now()
        where rule_id = any(${[...ruleIds]}::text[]) and status <> 'closed'
          and certification_id = any(${part}::uuid[])
          and not ((rule_id || '|' || subject_key) = any(${kept}::text[]))
        returning id`.execute(this.db);
      closed += rows.length;
    }
    return closed;
  }

  async countOpenFindings(ruleIds: readonly string[], certificationIds: readonly string[]): Promise<number> {
    if (!certificationIds.length) return 0;
    let total = 0;
    for (const part of chunks(certificationIds, 5_000)) {
      const row = await this.db
        .selectFrom('findings')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('ruleId', 'in', [...ruleIds])
        .where('status', '<>', 'closed')
        .where('certificationId', 'in', part)
        .executeTakeFirstOrThrow();
      total += Number(row.n);
    }
    return total;
  }

  // --- reads ----------------------------------------------------------------------------------------

  async searchFiches(query: RegistryFicheListQuery): Promise<{ items: FicheSummaryRow[]; total: number }> {
    let base = this.db.selectFrom('fcFiches as f').leftJoin('certifications as c', 'c.code', 'f.code');
    if (query.register) base = base.where('f.register', '=', query.register);
    if (query.active !== undefined) base = base.where('f.isActive', '=', query.active);
    if (query.owned !== undefined)
      base = query.owned
        ? base.where('c.isOwned', '=', true)
        : base.where((eb) => eb.or([eb('c.isOwned', 'is', null), eb('c.isOwned', '=', false)]));
    if (query.q) {
      const compact = query.q.replace(/[\s._-]/g, '').toUpperCase();
      const codeLikes = /^\d{1,6}$/.test(compact)
        ? [`RNCP${compact}%`, `RS${compact}%`]
        : /^(RNCP|RS)0*\d{0,6}$/.test(compact)
          ? [`${compact.replace(/^(RNCP|RS)0*/, '$1')}%`]
          : [];
      const like = `%${escapeLike(query.q)}%`;
      base = base.where((eb) =>
        eb.or([eb('f.title', 'ilike', like), ...codeLikes.map((p) => eb('f.code', 'like', p))]),
      );
    }
    if (query.certifier) {
      const digits = query.certifier.replace(/\s/g, '');
      const like = `%${escapeLike(query.certifier)}%`;
      base = base.where((eb) =>
        eb.exists(
          eb
            .selectFrom('fcFicheCertifiers as fc')
            .select(sql`1`.as('one'))
            .whereRef('fc.ficheCode', '=', 'f.code')
            .where((e) =>
              /^\d{9,14}$/.test(digits) ? e('fc.siret', 'like', `${digits}%`) : e('fc.name', 'ilike', like),
            ),
        ),
      );
    }
    const [items, count] = await Promise.all([
      base
        .selectAll('f')
        .select(['c.id as certificationId', 'c.isOwned as isOwned'])
        .select((eb) =>
          eb
            .selectFrom('fcFicheCertifiers as fc')
            .select(
              sql<
                FicheSummaryRow['certifiers']
              >`coalesce(json_agg(json_build_object('siret', fc.siret, 'name', fc.name, 'state', fc.state) order by fc.position), '[]')`.as(
                'x',
              ),
            )
            .whereRef('fc.ficheCode', '=', 'f.code')
            .as('certifiers'),
        )
        .orderBy('f.register')
        .orderBy(sql`substring(f.code from '[0-9]+$')::int`)
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      items: items.map((r) => ({ ...r, certifiers: r.certifiers ?? [] })) as FicheSummaryRow[],
      total: Number(count.n),
    };
  }

  async findFiche(code: string): Promise<FicheSummaryRow | undefined> {
    const row = await this.db
      .selectFrom('fcFiches as f')
      .leftJoin('certifications as c', 'c.code', 'f.code')
      .selectAll('f')
      .select(['c.id as certificationId', 'c.isOwned as isOwned'])
      .select((eb) =>
        eb
          .selectFrom('fcFicheCertifiers as fc')
          .select(
            sql<
              FicheSummaryRow['certifiers']
            >`coalesce(json_agg(json_build_object('siret', fc.siret, 'name', fc.name, 'state', fc.state) order by fc.position), '[]')`.as(
              'x',
            ),
          )
          .whereRef('fc.ficheCode', '=', 'f.code')
          .as('certifiers'),
      )
      .where('f.code', '=', code)
      .executeTakeFirst();
    return row ? ({ ...row, certifiers: row.certifiers ?? [] } as FicheSummaryRow) : undefined;
  }

  async firstImportedAt(runId: string): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('fcImportRuns')
      .select('startedAt')
      .where('id', '=', runId)
      .executeTakeFirst();
    return row?.startedAt;
  }

  /** A fiche's declared partners in file order, with the Habilis organisation of the same SIRET. */
  partnersOf(code: string): Promise<(DeclaredPartnerRow & { organisationId: string | null })[]> {
    return this.db
      .selectFrom('fcDeclaredPartners as p')
      .leftJoin('organisations as o', 'o.siret', 'p.siret')
      .selectAll('p')
      .select('o.id as organisationId')
      .where('p.ficheCode', '=', code)
      .orderBy('p.position')
      .execute();
  }

  async changesOf(
    code: string,
    limit: number,
    offset: number,
  ): Promise<{ items: FicheChangeRow[]; total: number }> {
    const base = this.db.selectFrom('fcFicheChanges').where('ficheCode', '=', code);
    const [items, count] = await Promise.all([
      base.selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }

  /** The changes one run recorded, in the order they were written. */
  async changesOfRun(
    runId: string,
    query: RunChangesQuery,
  ): Promise<{ items: FicheChangeRow[]; total: number }> {
    let base = this.db.selectFrom('fcFicheChanges').where('runId', '=', runId);
    if (query.kind) base = base.where('kind', '=', query.kind);
    if (query.code) base = base.where('ficheCode', '=', query.code);
    const [items, count] = await Promise.all([
      base.selectAll().orderBy('id').limit(query.limit).offset(query.offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }

  async listRuns(limit: number, offset: number): Promise<{ items: ImportRunRow[]; total: number }> {
    const [items, count] = await Promise.all([
      this.db
        .selectFrom('fcImportRuns')
        .selectAll()
        .where('status', '<>', 'running')
        .orderBy('startedAt', 'desc')
        .orderBy('id')
        .limit(limit)
        .offset(offset)
        .execute(),
      this.db
        .selectFrom('fcImportRuns')
        .where('status', '<>', 'running')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }

  findRun(id: string): Promise<ImportRunRow | undefined> {
    return this.db.selectFrom('fcImportRuns').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async listFindings(
    ruleIds: readonly string[],
    query: RegistryFindingQuery,
  ): Promise<{ items: RegistryFindingRow[]; total: number }> {
    let base = this.db.selectFrom('findings').where('ruleId', 'in', [...ruleIds]);
    if (query.status === 'open') base = base.where('status', '<>', 'closed');
    if (query.status === 'closed') base = base.where('status', '=', 'closed');
    if (query.ruleId) base = base.where('ruleId', '=', query.ruleId);
    if (query.code) base = base.where('subjectKey', 'like', `${escapeLike(query.code)}:%`);
    const [items, count] = await Promise.all([
      base
        .select([
          'id',
          'ruleId',
          'subjectKey',
          'certificationId',
          'organisationId',
          'title',
          'description',
          'severity',
          'status',
          'source',
          'openedAt',
          'closedAt',
          'updatedAt',
        ])
        .orderBy('openedAt', 'desc')
        .orderBy('id')
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: items as RegistryFindingRow[], total: Number(count.n) };
  }
}
