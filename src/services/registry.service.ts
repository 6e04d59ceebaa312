import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Actor, organisationScope, requireAccess } from '../core/access/policy.js';
import { AppError, conflict, forbidden, isAppError, notFound } from '../core/errors.js';
import { type CopyRows, copyRowsBytes, copyTables } from '../core/registry/copy-rows.js';
import { diffFiche, type FicheSnapshot, isEmptyDiff, type PartnerState } from '../core/registry/diff.js';
import { type FicheRecord, type ImportReject, publicFicheUrl } from '../core/registry/fiche.schema.js';
import { normaliseFicheCode } from '../core/registry/normalise.js';
import {
  type HabilisHabilitation,
  type OwnedFiche,
  reconcileDeclaredPartners,
  reconciliationRules,
} from '../core/registry/reconcile.js';
import {
  type DeclaredPartnerView,
  type FicheChangePage,
  type FicheChangeView,
  type ImportChanges,
  type ImportJobView,
  type ImportRunDetail,
  type ImportRunPage,
  type ImportRunView,
  type ImportSummary,
  importOptions,
  type RegistryFicheDetail,
  type RegistryFicheListQuery,
  type RegistryFichePage,
  type RegistryFicheSummary,
  type RegistryFindingPage,
  type RegistryFindingQuery,
  type RegistryFindingView,
  type RunChangesQuery,
} from '../core/registry/registry.schema.js';
import type { Database } from '../db/database.js';
import {
  type ChangeWrite,
  type EncodedRow,
  encodeChangeRow,
  encodeFicheRow,
  encodeListRow,
  type FicheChangeRow,
  type FicheSummaryRow,
  type ImportRunRow,
  type NewWorkingCertification,
  type NewWorkingSkillBlock,
  RegistryRepository,
  type WorkingCopyEntry,
} from '../db/repositories/registry.repository.js';
import { decodeSnapshot } from '../db/snapshot-codec.js';
import {
  type ExportProgress,
  type ExportReport,
  openThreadedExport,
  type RegistryFiche,
} from '../importers/france-competences/index.js';
import { recordAudit } from './audit.service.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

/**
 * The France Compétences registry: imports an export (XML flow or CSV bundle) into the registry tables in
 * one transaction, records what changed per fiche, keeps the certifier's working copy (certifications and
 * skill blocks it owns or follows) in step, and reconciles the partners it declared with the habilitations
 * recorded in Habilis. Reading the registry is for certifier staff: partners get forbidden.
 */

export interface ImportRunOptions {
  certifierSiret?: string | undefined;
  /** The name kept with the run (an upload's original name rather than its temp path). */
  displayName?: string;
  onProgress?: (progress: ExportProgress) => void;
  /**
   * Characters of JSON read outside the transaction before it starts (default 8 Mi); a first import goes
   * past it, a daily one does not. Tests lower it to exercise both ways.
   */
  transactionThreshold?: number;
}

/**
 * The file is read outside the transaction while less than this (characters of JSON, ~500 fiches) waits to be
 * written; beyond, the transaction starts and the rest is written as it is read.
 */
const BUFFER_BEFORE_TRANSACTION = 8 * 1024 * 1024;
/**
 * Buffered rows flush when a batch holds this many bytes (JSON or COPY text, snapshots compressed) or this
 * many fiches. 1 MB rather than 4: as fast, and ~40 MB less peak RSS on a server (measured, 5,000 fiches).
 */
const FLUSH_BYTES = 1024 * 1024;
const FLUSH_FICHES = 400;
/** Changed fiches are compared with their stored version this many at a time. */
const COMPARE_BATCH = 200;
const HISTORY_IN_DETAIL = 50;

const registryRules = [...reconciliationRules];

const levelText = (level: number | null) => (level === null ? null : String(level));

function emptyChanges(): ImportChanges {
  return {
    newFiches: 0,
    changedFiches: 0,
    unchangedFiches: 0,
    becameInactive: 0,
    becameActive: 0,
    partnersAdded: 0,
    partnersRemoved: 0,
    partnersChanged: 0,
  };
}

/** A change row of the history. */
const changeRow = (
  runId: string,
  ficheCode: string,
  kind: ChangeWrite['kind'],
  details: Record<string, unknown>,
): ChangeWrite => ({ runId, ficheCode, kind, details });

