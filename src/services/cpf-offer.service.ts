import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Insertable } from 'kysely';
import { type Actor, actorId, requireAccess } from '../core/access/policy.js';
import { pageQuery } from '../core/common.schema.js';
import type {
  CommunicationSettingsView,
  CpfChangePage,
  CpfImportDetail,
  CpfImportPage,
  CpfImportSummary,
  CpfImportView,
  CpfOfferPage,
  CpfRejectedRow,
  CpfSellerPage,
} from '../core/contracts/cpf-offers.js';
import { cpfChangeQuery, cpfOfferQuery, cpfSellerQuery } from '../core/contracts/cpf-offers.js';
import {
  type CpfOfferVerdict,
  communicationSettingsInput,
  cpfRuleIds,
  cpfRules,
  defaultForbiddenClaims,
  type ForbiddenClaim,
  forbiddenClaim,
} from '../core/cpf-offers/communication.js';
import { AppError, isAppError, notFound } from '../core/errors.js';
import { calendarDay } from '../core/habilitations/period.js';
import { JsonText } from '../core/json-text.js';
import type { Database } from '../db/database.js';
import { ControlRepository } from '../db/repositories/control.repository.js';
import { ControlRulesRepository } from '../db/repositories/control-rules.repository.js';
import { CpfOfferRepository } from '../db/repositories/cpf-offer.repository.js';
import type { CpfOfferImportsTable } from '../db/schema.js';
import { cpfReferenceParts } from '../rules/cpf/reference.js';
import { planFindingChanges } from '../rules/engine/run.js';
import { recordAudit } from './audit.service.js';
import type { OfferUpdate } from './cpf-import/catalogue-matcher.js';
import type { FindingSubject } from './cpf-import/protocol.js';
import { type CatalogueWorker, startCatalogueWorker } from './cpf-import/threaded-import.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

export interface CpfImportOptions {
  /** The name kept with the import (an upload's original name rather than its temp path). */
  displayName?: string;
  /** Apply a file that looks like an extract (see PARTIAL_SHARE) all the same. */
  force?: boolean;
}

/**
 * A file without more than this share of the offers present today (and at least PARTIAL_MIN of them) is
 * taken for an extract (one certification, a region, an interrupted download), not the catalogue: applied,
 * it would mark them all gone and close their findings. Refused unless forced.
 */
const PARTIAL_SHARE = 0.2;
const PARTIAL_MIN = 50;

/** Findings written per statement (their evidence, up to 20 offers each, comes from the worker by parts). */
const FINDINGS_PER_PART = 500;

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Which fields moved between two stored versions, with their values before and after. */
function diffRecords(before: string, after: string): Record<string, { before: unknown; after: unknown }> {
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (key === 'extractedOn') continue;
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key]))
      out[key] = { before: a[key] ?? null, after: b[key] ?? null };
  }
  return out;
}

/**
 * Writes the parts the import's worker sends, one after the other (the worker fills the next meanwhile),
 * and notes the change history of the offers updated.
 */
class PartWriter {
  readonly changes: { offerId: string; kind: string; fields: string | null }[] = [];

  constructor(
    private readonly repo: CpfOfferRepository,
    private readonly importId: string,
  ) {}

  async write(part: {
    buffer: ArrayBuffer | null;
    byteLength: number;
    updates: OfferUpdate[];
  }): Promise<void> {
    if (part.buffer) await this.repo.insertOffers(new Uint8Array(part.buffer, 0, part.byteLength));
    const { updates } = part;
    if (!updates.length) return;
    const changed = updates.filter((u) => u.kind === 'changed');
    const before = changed.length ? await this.repo.recordsOf(changed.map((u) => u.offerId)) : new Map();
    for (const u of updates) {
      if (u.kind === 'back') this.changes.push({ offerId: u.offerId, kind: 'back', fields: null });
      if (u.kind === 'changed') {
        const old = before.get(u.offerId);
        this.changes.push({
          offerId: u.offerId,
          kind: 'changed',
          fields: old ? JSON.stringify(diffRecords(old, u.recordJson)) : null,
        });
      }
    }
    await this.repo.updateOffers(updates, this.importId);
  }
}

/**
 * The communication control of CPF offers: imports the Caisse des Dépôts catalogue (streaming, one
 * transaction, so a file refused half-way leaves nothing), keeps the offers naming the certifier's
 * certifications with what changed since the previous import, checks them (src/rules/cpf) and writes the
 * problems as ordinary findings (one live finding per rule and subject, refreshed when found again,
 * closed when the next import no longer shows it). See docs/communication-control.md.
 */
