import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Actor, organisationScope, requireAccess } from '../core/access/policy.js';
import { AppError, forbidden, isAppError, notFound } from '../core/errors.js';
import { type FicheSnapshot, diffFiche, isEmptyDiff, type PartnerState } from '../core/registry/diff.js';
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
} from '../core/registry/registry.schema.js';
import {
  type FicheChangeRow,
  type FicheSummaryRow,
  type ImportRunRow,
  type NewCertifierRow,
  type NewDeclaredPartnerRow,
  type NewFicheChangeRow,
  type NewFicheRow,
  type NewWorkingCertification,
  type NewWorkingSkillBlock,
  RegistryRepository,
  type WorkingCopyEntry,
} from '../db/repositories/registry.repository.js';
import type { ExportProgress } from '../importers/france-competences/index.js';
import { openFranceCompetencesExport } from '../importers/france-competences/index.js';
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
}

/** Buffered rows flush when a batch holds this much snapshot JSON or this many fiches. */
const FLUSH_BYTES = 4 * 1024 * 1024;
const FLUSH_FICHES = 400;
/** Changed fiches are compared with their stored version this many at a time. */
const COMPARE_BATCH = 200;
const HISTORY_IN_DETAIL = 50;

const registryRules = [...reconciliationRules];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The JSON kept for a fiche (its partners are rows of their own, its line belongs to one file). */
function snapshotJsonOf(record: FicheRecord): string {
  return JSON.stringify({ ...record, partners: undefined, line: undefined });
}

/** The fiche's hash: its snapshot and its partners' content, never the line numbers (which move). */
function hashOf(snapshotJson: string, record: FicheRecord): string {
  const partners = record.partners.map((p) => [
    p.siret,
    p.name,
    p.habilitationType,
    p.state,
    p.activeSince,
    p.stateChangedOn,
  ]);
  return sha256(`${snapshotJson}\n${JSON.stringify(partners)}`);
}

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

/** One record waiting to be written, with what was computed for it. */
interface Pending {
  record: FicheRecord;
  snapshotJson: string;
  hash: string;
  isNew: boolean;
}

/**
 * Buffers the rows of an import and writes them in multi-row statements. A flush runs while the parser
 * reads on (on PostgreSQL the server works meanwhile); at most one flush is in flight, so memory stays
 * bounded by two batches.
 */
class RegistryWriter {
  private fiches: NewFicheRow[] = [];
  private certifiers: NewCertifierRow[] = [];
  private partners: NewDeclaredPartnerRow[] = [];
  private changes: NewFicheChangeRow[] = [];
  private replaced: string[] = [];
  private certifications: NewWorkingCertification[] = [];
  private blocks: NewWorkingSkillBlock[] = [];
  private owned: { id: string; isOwned: boolean }[] = [];
  private bytes = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  readonly certificationIds = new Map<string, string>();
  workingCertifications = 0;
  workingSkillBlocks = 0;

  constructor(
    private readonly repo: RegistryRepository,
    private readonly runId: string,
    private readonly syncedAt: Date,
  ) {}

  addFiche(p: Pending, changeRows: NewFicheChangeRow[]): void {
    const { record } = p;
    this.fiches.push({
      code: record.code,
      register: record.register,
      title: record.title,
      level: record.level,
      state: record.state,
      isActive: record.isActive,
      registeredOn: record.decidedOn ?? record.effectiveOn ?? record.publishedOn,
      endsOn: record.endsOn,
      skillBlockCount: record.skillBlocks.length,
      partnerCount: record.partners.length,
      activePartnerCount: record.partners.reduce((n, x) => n + (x.isActive ? 1 : 0), 0),
      hash: p.hash,
      snapshot: p.snapshotJson,
      sourceLine: record.line,
      firstRunId: this.runId,
      changedRunId: this.runId,
    });
    this.bytes += p.snapshotJson.length;
    if (!p.isNew) this.replaced.push(record.code);
    record.certifiers.forEach((c, position) =>
      this.certifiers.push({ ficheCode: record.code, position, siret: c.siret, name: c.name, state: c.state }),
    );
    record.partners.forEach((x, position) =>
      this.partners.push({
        ficheCode: record.code,
        position,
        siret: x.siret,
        name: x.name,
        habilitationType: x.habilitationType,
        state: x.state,
        isActive: x.isActive,
        activeSince: x.activeSince,
        stateChangedOn: x.stateChangedOn,
        sourceLine: x.line,
        sourceRunId: this.runId,
      }),
    );
    this.changes.push(...changeRows);
  }