interface WriterBatch {
  /** New fiches as COPY rows, built by the parse worker (PGlite). */
  rows: CopyRows[];
  rowFiches: number;
  fiches: EncodedRow[];
  /** Changed fiches (overwritten); `fiches` are new ones. */
  changedFiches: EncodedRow[];
  certifiers: EncodedRow[];
  partners: EncodedRow[];
  changes: EncodedRow[];
  replaced: string[];
  certifications: NewWorkingCertification[];
  blocks: NewWorkingSkillBlock[];
  owned: { id: string; isOwned: boolean }[];
}

const emptyBatch = (): WriterBatch => ({
  rows: [],
  rowFiches: 0,
  fiches: [],
  changedFiches: [],
  certifiers: [],
  partners: [],
  changes: [],
  replaced: [],
  certifications: [],
  blocks: [],
  owned: [],
});

/**
 * Buffers the rows of an import and writes them in multi-row statements. A flush runs while the parser
 * reads on (on PostgreSQL the server works meanwhile); at most one flush is in flight, so memory stays
 * bounded by two batches.
 */
class RegistryWriter {
  private batch = emptyBatch();
  private bytes = 0;
  /** Bytes buffered since the import began, until the writer is bound to the transaction. */
  private buffered = 0;
  private repo: RegistryRepository | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  readonly certificationIds = new Map<string, string>();
  workingCertifications = 0;
  workingSkillBlocks = 0;
  ownershipChanges = 0;
  /** Takes back the COPY rows once written (their buffers are used again by the parse worker). */
  recycle: ((rows: CopyRows) => void) | undefined;

  constructor(
    private readonly runId: string,
    private readonly syncedAt: Date,
    private readonly threshold: number,
  ) {}

  /** From now on, flushes write through this repository (the import's transaction). */
  bind(repo: RegistryRepository): void {
    this.repo = repo;
  }

  /** Too much waits to be written to keep reading outside the transaction. */
  get large(): boolean {
    return this.buffered >= this.threshold;
  }

  addFiche(fiche: RegistryFiche, isNew: boolean, changeRows: ChangeWrite[]): void {
    const { columns } = fiche;
    const row = encodeFicheRow(
      {
        code: fiche.code,
        register: columns.register,
        title: columns.title,
        level: columns.level,
        state: columns.state,
        isActive: columns.isActive,
        registeredOn: columns.registeredOn,
        endsOn: columns.endsOn,
        skillBlockCount: columns.skillBlockCount,
        partnerCount: columns.partnerCount,
        activePartnerCount: columns.activePartnerCount,
        hash: fiche.hash,
        sourceLine: fiche.line,
      },
      fiche.snapshotStored,
    );
    (isNew ? this.batch.fiches : this.batch.changedFiches).push(row);
    const size = row.json.length + fiche.partnersJson.length;
    this.bytes += size;
    if (!this.repo) this.buffered += size;
    if (!isNew) this.batch.replaced.push(fiche.code);
    if (columns.certifierCount) this.batch.certifiers.push(encodeListRow(fiche.code, fiche.certifiersJson));
    if (columns.partnerCount) this.batch.partners.push(encodeListRow(fiche.code, fiche.partnersJson));
    for (const change of changeRows) this.batch.changes.push(encodeChangeRow(change));
  }

  /** COPY rows of new fiches, as the parse worker sent them. */
  addRows(rows: CopyRows): void {
    this.batch.rows.push(rows);
    this.batch.rowFiches += rows.fiches;
    const size = copyRowsBytes(rows);
    this.bytes += size;
    if (!this.repo) this.buffered += size;
  }

  addWorkingCopy(record: FicheRecord, isOwned: boolean): void {
    this.batch.certifications.push({
      code: record.code,
      register: record.register,
      title: record.title,
      level: levelText(record.level),
      state: record.state,
      isActive: record.isActive,
      isOwned,
      registeredOn: record.decidedOn ?? record.effectiveOn ?? record.publishedOn,
      endsOn: record.endsOn,
    });
    for (const b of record.skillBlocks)
      this.batch.blocks.push({
        certificationCode: record.code,
        code: b.code,
        title: b.title,
        competences: b.competences,
        assessmentRules: b.assessmentRules,
      });
  }

  setOwned(id: string, isOwned: boolean): void {
    this.batch.owned.push({ id, isOwned });
    this.ownershipChanges++;
  }