export class CpfOfferService {
  constructor(private readonly ctx: ServiceContext) {}

  async importCatalogue(
    actor: Actor,
    filePath: string,
    options: CpfImportOptions = {},
  ): Promise<CpfImportSummary> {
    requireAccess(actor, 'control.manage');
    const fileName = options.displayName ?? path.basename(filePath);
    let sizeBytes: number;
    try {
      sizeBytes = (await stat(filePath)).size;
    } catch (error) {
      throw new AppError(
        'import_rejected',
        `${fileName}: cannot read the file (${(error as Error).message})`,
        {
          details: { file: fileName, reason: 'unreadable' },
        },
      );
    }
    const startedAt = this.ctx.now();
    try {
      return await this.ctx.db
        .transaction()
        .execute((trx) =>
          this.runImport(actor, trx, filePath, fileName, sizeBytes, startedAt, options.force ?? false),
        );
    } catch (error) {
      if (isAppError(error)) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
        throw new AppError(
          'import_rejected',
          `${fileName}: cannot read the file (${(error as Error).message})`,
          {
            details: { file: fileName, reason: 'unreadable' },
          },
        );
      throw error;
    }
  }

  private async runImport(
    actor: Actor,
    trx: Database,
    filePath: string,
    fileName: string,
    sizeBytes: number,
    startedAt: Date,
    force: boolean,
  ): Promise<CpfImportSummary> {
    const repo = new CpfOfferRepository(trx);
    await repo.lockImports();
    const importId = randomUUID();
    const today = calendarDay(startedAt);
    // The file is read and checked in a worker thread (cpf-import/import-worker.ts) while this one writes:
    // on PGlite the database works on this thread, and the two overlap.
    const worker = startCatalogueWorker({
      filePath,
      fileName,
      today,
      importId,
      claims: (await this.claimsOf(repo)).claims,
    });
    try {
      // A table at a time: the worker builds its lookups from one while the next is read.
      for (const part of cpfReferenceParts)
        worker.post({ type: 'reference', part, json: await repo.referenceJson(part) });
      let stored = 0;
      for await (const { json, count } of repo.previousOffers()) {
        stored += count;
        worker.post({ type: 'previous', json });
      }
      const firstImport = stored === 0 && (await repo.listImports(1, 0)).total === 0;
      // First import: new offers need no change row each (the import says they are the baseline).
      worker.post({ type: 'start', logNew: !firstImport });
      const writer = new PartWriter(repo, importId);
      let message = await worker.next();
      while (message.type === 'part') {
        await writer.write(message);
        worker.post({ type: 'written', buffer: message.buffer }, message.buffer ? [message.buffer] : []);
        message = await worker.next();
      }
      const { result, sha256 } = message;
      const { counts, gone, format, rejected, warnings } = result;

      // Offers of the previous import not seen again are gone from the catalogue.
      const present = gone.length + counts.matched - counts.new;
      if (!force && gone.length >= PARTIAL_MIN && gone.length > present * PARTIAL_SHARE)
        throw new AppError(
          'import_rejected',
          `${fileName}: ${gone.length} of the ${present} offers watched today are not in this file: it looks like an extract, not the whole catalogue (nothing was changed; force the import if those offers really left the catalogue)`,
          {
            details: {
              file: fileName,
              reason: 'partial_catalogue',
              present,
              absent: gone.length,
              examples: gone.slice(0, 10),
            },
          },
        );
      await repo.markGone(gone, importId);
      await repo.insertChanges(importId, [
        ...result.newOfferIds.map((offerId) => ({ offerId, kind: 'new', fields: null })),
        ...writer.changes,
        ...gone.map((offerId) => ({ offerId, kind: 'gone', fields: null })),
      ]);
      await repo.learnCertifInfoCodes(result.learnt, importId);
      const day = result.extractedOn ?? today;
      const findingChanges = await this.writeFindings(actor, trx, worker, day);
      const findings: Record<string, number> = Object.fromEntries(cpfRuleIds.map((id) => [id, 0]));
      Object.assign(findings, result.findings);
      const encoding = result.encoding;

      const row = {
        id: importId,
        fileName,
        sha256,
        sizeBytes,
        format: format?.kind ?? 'csv',
        encoding,
        extractedOn: day,
        startedAt,
        finishedAt: this.ctx.now(),
        rowsRead: counts.rows,
        offers: counts.offers,
        matched: counts.matched,
        rejectedCount: rejected.length,
        warningCount: result.warningCount,
        newCount: counts.new,
        changedCount: counts.changed,
        goneCount: gone.length,
        unchangedCount: counts.unchanged,
        findings: JSON.stringify(findings),
        findingChanges: JSON.stringify(findingChanges),
        unknownColumns: JSON.stringify(format?.unknownColumns ?? []),
        warnings: JSON.stringify(warnings),
        actorId: actorId(actor),
        actorLabel: actor.label,
      } satisfies Insertable<CpfOfferImportsTable>;
      await repo.insertImport(row);
      await repo.insertRejects(importId, rejected);
      const summary: CpfImportSummary = {
        importId,
        fileName,
        sha256: row.sha256,
        format: row.format,
        encoding,
        extractedOn: day,
        rows: counts.rows,
        offers: counts.offers,
        matched: counts.matched,
        changes: { new: counts.new, changed: counts.changed, gone: gone.length, unchanged: counts.unchanged },
        findings,
        findingChanges,
        rejected,
        warnings: result.warningCount,
        unknownColumns: format?.unknownColumns ?? [],
      };
      await recordAudit(
        trx,
        actor,
        {
          action: 'cpf_catalogue.import',
          entityType: 'cpf_offer_import',
          entityId: importId,
          after: { ...summary, rejected: rejected.length },
        },
        this.ctx.now,
      );
      return summary;
    } finally {
      await worker.close();
    }
  }