  addWorkingCopy(record: FicheRecord, isOwned: boolean): void {
    this.certifications.push({
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
      this.blocks.push({
        certificationCode: record.code,
        code: b.code,
        title: b.title,
        competences: b.competences,
        assessmentRules: b.assessmentRules,
      });
  }

  setOwned(id: string, isOwned: boolean): void {
    this.owned.push({ id, isOwned });
  }

  get full(): boolean {
    return this.bytes >= FLUSH_BYTES || this.fiches.length >= FLUSH_FICHES;
  }

  /** Starts writing what is buffered, once the previous flush is done. */
  async flush(): Promise<void> {
    await this.settle();
    const batch = {
      fiches: this.fiches,
      certifiers: this.certifiers,
      partners: this.partners,
      changes: this.changes,
      replaced: this.replaced,
      certifications: this.certifications,
      blocks: this.blocks,
      owned: this.owned,
    };
    this.fiches = [];
    this.certifiers = [];
    this.partners = [];
    this.changes = [];
    this.replaced = [];
    this.certifications = [];
    this.blocks = [];
    this.owned = [];
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

  private async write(batch: {
    fiches: NewFicheRow[];
    certifiers: NewCertifierRow[];
    partners: NewDeclaredPartnerRow[];
    changes: NewFicheChangeRow[];
    replaced: string[];
    certifications: NewWorkingCertification[];
    blocks: NewWorkingSkillBlock[];
    owned: { id: string; isOwned: boolean }[];
  }): Promise<void> {
    const repo = this.repo;
    if (batch.replaced.length) {
      await repo.deleteCertifiersOf(batch.replaced);
      await repo.deletePartnersOf(batch.replaced);
    }
    if (batch.fiches.length) await repo.upsertFiches(batch.fiches);
    if (batch.certifiers.length) await repo.insertCertifiers(batch.certifiers);
    if (batch.partners.length) await repo.insertPartners(batch.partners);
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

/** A change row of the history. */
const changeRow = (runId: string, ficheCode: string, kind: NewFicheChangeRow['kind'], details: object): NewFicheChangeRow => ({
  runId,
  ficheCode,
  kind,
  details: JSON.stringify(details),
});

/** An upload being imported, kept in memory for its progress bar (lost on restart, like the request). */
interface ImportJob {
  view: ImportJobView;
  ownerKey: string;
}

export class RegistryService {
  private readonly jobs = new Map<string, ImportJob>();

  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Imports a France Compétences export (XML flow, a zip holding it, or the CSV bundle zip) in one
   * transaction: a file that turns out to be broken part-way leaves the database as it was. Unchanged
   * fiches (same hash) are skipped; new and changed ones are written with their history; with a certifier
   * SIRET, the fiches it certifies become owned certifications of the working copy; owned fiches are then
   * reconciled with the habilitations of Habilis. One audit-log entry records the run.
   */
  async importFranceCompetences(actor: Actor, filePath: string, options: ImportRunOptions = {}): Promise<ImportSummary> {
    requireAccess(actor, 'certification.manage');
    const { certifierSiret } = parseInput(
      importOptions,
      options.certifierSiret === undefined ? {} : { certifierSiret: options.certifierSiret },
    );
    const source = await openFranceCompetencesExport(filePath, options.displayName ? { displayName: options.displayName } : {});
    const report = source.report;
    const startedAt = this.ctx.now();

    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new RegistryRepository(trx);
      const [hashes, workingCopy] = await Promise.all([repo.ficheHashes(), repo.workingCopy()]);
      const run = await repo.insertRun({
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
      const writer = new RegistryWriter(repo, run.id, startedAt);
      const counts = {
        certifications: 0,
        activeCertifications: 0,
        skillBlocks: 0,
        declaredPartners: 0,
        activeDeclaredPartners: 0,
        certifiers: 0,
      };
      const changes = emptyChanges();
      const ownedFiches: Omit<OwnedFiche, 'certificationId'>[] = [];
      const fileWorkingCopy = new Set<string>();
      let comparing: Pending[] = [];

      const compareChanged = async () => {
        if (!comparing.length) return;
        const batch = comparing;
        comparing = [];
        // Stored rows of these fiches are final once earlier flushes are written.
        await writer.settle();
        const stored = await repo.storedFiches(batch.map((p) => p.record.code));
        for (const p of batch) {
          const before = stored.get(p.record.code);
          const partnersBefore: PartnerState[] = (before?.partners ?? []).map((r) => ({
            siret: r.siret,
            name: r.name,
            habilitationType: r.habilitationType,
            state: r.state,
            isActive: r.isActive,
            activeSince: r.activeSince,
            stateChangedOn: r.stateChangedOn,
          }));
          const diff = diffFiche((before?.snapshot ?? {}) as FicheSnapshot, partnersBefore, p.record);
          const rows: NewFicheChangeRow[] = [];
          if (isEmptyDiff(diff)) {
            // Same content in another order: store the new hash, record nothing.
            changes.unchangedFiches++;
          } else {
            changes.changedFiches++;
            if (diff.fields.length) rows.push(changeRow(run.id, p.record.code, 'changed', { fields: diff.fields }));
            if (diff.becameInactive) {
              changes.becameInactive++;
              rows.push(changeRow(run.id, p.record.code, 'became_inactive', { endsOn: p.record.endsOn }));
            }
            if (diff.becameActive) {
              changes.becameActive++;
              rows.push(changeRow(run.id, p.record.code, 'became_active', { endsOn: p.record.endsOn }));
            }
            for (const change of diff.partners) {
              if (change.kind === 'partner_added') changes.partnersAdded++;
              else if (change.kind === 'partner_removed') changes.partnersRemoved++;
              else changes.partnersChanged++;
              const { kind, ...details } = change;
              rows.push(changeRow(run.id, p.record.code, kind, details));
            }
          }
          writer.addFiche(p, rows);
        }
        if (writer.full) await writer.flush();
      };

      try {
        for await (const record of source) {
          counts.certifications++;
          if (record.isActive) counts.activeCertifications++;
          counts.skillBlocks += record.skillBlocks.length;
          counts.declaredPartners += record.partners.length;
          for (const p of record.partners) if (p.isActive) counts.activeDeclaredPartners++;
          counts.certifiers += record.certifiers.length;

          const snapshotJson = snapshotJsonOf(record);
          const hash = hashOf(snapshotJson, record);
          const previous = hashes.get(record.code);
          const status = previous === undefined ? 'new' : previous === hash ? 'unchanged' : 'changed';

          const wc: WorkingCopyEntry | undefined = workingCopy.get(record.code);
          const isOwned = certifierSiret
            ? record.certifiers.some((c) => c.siret === certifierSiret)
            : (wc?.isOwned ?? false);
          if (wc) fileWorkingCopy.add(record.code);
          if ((wc || isOwned) && (status !== 'unchanged' || !wc || !wc.synced)) writer.addWorkingCopy(record, isOwned);
          else if (wc && wc.isOwned !== isOwned) writer.setOwned(wc.id, isOwned);
          if (isOwned) {
            fileWorkingCopy.add(record.code);
            ownedFiches.push({
              code: record.code,
              isActive: record.isActive,
              line: record.line,
              partners: record.partners.map((p) => ({
                siret: p.siret,
                name: p.name,
                habilitationType: p.habilitationType,
                state: p.state,
                line: p.line,
              })),
            });
          }

          if (status === 'new') {
            changes.newFiches++;
            writer.addFiche({ record, snapshotJson, hash, isNew: true }, [
              changeRow(run.id, record.code, 'new', { title: record.title, isActive: record.isActive }),
            ]);
          } else if (status === 'changed') {
            comparing.push({ record, snapshotJson, hash, isNew: false });
            if (comparing.length >= COMPARE_BATCH) await compareChanged();
          } else changes.unchangedFiches++;

          if (writer.full) await writer.flush();
          if (options.onProgress && counts.certifications % 100 === 0) options.onProgress(report.progress);
        }
        await compareChanged();
        await writer.flush();
        await writer.settle();
      } catch (error) {
        // Let a flush in flight finish (its error, if any, matters less than the first one).
        await writer.settle().catch(() => {});
        throw error;
      }
      options.onProgress?.(report.progress);

      // Reconciliation of the owned fiches of this file with the habilitations of Habilis.
      const idOf = (code: string) => writer.certificationIds.get(code) ?? workingCopy.get(code)?.id;
      const owned: OwnedFiche[] = ownedFiches.flatMap((f) => {
        const certificationId = idOf(f.code);
        return certificationId ? [{ ...f, certificationId }] : [];
      });
      const scope = [...fileWorkingCopy].map(idOf).filter((id): id is string => id !== undefined);
      const habilitations = await repo.habilitationsFor(owned.map((f) => f.certificationId));
      const declaredSirets = owned.flatMap((f) => f.partners.map((p) => p.siret).filter((s): s is string => s !== null));
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
        drafts.map((d) => d.subjectKey),
      );
      const openFindings = await repo.countOpenFindings(registryRules, owned.map((f) => f.certificationId));

      const unknownElements = [...report.unknownElements.values()].reduce((a, b) => a + b, 0);
      const summary: ImportSummary = {
        runId: run.id,
        fileName: report.fileName,
        format: report.format,
        sha256: report.sha256 ?? '',
        flowVersion: report.flowVersion,
        ...counts,
        rejected: report.rejects,
        rejectedCount: report.rejectedCount,
        unknownElements,
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
          after: { ...summaryWithoutRejects, certifierSiret: certifierSiret ?? null },
        },
        this.ctx.now,
      );
      return summary;
    });
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
    parseInput(importOptions, options.certifierSiret === undefined ? {} : { certifierSiret: options.certifierSiret });
    const dir = await mkdtemp(path.join(tmpdir(), 'habilis-fc-upload-'));
    const fileName = path.basename(file.fileName || 'export').replace(/[^\w.\-]+/g, '_') || 'export';
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
    if (!job || (actor.kind === 'user' && job.ownerKey !== ownerKeyOf(actor))) throw notFound('import job', id);
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
    requireStaff(actor, 'certification.read');
    const { items, total } = await new RegistryRepository(this.ctx.db).searchFiches(query);
    return { items: items.map(toFicheSummary), total, limit: query.limit, offset: query.offset };
  }

  async getFiche(actor: Actor, rawCode: string): Promise<RegistryFicheDetail> {
    requireStaff(actor, 'certification.read');
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
      record: row.snapshot as RegistryFicheDetail['record'],
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

  async ficheHistory(actor: Actor, rawCode: string, pageQuery: { limit: number; offset: number }): Promise<FicheChangePage> {
    requireStaff(actor, 'certification.read');
    const code = normaliseFicheCode(rawCode);
    if (!code) throw notFound('fiche', rawCode);
    const repo = new RegistryRepository(this.ctx.db);
    if (!(await repo.findFiche(code))) throw notFound('fiche', code);
    const { items, total } = await repo.changesOf(code, pageQuery.limit, pageQuery.offset);
    return { items: items.map(toChangeView), total, limit: pageQuery.limit, offset: pageQuery.offset };
  }

  async listImportRuns(actor: Actor, pageQuery: { limit: number; offset: number }): Promise<ImportRunPage> {
    requireStaff(actor, 'certification.read');
    const { items, total } = await new RegistryRepository(this.ctx.db).listRuns(pageQuery.limit, pageQuery.offset);
    return { items: items.map(toRunView), total, limit: pageQuery.limit, offset: pageQuery.offset };
  }

  async getImportRun(actor: Actor, id: string): Promise<ImportRunDetail> {
    requireStaff(actor, 'certification.read');
    const row = await new RegistryRepository(this.ctx.db).findRun(id);
    if (!row || row.status === 'running') throw notFound('import run', id);
    return {
      ...toRunView(row),
      rejected: row.rejected as ImportReject[],
      unknownElements: row.unknownElements,
    };
  }

  async listFindings(actor: Actor, query: RegistryFindingQuery): Promise<RegistryFindingPage> {
    requireStaff(actor, 'finding.read');
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

/** The registry and its reconciliation are the certifier's tools: a partner may not browse them. */
function requireStaff(actor: Actor, action: 'certification.read' | 'finding.read'): void {
  requireAccess(actor, action);
  if (organisationScope(actor) !== null) throw forbidden('The France Compétences registry is for certifier staff');
}

const ownerKeyOf = (actor: Actor) => (actor.kind === 'user' ? `user:${actor.userId}` : `system:${actor.label}`);

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