  /** Enough is buffered for a flush (once bound to the transaction). */
  get full(): boolean {
    return (
      this.repo !== null &&
      (this.bytes >= FLUSH_BYTES ||
        this.batch.fiches.length + this.batch.changedFiches.length + this.batch.rowFiches >= FLUSH_FICHES)
    );
  }

  /** Starts writing what is buffered, once the previous flush is done. */
  async flush(): Promise<void> {
    await this.settle();
    const batch = this.batch;
    this.batch = emptyBatch();
    this.bytes = 0;
    this.inFlight = this.write(batch).catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  /** Waits for the flush in flight; throws its error if it failed. */
  async settle(): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure;
  }

  private async write(batch: WriterBatch): Promise<void> {
    const repo = this.repo;
    if (!repo) throw new Error('the registry writer writes only inside the import transaction');
    if (batch.replaced.length) {
      await repo.deleteCertifiersOf(batch.replaced);
      await repo.deletePartnersOf(batch.replaced);
    }
    // COPY rows first: table by table, fiches before the rows that point to them.
    if (batch.rows.length) {
      for (const table of copyTables)
        await repo.copyRows(
          table,
          batch.rows.map((r) => r[table]),
        );
      // Written: their buffers go back to the parse worker for the next rows (see CopyBufferPool).
      for (const rows of batch.rows) this.recycle?.(rows);
    }
    if (batch.fiches.length) await repo.upsertFiches(batch.fiches, this.runId, true);
    if (batch.changedFiches.length) await repo.upsertFiches(batch.changedFiches, this.runId);
    if (batch.certifiers.length) await repo.insertCertifiers(batch.certifiers);
    if (batch.partners.length) await repo.insertPartners(batch.partners, this.runId);
    if (batch.changes.length) await repo.insertChanges(batch.changes);
    if (batch.certifications.length) {
      const ids = await repo.upsertCertifications(batch.certifications, this.syncedAt);
      for (const [code, id] of ids) this.certificationIds.set(code, id);
      this.workingCertifications += ids.size;
      this.workingSkillBlocks += await repo.upsertSkillBlocks(batch.blocks, ids);
    }
    if (batch.owned.length) await repo.setOwned(batch.owned);
  }
}

/** An upload being imported, kept in memory for its progress bar (lost on restart, like the request). */
interface ImportJob {
  view: ImportJobView;
  ownerKey: string;
}

/**
 * The state of one import as it reads the file: counts, changes, owned fiches, and the rows waiting in the
 * writer. `consume` decides for each fiche (new, changed, unchanged; owned; working copy to refresh).
 */
class ImportRun {
  readonly writer: RegistryWriter;
  readonly counts = {
    certifications: 0,
    activeCertifications: 0,
    skillBlocks: 0,
    declaredPartners: 0,
    activeDeclaredPartners: 0,
    certifiers: 0,
  };
  readonly changes = emptyChanges();
  readonly ownedFiches: Omit<OwnedFiche, 'certificationId'>[] = [];
  /** Codes of the file that have a working-copy certification (the scope of the reconciliation findings). */
  readonly fileWorkingCopy = new Set<string>();
  private comparing: { fiche: RegistryFiche; record: FicheRecord }[] = [];

  constructor(
    readonly id: string,
    startedAt: Date,
    private readonly hashes: Map<string, string>,
    readonly workingCopy: Map<string, WorkingCopyEntry>,
    readonly certifierSiret: string | undefined,
    transactionThreshold = BUFFER_BEFORE_TRANSACTION,
  ) {
    this.writer = new RegistryWriter(id, startedAt, transactionThreshold);
  }