  /**
   * Writes the findings of each rule as a rule control does (src/services/control-run.service.ts): a
   * control of kind `rule` per rule and import, one live finding per subject (refreshed when found again),
   * and the live findings not found again closed. One audit entry per rule names every finding opened,
   * changed or closed.
   */
  private async writeFindings(
    actor: Actor,
    trx: Database,
    /** The import's worker, which gathered the findings and keeps their evidence. */
    worker: CatalogueWorker,
    day: string,
  ): Promise<{ opened: number; updated: number; resolved: number }> {
    const rulesRepo = new ControlRulesRepository(trx);
    const repo = new CpfOfferRepository(trx);
    const total = { opened: 0, updated: 0, resolved: 0 };
    const now = this.ctx.now();
    for (const ruleId of cpfRuleIds) {
      const rule = cpfRules[ruleId];
      const subjects = (await worker.subjects(ruleId)).map((g) => ({ ...g, title: g.title.slice(0, 300) }));
      const open = await repo.openFindingsOf(ruleId);
      if (subjects.length === 0 && open.length === 0) continue;
      const plan = planFindingChanges(open, subjects);
      // Found again with the same evidence: nothing to write (the audit entry counts it).
      const stored = new Map(open.map((f) => [f.id, f]));
      const refresh = plan.refresh.filter(
        ({ finding, subject, changed }) =>
          changed || stored.get(finding.id)?.evidenceHash !== subject.evidenceHash,
      );
      const controlId = await new ControlRepository(trx).insert({
        kind: 'rule',
        ruleId,
        title: `Contrôle de la communication (catalogue CPF) : ${rule.title.fr}`.slice(0, 300),
        status: 'done',
        plannedOn: day,
        performedOn: day,
        performedBy: actorId(actor),
      });
      const sourceOf = (s: FindingSubject, evidence: string, first: string | null) => ({
        rule: { id: ruleId, severity: rule.severity, sources: [rule.source] },
        firstControlId: first ?? controlId,
        lastControlId: controlId,
        evidenceHash: s.evidenceHash,
        // The worker's text, written as it is: a full catalogue's evidence is too large to hold as objects.
        evidence: new JsonText(evidence),
      });
      // The evidence comes a part at a time, so only one part's is held here.
      const opened = new Map<string, string>();
      for (const part of chunks(plan.open, FINDINGS_PER_PART)) {
        const evidence = await worker.evidence(
          ruleId,
          part.map((s) => s.subjectKey),
        );
        const ids = await rulesRepo.insertFindings(
          ruleId,
          controlId,
          now,
          part.map((s, i) => ({ ...s, source: sourceOf(s, evidence[i] as string, null) })),
        );
        for (const [key, id] of ids) opened.set(key, id);
      }
      for (const part of chunks(refresh, FINDINGS_PER_PART)) {
        const evidence = await worker.evidence(
          ruleId,
          part.map((r) => r.subject.subjectKey),
        );
        await rulesRepo.refreshFindings(
          controlId,
          part.map(({ finding, subject }, i) => ({
            id: finding.id,
            ...subject,
            source: sourceOf(subject, evidence[i] as string, stored.get(finding.id)?.firstControlId ?? null),
          })),
        );
      }
      await rulesRepo.resolveFindings(
        plan.resolve.map((f) => f.id),
        controlId,
        now,
      );
      total.opened += plan.open.length;
      total.updated += plan.refresh.length;
      total.resolved += plan.resolve.length;
      await recordAudit(
        trx,
        actor,
        {
          action: 'control.run',
          entityType: 'control',
          entityId: controlId,
          after: {
            ruleId,
            asOf: day,
            source: 'cpf_catalogue',
            subjects: subjects.length,
            unchanged: plan.refresh.length - refresh.length,
            opened: plan.open.map((s) => ({
              id: opened.get(s.subjectKey) ?? null,
              subjectKey: s.subjectKey,
            })),
            changed: plan.refresh.filter((r) => r.changed).map((r) => r.finding.id),
            resolved: plan.resolve.map((f) => f.id),
          },
        },
        this.ctx.now,
      );
    }
    return total;
  }

  private async claimsOf(
    repo: CpfOfferRepository,
  ): Promise<{ claims: ForbiddenClaim[]; updatedAt: Date | null }> {
    const stored = await repo.forbiddenClaims();
    if (!stored) return { claims: defaultForbiddenClaims, updatedAt: null };
    const claims = stored.claims.flatMap((c) => {
      const parsed = forbiddenClaim.safeParse(c);
      return parsed.success ? [parsed.data] : [];
    });
    return { claims, updatedAt: stored.updatedAt };
  }

  // ---- Reading ----

  async settings(actor: Actor): Promise<CommunicationSettingsView> {
    requireAccess(actor, 'control.read');
    const { claims, updatedAt } = await this.claimsOf(new CpfOfferRepository(this.ctx.db));
    return {
      forbiddenClaims: claims,
      rules: cpfRuleIds.map((id) => ({
        id,
        severity: cpfRules[id].severity,
        title: cpfRules[id].title,
        source: cpfRules[id].source,
      })),
      updatedAt: updatedAt?.toISOString() ?? null,
    };
  }

  async updateSettings(actor: Actor, input: unknown): Promise<CommunicationSettingsView> {
    requireAccess(actor, 'control.manage');
    const data = parseInput(communicationSettingsInput, input);
    await this.ctx.db.transaction().execute(async (trx) => {
      const repo = new CpfOfferRepository(trx);
      const before = await this.claimsOf(repo);
      await repo.saveForbiddenClaims(data.forbiddenClaims, actorId(actor), this.ctx.now());
      await recordAudit(
        trx,
        actor,
        {
          action: 'cpf_communication.settings',
          entityType: 'cpf_communication_settings',
          entityId: '1',
          before: { forbiddenClaims: before.claims },
          after: { forbiddenClaims: data.forbiddenClaims },
        },
        this.ctx.now,
      );
    });
    return this.settings(actor);
  }

  async listImports(actor: Actor, query: unknown): Promise<CpfImportPage> {
    requireAccess(actor, 'control.read');
    const { limit, offset } = parseInput(pageQuery, query);
    const { items, total } = await new CpfOfferRepository(this.ctx.db).listImports(limit, offset);
    return { items: items.map(importView), total, limit, offset };
  }

  async getImport(actor: Actor, id: string): Promise<CpfImportDetail> {
    requireAccess(actor, 'control.read');
    const repo = new CpfOfferRepository(this.ctx.db);
    const row = await repo.findImport(id);
    if (!row) throw notFound('cpf_offer_import', id);
    const rejects = await repo.rejectsOf(id, 5_000);
    return {
      ...importView(row),
      unknownColumns: row.unknownColumns,
      rejectedRows: rejects.map((r) => ({
        line: r.line,
        code: r.code,
        message: r.message,
        ...(r.columnName === null ? {} : { column: r.columnName }),
        ...(r.offerKey === null ? {} : { key: r.offerKey }),
      })),
      warningRows: row.warnings as CpfRejectedRow[],
    };
  }

  /**
   * Every rejected row of one import, then its warnings, uncapped (the import's detail shows the first
   * 5,000): what the export of the import's problems lists.
   */
  async importIssues(
    actor: Actor,
    id: string,
  ): Promise<Array<CpfRejectedRow & { kind: 'rejected' | 'warning' }>> {
    requireAccess(actor, 'control.read');
    const repo = new CpfOfferRepository(this.ctx.db);
    const row = await repo.findImport(id);
    if (!row) throw notFound('cpf_offer_import', id);
    const rejects = await repo.rejectsOf(id, Number.MAX_SAFE_INTEGER);
    return [
      ...rejects.map((r) => ({
        kind: 'rejected' as const,
        line: r.line,
        code: r.code,
        message: r.message,
        ...(r.columnName === null ? {} : { column: r.columnName }),
        ...(r.offerKey === null ? {} : { key: r.offerKey }),
      })),
      ...(row.warnings as CpfRejectedRow[]).map((w) => ({ ...w, kind: 'warning' as const })),
    ];
  }