  async consume(fiche: RegistryFiche, repo: RegistryRepository): Promise<void> {
    const { columns, code } = fiche;
    const { counts, changes } = this;
    counts.certifications++;
    if (columns.isActive) counts.activeCertifications++;
    counts.skillBlocks += columns.skillBlockCount;
    counts.declaredPartners += columns.partnerCount;
    counts.activeDeclaredPartners += columns.activePartnerCount;
    counts.certifiers += columns.certifierCount;

    const previous = this.hashes.get(code);
    const status = previous === undefined ? 'new' : previous === fiche.hash ? 'unchanged' : 'changed';
    const wc = this.workingCopy.get(code);
    const isOwned = this.certifierSiret
      ? fiche.certifierSirets.includes(this.certifierSiret)
      : (wc?.isOwned ?? false);
    const syncWorkingCopy = (wc !== undefined || isOwned) && (status !== 'unchanged' || !wc || !wc.synced);
    // The whole record is rebuilt only for the few fiches that need more than their columns.
    const record = status === 'changed' || syncWorkingCopy || isOwned ? fiche.record : null;

    if (wc) this.fileWorkingCopy.add(code);
    if (syncWorkingCopy) this.writer.addWorkingCopy(record!, isOwned);
    else if (wc && wc.isOwned !== isOwned) this.writer.setOwned(wc.id, isOwned);
    if (isOwned) {
      this.fileWorkingCopy.add(code);
      this.ownedFiches.push({
        code,
        isActive: columns.isActive,
        line: fiche.line,
        partners: record!.partners.map((p) => ({
          siret: p.siret,
          name: p.name,
          habilitationType: p.habilitationType,
          state: p.state,
          line: p.line,
        })),
      });
    }

    if (status === 'new' && fiche.copied) {
      // Its rows (and its history row) came as COPY rows, already with the writer.
      changes.newFiches++;
    } else if (status === 'new') {
      changes.newFiches++;
      this.writer.addFiche(fiche, true, [
        changeRow(this.id, code, 'new', { title: columns.title, isActive: columns.isActive }),
      ]);
    } else if (status === 'changed') {
      this.comparing.push({ fiche, record: record! });
      if (this.comparing.length >= COMPARE_BATCH) await this.compareChanged(repo);
    } else changes.unchangedFiches++;
  }

  /** Compares the changed fiches waiting with their stored version and queues their rows and history. */
  async compareChanged(repo: RegistryRepository): Promise<void> {
    if (!this.comparing.length) return;
    const batch = this.comparing;
    this.comparing = [];
    const { changes } = this;
    // Stored rows of these fiches are final once earlier flushes are written.
    await this.writer.settle();
    const stored = await repo.storedFiches(batch.map((c) => c.fiche.code));
    for (const { fiche, record } of batch) {
      const before = stored.get(fiche.code);
      const partnersBefore: PartnerState[] = (before?.partners ?? []).map((r) => ({
        siret: r.siret,
        name: r.name,
        habilitationType: r.habilitationType,
        state: r.state,
        isActive: r.isActive,
        activeSince: r.activeSince,
        stateChangedOn: r.stateChangedOn,
      }));
      const snapshot = (before ? JSON.parse(before.snapshot) : {}) as FicheSnapshot;
      const diff = diffFiche(snapshot, partnersBefore, record);
      const rows: ChangeWrite[] = [];
      if (isEmptyDiff(diff)) {
        // Same content in another order: store the new hash, record nothing.
        changes.unchangedFiches++;
      } else {
        changes.changedFiches++;
        if (diff.fields.length) rows.push(changeRow(this.id, fiche.code, 'changed', { fields: diff.fields }));
        if (diff.becameInactive) {
          changes.becameInactive++;
          rows.push(changeRow(this.id, fiche.code, 'became_inactive', { endsOn: record.endsOn }));
        }
        if (diff.becameActive) {
          changes.becameActive++;
          rows.push(changeRow(this.id, fiche.code, 'became_active', { endsOn: record.endsOn }));
        }
        for (const change of diff.partners) {
          if (change.kind === 'partner_added') changes.partnersAdded++;
          else if (change.kind === 'partner_removed') changes.partnersRemoved++;
          else changes.partnersChanged++;
          const { kind, ...details } = change;
          rows.push(changeRow(this.id, fiche.code, kind, { ...details }));
        }
      }
      this.writer.addFiche(fiche, false, rows);
    }
    if (this.writer.full) await this.writer.flush();
  }
}

export class RegistryService {
  private readonly jobs = new Map<string, ImportJob>();
  private importQueue: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Imports a France Compétences export (XML flow, a zip holding it, or the CSV bundle zip). The file is
   * read once, compared fiche by fiche with the registry (same hash: skipped), and what changed is written
   * in ONE transaction with its history, the working copy (with a certifier SIRET, the fiches it certifies
   * become owned certifications), the reconciliation of the owned fiches with the habilitations of Habilis,
   * and one audit-log entry. A file that turns out to be broken leaves the database exactly as it was.
   *
   * While what is to be written stays small (a daily export: a few changed fiches), the whole file is read
   * before the transaction starts, so the transaction is short; when it grows (a first import), the
   * transaction starts then and the rest of the file is read inside it.
   */
  async importFranceCompetences(
    actor: Actor,
    filePath: string,
    options: ImportRunOptions = {},
  ): Promise<ImportSummary> {
    requireAccess(actor, 'certification.manage');
    const { certifierSiret } = parseInput(
      importOptions,
      options.certifierSiret === undefined ? {} : { certifierSiret: options.certifierSiret },
    );
    // One import at a time in this process (the transaction also takes a database lock, for the others).
    const previous = this.importQueue;
    let release!: () => void;
    this.importQueue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await this.runImport(actor, filePath, certifierSiret, options);
    } finally {
      release();
    }
  }

  private async runImport(
    actor: Actor,
    filePath: string,
    certifierSiret: string | undefined,
    options: ImportRunOptions,
  ): Promise<ImportSummary> {
    const reader = new RegistryRepository(this.ctx.db);
    const [hashes, workingCopy, runsBefore, copy] = await Promise.all([
      reader.ficheHashes(),
      reader.workingCopy(),
      reader.countRuns(),
      reader.acceptsCopy(),
    ]);
    const startedAt = this.ctx.now();
    const run = new ImportRun(
      randomUUID(),
      startedAt,
      hashes,
      workingCopy,
      certifierSiret,
      options.transactionThreshold,
    );
    // The file is parsed in a worker thread, told what the registry holds so it sends only what is used;
    // where the database takes COPY, it also writes the rows of new fiches as COPY text.
    const source = await openThreadedExport(filePath, {
      displayName: options.displayName,
      hashes,
      recordCodes: new Set(workingCopy.keys()),
      certifierSiret,
      copyRunId: copy ? run.id : undefined,
      onRows: (rows) => run.writer.addRows(rows),
    });
    run.writer.recycle = (rows) => source.recycle(rows);
    const report = source.report;
    const progress = () => options.onProgress?.(report.progress);
    const fiches = source[Symbol.asyncIterator]();
    try {
      // Read outside any transaction while the rows to write stay few.
      let done = false;
      while (!run.writer.large) {
        const next = await fiches.next();
        if (next.done) {
          done = true;
          break;
        }
        await run.consume(next.value, reader);
        if (run.counts.certifications % 100 === 0) progress();
      }
      return await this.ctx.db.transaction().execute(async (trx) => {
        const repo = new RegistryRepository(trx);
        await repo.lockImports();
        if ((await repo.countRuns()) !== runsBefore)
          throw conflict('Another import of the registry finished while this one was reading: run it again');
        await repo.insertRun({
          id: run.id,
          fileName: report.fileName,
          format: report.format,
          entryName: report.entryName,
          sha256: '0'.repeat(64),
          sizeBytes: report.progress.totalBytes,
          flowVersion: null,
          certifierSiret: certifierSiret ?? null,
          status: 'running',
          startedAt,
          actorId: actor.kind === 'user' ? actor.userId : null,
          actorLabel: actor.label,
        });
        // A first import of a whole export: the secondary indexes are rebuilt and the foreign keys checked
        // once at the end rather than row by row (see suspendIndexesAndForeignKeys).
        const rebuild = hashes.size === 0 && !done ? await repo.suspendIndexesAndForeignKeys() : [];
        run.writer.bind(repo);
        try {
          await run.writer.flush();
          while (!done) {
            const next = await fiches.next();
            if (next.done) break;
            await run.consume(next.value, repo);
            if (run.writer.full) await run.writer.flush();
            if (run.counts.certifications % 100 === 0) progress();
          }
          await run.compareChanged(repo);
          await run.writer.flush();
          await run.writer.settle();
          await repo.restoreIndexesAndForeignKeys(rebuild);
        } catch (error) {
          // Let a flush in flight finish (its error, if any, matters less than the first one).
          await run.writer.settle().catch(() => {});
          throw error;
        }
        progress();
        return this.finishImport(actor, trx, repo, run, report);
      });
    } finally {
      // Stops the worker (and closes the file) if the loop stopped early.
      await fiches.return?.();
      await source.close();
    }
  }

  /** Reconciliation, the run's summary and its audit entry, in the import's transaction. */
  private async finishImport(
    actor: Actor,
    trx: Database,
    repo: RegistryRepository,
    run: ImportRun,
    report: ExportReport,
  ): Promise<ImportSummary> {
    const { writer, changes } = run;
    const idOf = (code: string) => writer.certificationIds.get(code) ?? run.workingCopy.get(code)?.id;
    const owned: OwnedFiche[] = run.ownedFiches.flatMap((f) => {
      const certificationId = idOf(f.code);
      return certificationId ? [{ ...f, certificationId }] : [];
    });
    const scope = [...run.fileWorkingCopy].map(idOf).filter((id): id is string => id !== undefined);
    const habilitations = await repo.habilitationsFor(owned.map((f) => f.certificationId));
    const declaredSirets = owned.flatMap((f) =>
      f.partners.map((p) => p.siret).filter((s): s is string => s !== null),
    );
    const organisationsBySiret = await repo.organisationsBySiret(declaredSirets);
    const drafts = reconcileDeclaredPartners(owned, habilitations as HabilisHabilitation[], {
      today: this.ctx.now().toISOString().slice(0, 10),
      file: report.partnersSource,
      organisationsBySiret,
    });
    const { opened, updated } = await repo.upsertFindings(drafts);
    const closed = await repo.closeFindingsExcept(
      registryRules,
      scope,
      drafts.map((d) => ({ ruleId: d.ruleId, subjectKey: d.subjectKey })),
    );
    const openFindings = await repo.countOpenFindings(
      registryRules,
      owned.map((f) => f.certificationId),
    );

    const summary: ImportSummary = {
      runId: run.id,
      fileName: report.fileName,
      format: report.format,
      sha256: report.sha256 ?? '',
      flowVersion: report.flowVersion,
      ...run.counts,
      rejected: report.rejects,
      rejectedCount: report.rejectedCount,
      unknownElements: [...report.unknownElements.values()].reduce((a, b) => a + b, 0),
      changes,
      workingCopy: { certifications: writer.workingCertifications, skillBlocks: writer.workingSkillBlocks },
      reconciliation: {
        ownedCertifications: owned.length,
        findingsOpened: opened,
        findingsUpdated: updated,
        findingsClosed: closed,
        openFindings,
      },
    };
    const changed =
      changes.newFiches + changes.changedFiches > 0 ||
      writer.workingCertifications > 0 ||
      writer.ownershipChanges > 0 ||
      opened + updated + closed > 0;
    const { rejected: _rejected, ...summaryWithoutRejects } = summary;
    await repo.finishRun(run.id, {
      status: changed ? 'changed' : 'unchanged',
      finishedAt: this.ctx.now(),
      sha256: summary.sha256,
      flowVersion: summary.flowVersion,
      summary: JSON.stringify(summaryWithoutRejects),
      rejected: JSON.stringify(report.rejects),
      rejectedCount: report.rejectedCount,
      unknownElements: JSON.stringify(Object.fromEntries(report.unknownElements)),
    });
    await recordAudit(
      trx,
      actor,
      {
        action: 'registry.import',
        entityType: 'fc_import_run',
        entityId: run.id,
        after: { ...summaryWithoutRejects, certifierSiret: run.certifierSiret ?? null },
      },
      this.ctx.now,
    );
    return summary;
  }

  // --- uploads with progress ------------------------------------------------------------------------

  /**
   * Starts importing an uploaded file in the background: the upload is written to a temp file first
   * (imports read files, and a zip needs random access), then imported as by the CLI. Answers at once with
   * the job, which `getImportJob` reports on until it succeeds or fails.
   */
  async startUploadImport(
    actor: Actor,
    file: { fileName: string; content: Readable },
    options: { certifierSiret?: string | undefined },
  ): Promise<ImportJobView> {
    requireAccess(actor, 'certification.manage');
    parseInput(
      importOptions,
      options.certifierSiret === undefined ? {} : { certifierSiret: options.certifierSiret },
    );
    const dir = await mkdtemp(path.join(tmpdir(), 'habilis-fc-upload-'));
    const fileName = path.basename(file.fileName || 'export').replace(/[^\w.-]+/g, '_') || 'export';
    const target = path.join(dir, fileName);
    try {
      await pipeline(file.content, createWriteStream(target));
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    const id = randomUUID();
    const view: ImportJobView = {
      id,
      status: 'running',
      fileName: file.fileName,
      startedAt: this.ctx.now().toISOString(),
      finishedAt: null,
      progress: { bytesRead: 0, totalBytes: 0, fiches: 0, ratio: 0 },
      summary: null,
      error: null,
    };
    this.jobs.set(id, { view, ownerKey: ownerKeyOf(actor) });
    void this.importFranceCompetences(actor, target, {
      certifierSiret: options.certifierSiret,
      displayName: file.fileName,
      onProgress: (p) => {
        view.progress = {
          bytesRead: p.bytesRead,
          totalBytes: p.totalBytes,
          fiches: p.fiches,
          ratio: p.totalBytes ? Math.min(1, p.bytesRead / p.totalBytes) : 0,
        };
      },
    })
      .then((summary) => {
        view.summary = summary;
        view.status = 'succeeded';
        view.progress.ratio = 1;
      })
      .catch((error: unknown) => {
        view.status = 'failed';
        view.error = isAppError(error)
          ? { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) }
          : { code: 'internal', message: 'The import failed unexpectedly' };
      })
      .finally(() => {
        view.finishedAt = this.ctx.now().toISOString();
        void rm(dir, { recursive: true, force: true });
        this.forgetOldJobs();
      });
    return view;
  }

  /** The job of an upload: only its starter (or the system) may follow it; others get not_found. */
  getImportJob(actor: Actor, id: string): ImportJobView {
    requireAccess(actor, 'certification.manage');
    const job = this.jobs.get(id);
    if (!job || (actor.kind === 'user' && job.ownerKey !== ownerKeyOf(actor)))
      throw notFound('import job', id);
    return job.view;
  }

  /** Waits for a background import (tests, and the CLI if it ever uses jobs). */
  async waitForImportJob(id: string, timeoutMs = 120_000): Promise<ImportJobView> {
    const started = Date.now();
    for (;;) {
      const job = this.jobs.get(id);
      if (!job) throw notFound('import job', id);
      if (job.view.status !== 'running') return job.view;
      if (Date.now() - started > timeoutMs) throw new AppError('internal', `import job ${id} still running`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private forgetOldJobs(): void {
    // Finished jobs are kept for an hour, so a page reload still finds the result.
    const limit = this.ctx.now().getTime() - 3_600_000;
    for (const [id, job] of this.jobs)
      if (job.view.finishedAt && Date.parse(job.view.finishedAt) < limit) this.jobs.delete(id);
  }

  // --- reads ----------------------------------------------------------------------------------------

  async searchFiches(actor: Actor, query: RegistryFicheListQuery): Promise<RegistryFichePage> {
    requireStaff(actor);
    const { items, total } = await new RegistryRepository(this.ctx.db).searchFiches(query);
    return { items: items.map(toFicheSummary), total, limit: query.limit, offset: query.offset };
  }

  async getFiche(actor: Actor, rawCode: string): Promise<RegistryFicheDetail> {
    requireStaff(actor);
    const code = normaliseFicheCode(rawCode);
    if (!code) throw notFound('fiche', rawCode);
    const repo = new RegistryRepository(this.ctx.db);
    const row = await repo.findFiche(code);
    if (!row) throw notFound('fiche', code);
    const [partners, history, firstImportedAt] = await Promise.all([
      repo.partnersOf(code),
      repo.changesOf(code, HISTORY_IN_DETAIL, 0),
      repo.firstImportedAt(row.firstRunId),
    ]);
    return {
      ...toFicheSummary(row),
      record: JSON.parse(decodeSnapshot(row.snapshot)) as RegistryFicheDetail['record'],
      sourceLine: row.sourceLine,
      firstImportedAt: (firstImportedAt ?? row.createdAt).toISOString(),
      partners: partners.map(
        (p): DeclaredPartnerView => ({
          siret: p.siret,
          name: p.name,
          habilitationType: p.habilitationType,
          state: p.state,
          isActive: p.isActive,
          activeSince: p.activeSince,
          stateChangedOn: p.stateChangedOn,
          sourceLine: p.sourceLine,
          sourceRunId: p.sourceRunId,
          organisationId: p.organisationId,
        }),
      ),
      history: history.items.map(toChangeView),
    };
  }

  async ficheHistory(
    actor: Actor,
    rawCode: string,
    pageQuery: { limit: number; offset: number },
  ): Promise<FicheChangePage> {
    requireStaff(actor);
    const code = normaliseFicheCode(rawCode);
    if (!code) throw notFound('fiche', rawCode);
    const repo = new RegistryRepository(this.ctx.db);
    if (!(await repo.findFiche(code))) throw notFound('fiche', code);
    const { items, total } = await repo.changesOf(code, pageQuery.limit, pageQuery.offset);
    return { items: items.map(toChangeView), total, limit: pageQuery.limit, offset: pageQuery.offset };
  }

  async listImportRuns(actor: Actor, pageQuery: { limit: number; offset: number }): Promise<ImportRunPage> {
    requireStaff(actor);
    const { items, total } = await new RegistryRepository(this.ctx.db).listRuns(
      pageQuery.limit,
      pageQuery.offset,
    );
    return { items: items.map(toRunView), total, limit: pageQuery.limit, offset: pageQuery.offset };
  }

  async getImportRun(actor: Actor, id: string): Promise<ImportRunDetail> {
    requireStaff(actor);
    const row = await new RegistryRepository(this.ctx.db).findRun(id);
    if (!row || row.status === 'running') throw notFound('import run', id);
    return {
      ...toRunView(row),
      rejected: row.rejected as ImportReject[],
      unknownElements: row.unknownElements,
    };
  }

  /** The change history of one import: what it did to each fiche. */
  async importRunChanges(actor: Actor, id: string, query: RunChangesQuery): Promise<FicheChangePage> {
    requireStaff(actor);
    const repo = new RegistryRepository(this.ctx.db);
    const run = await repo.findRun(id);
    if (!run || run.status === 'running') throw notFound('import run', id);
    const code = query.code ? (normaliseFicheCode(query.code) ?? query.code) : undefined;
    const { items, total } = await repo.changesOfRun(id, { ...query, ...(code ? { code } : {}) });
    return { items: items.map(toChangeView), total, limit: query.limit, offset: query.offset };
  }

  async listFindings(actor: Actor, query: RegistryFindingQuery): Promise<RegistryFindingPage> {
    requireStaff(actor);
    const normalised = query.code ? (normaliseFicheCode(query.code) ?? query.code) : undefined;
    const { items, total } = await new RegistryRepository(this.ctx.db).listFindings(registryRules, {
      ...query,
      ...(normalised ? { code: normalised } : {}),
    });
    return {
      items: items.map(
        (r): RegistryFindingView => ({
          id: r.id,
          ruleId: r.ruleId as RegistryFindingView['ruleId'],
          subjectKey: r.subjectKey,
          ficheCode: r.subjectKey.split(':')[0] ?? '',
          certificationId: r.certificationId,
          organisationId: r.organisationId,
          title: r.title,
          description: r.description,
          severity: r.severity as RegistryFindingView['severity'],
          status: r.status,
          source: r.source,
          openedAt: r.openedAt.toISOString(),
          closedAt: r.closedAt?.toISOString() ?? null,
          updatedAt: r.updatedAt.toISOString(),
        }),
      ),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }
}

/**
 * The registry and its reconciliation are the certifier's tools (`certifier.read`: its staff, not partners
 * nor evaluators). Partners are refused even if a role table one day gave them the permission.
 */
function requireStaff(actor: Actor): void {
  requireAccess(actor, 'certifier.read');
  if (organisationScope(actor) !== null)
    throw forbidden('The France Compétences registry is for certifier staff');
}

const ownerKeyOf = (actor: Actor) =>
  actor.kind === 'user' ? `user:${actor.userId}` : `system:${actor.label}`;

function toFicheSummary(row: FicheSummaryRow): RegistryFicheSummary {
  return {
    code: row.code,
    register: row.register,
    title: row.title,
    level: row.level,
    state: row.state,
    isActive: row.isActive,
    registeredOn: row.registeredOn,
    endsOn: row.endsOn,
    skillBlockCount: row.skillBlockCount,
    partnerCount: row.partnerCount,
    activePartnerCount: row.activePartnerCount,
    certifiers: row.certifiers,
    certificationId: row.certificationId,
    isOwned: row.isOwned ?? false,
    changedAt: row.updatedAt.toISOString(),
    publicUrl: publicFicheUrl(row.code),
  };
}

function toChangeView(row: FicheChangeRow): FicheChangeView {
  return {
    id: Number(row.id),
    runId: row.runId,
    ficheCode: row.ficheCode,
    kind: row.kind,
    details: row.details,
    createdAt: row.createdAt.toISOString(),
  };
}

function toRunView(row: ImportRunRow): ImportRunView {
  return {
    id: row.id,
    fileName: row.fileName,
    format: row.format,
    entryName: row.entryName,
    sha256: row.sha256,
    sizeBytes: Number(row.sizeBytes),
    flowVersion: row.flowVersion,
    certifierSiret: row.certifierSiret,
    status: row.status,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    rejectedCount: row.rejectedCount,
    actorLabel: row.actorLabel,
    summary: row.summary,
  };
}