  async listChanges(actor: Actor, id: string, query: unknown): Promise<CpfChangePage> {
    requireAccess(actor, 'control.read');
    const q = parseInput(cpfChangeQuery, query);
    const repo = new CpfOfferRepository(this.ctx.db);
    if (!(await repo.findImport(id))) throw notFound('cpf_offer_import', id);
    const { items, total } = await repo.changesOf(id, q.kind, q.limit, q.offset);
    return {
      items: items.map((r) => ({
        offerId: r.offerId,
        kind: r.kind,
        fields: r.fields,
        title: r.title ?? null,
        siret: r.siret ?? null,
        organisationName: r.organisationName ?? null,
        certificationCode: r.certificationCode ?? null,
      })),
      total,
      limit: q.limit,
      offset: q.offset,
    };
  }

  async listSellers(actor: Actor, query: unknown): Promise<CpfSellerPage> {
    requireAccess(actor, 'control.read');
    const q = parseInput(cpfSellerQuery, query);
    const { items, total } = await new CpfOfferRepository(this.ctx.db).sellers(q);
    return {
      items: items.map((r) => ({
        siret: r.siret,
        sellerName: r.sellerName,
        organisationId: r.organisationId,
        organisationName: r.organisationName,
        matchedBy: r.matchedBy as 'siret' | 'siren' | null,
        certificationId: r.certificationId,
        certificationCode: r.certificationCode,
        certificationTitle: r.certificationTitle,
        verdict: r.verdict as CpfOfferVerdict,
        offers: r.offers,
        priceMin: r.priceMin === null ? null : Number(r.priceMin),
        priceMax: r.priceMax === null ? null : Number(r.priceMax),
        openFindings: r.openFindings,
      })),
      total,
      limit: q.limit,
      offset: q.offset,
    };
  }

  async listOffers(actor: Actor, query: unknown): Promise<CpfOfferPage> {
    requireAccess(actor, 'control.read');
    const q = parseInput(cpfOfferQuery, query);
    const { items, total } = await new CpfOfferRepository(this.ctx.db).offers({
      siret: q.siret,
      certificationId: q.certificationId,
      includeGone: q.includeGone === 'true',
      limit: q.limit,
      offset: q.offset,
    });
    return {
      items: items.map((o) => ({
        offerId: o.offerId,
        title: o.title,
        siret: o.siret,
        organisationName: o.organisationName,
        certificationId: o.certificationId,
        certificationCode: o.certificationCode,
        verdict: o.verdict as CpfOfferVerdict,
        priceMin: o.priceMin === null ? null : Number(o.priceMin),
        priceMax: o.priceMax === null ? null : Number(o.priceMax),
        hoursMin: o.hoursMin === null ? null : Number(o.hoursMin),
        hoursMax: o.hoursMax === null ? null : Number(o.hoursMax),
        modality: o.modality,
        departmentCode: o.departmentCode,
        extractedOn: o.extractedOn,
        present: o.goneImportId === null,
        record: JSON.parse(o.record) as Record<string, unknown>,
      })),
      total,
      limit: q.limit,
      offset: q.offset,
    };
  }
}

function importView(row: {
  id: string;
  fileName: string;
  sha256: string;
  extractedOn: string;
  startedAt: Date;
  finishedAt: Date;
  actorLabel: string;
  rowsRead: number;
  offers: number;
  matched: number;
  rejectedCount: number;
  warningCount: number;
  newCount: number;
  changedCount: number;
  goneCount: number;
  unchangedCount: number;
  findings: Record<string, number>;
  findingChanges: Record<string, number>;
}): CpfImportView {
  return {
    id: row.id,
    fileName: row.fileName,
    sha256: row.sha256,
    extractedOn: row.extractedOn,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt.toISOString(),
    actorLabel: row.actorLabel,
    rows: row.rowsRead,
    offers: row.offers,
    matched: row.matched,
    rejected: row.rejectedCount,
    warnings: row.warningCount,
    changes: {
      new: row.newCount,
      changed: row.changedCount,
      gone: row.goneCount,
      unchanged: row.unchangedCount,
    },
    findings: row.findings,
    findingChanges: row.findingChanges,
  };
}
