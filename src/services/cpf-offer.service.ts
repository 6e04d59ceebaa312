import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
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
  normaliseText,
  prepareClaims,
  priceBoundsOf,
} from '../core/cpf-offers/communication.js';
import type { CpfOffer } from '../core/cpf-offers/cpf-offer.schema.js';
import { AppError, isAppError, notFound } from '../core/errors.js';
import { calendarDay } from '../core/habilitations/period.js';
import type { Database } from '../db/database.js';
import { ControlRepository } from '../db/repositories/control.repository.js';
import { ControlRulesRepository } from '../db/repositories/control-rules.repository.js';
import {
  CpfOfferRepository,
  type EncodedOffer,
  type NewOfferRow,
  newOfferLine,
} from '../db/repositories/cpf-offer.repository.js';
import type { CpfOfferImportsTable } from '../db/schema.js';
import { parseCpfCatalogue } from '../importers/cpf-catalogue/index.js';
import type { SourceFormat } from '../importers/lpof/tabular/index.js';
import {
  type CertificationRef,
  type CpfReference,
  checkOffer,
  FindingCollector,
  type HabilitationRef,
  type OrganisationRef,
} from '../rules/cpf/check-offer.js';
import { planFindingChanges } from '../rules/engine/run.js';
import { recordAudit } from './audit.service.js';
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

/** Warnings kept with an import (their total is always counted). */
const MAX_WARNINGS_KEPT = 500;
/** Characters of encoded offers buffered before they are written. */
const FLUSH_CHARS = 4 * 1024 * 1024;

/** Fields of an offer compared for the change history (everything but the extraction date). */
type OfferData = Omit<CpfOffer, 'extractedOn'>;

function offerHash(data: string): string {
  return createHash('sha256').update(data).digest('base64url');
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
 * Streams the file through a hash: the catalogue is read once, and its sha256 is known at the end.
 */
async function* hashing(filePath: string, hash: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(filePath, { highWaterMark: 256 * 1024 })) {
    hash.update(chunk as Buffer);
    yield chunk as Buffer;
  }
}

/**
 * Writes offers by parts while the file is read: one part may be in flight while the next fills, so on
 * PostgreSQL the server writes while Node parses.
 */
class OfferWriter {
  /** New offers as COPY lines (see newOfferLine). */
  private inserts: string[] = [];
  private updates: { row: EncodedOffer; kind: 'changed' | 'back' | null; recordJson: string }[] = [];
  private chars = 0;
  private inFlight: Promise<void> = Promise.resolve();
  readonly changes: { offerId: string; kind: string; fields: string | null }[] = [];

  constructor(
    private readonly repo: CpfOfferRepository,
    private readonly importId: string,
    /** First import: new offers need no change row each (the import says they are the baseline). */
    private readonly logNew: boolean,
  ) {}

  add(row: NewOfferRow, change: 'new' | 'changed' | 'back' | 'verdict', recordJson: string): Promise<void> {
    if (change === 'new') {
      const line = newOfferLine(row, recordJson);
      this.inserts.push(line);
      if (this.logNew) this.changes.push({ offerId: row.offerId, kind: 'new', fields: null });
      this.chars += line.length;
    } else {
      // The record goes in as JSON (not a JSON string inside JSON): stringified once, never escaped twice.
      const json = `${JSON.stringify(row).slice(0, -1)},"record":${recordJson}}`;
      this.updates.push({
        row: { offerId: row.offerId, json },
        kind: change === 'verdict' ? null : change,
        recordJson,
      });
      this.chars += json.length;
    }
    return this.chars >= FLUSH_CHARS ? this.flush() : Promise.resolve();
  }

  /** Starts writing what is buffered once the previous part is written; waits only for the previous part. */
  async flush(): Promise<void> {
    const inserts = this.inserts;
    const updates = this.updates;
    this.inserts = [];
    this.updates = [];
    this.chars = 0;
    const previous = this.inFlight;
    await previous;
    this.inFlight = this.write(inserts, updates);
    // A failure surfaces at the next flush or at settle; keep it from being reported as unhandled meanwhile.
    this.inFlight.catch(() => {});
  }

  async settle(): Promise<void> {
    await this.flush();
    await this.inFlight;
  }

  private async write(
    inserts: string[],
    updates: { row: EncodedOffer; kind: 'changed' | 'back' | null; recordJson: string }[],
  ): Promise<void> {
    if (inserts.length) await this.repo.insertOffers(inserts, this.importId);
    if (!updates.length) return;
    const changed = updates.filter((u) => u.kind === 'changed');
    const before = changed.length ? await this.repo.recordsOf(changed.map((u) => u.row.offerId)) : new Map();
    for (const u of updates) {
      if (u.kind === 'back') this.changes.push({ offerId: u.row.offerId, kind: 'back', fields: null });
      if (u.kind === 'changed') {
        const old = before.get(u.row.offerId);
        this.changes.push({
          offerId: u.row.offerId,
          kind: 'changed',
          fields: old ? JSON.stringify(diffRecords(old, u.recordJson)) : null,
        });
      }
    }
    await this.repo.updateOffers(
      updates.map((u) => u.row),
      this.importId,
    );
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
    const { ref, byCode, byCertifInfo } = await this.loadReference(repo);
    const normalisedTitles = new Map([...byCode.values()].map((c) => [c.id, normaliseText(c.title)]));

    /** Offer id → its previous state, packed by the query: `<hash> <verdict> <organisationId|-> <0|1 gone>`. */
    const previous = new Map<string, string>();
    for await (const p of repo.previousOffers()) previous.set(p.offerId, p.packed);
    const firstImport = previous.size === 0 && (await repo.listImports(1, 0)).total === 0;
    const writer = new OfferWriter(repo, importId, !firstImport);
    const collector = new FindingCollector();
    const rejected: CpfRejectedRow[] = [];
    const warnings: CpfRejectedRow[] = [];
    const learnt: { code: string; certificationId: string }[] = [];
    /** Offers naming only a certif-info code not known yet: resolved at the end (the file may teach it). */
    const pending: { line: number; record: CpfOffer }[] = [];
    const counts = { rows: 0, offers: 0, matched: 0, new: 0, changed: 0, unchanged: 0, warnings: 0 };
    let format: SourceFormat | null = null;
    let encoding = 'utf-8';
    let extractedOn: string | null = null;
    const hash = createHash('sha256');

    const handle = async (line: number, record: CpfOffer, certification: CertificationRef) => {
      counts.matched++;
      const day = record.extractedOn ?? today;
      if (extractedOn === null || day > extractedOn) extractedOn = day;
      const check = checkOffer(record, certification, day, ref, normalisedTitles.get(certification.id));
      for (const hit of check.hits) collector.add(hit, record, line);

      // The offer's data without its extraction date: hashed to tell a change, and stored as it is.
      const { extractedOn: _, ...data } = record;
      const dataJson = JSON.stringify(data satisfies OfferData);
      const offerHashValue = offerHash(dataJson);
      const organisationId = check.organisation?.id ?? null;
      const before = previous.get(record.offerId);
      let change: 'new' | 'changed' | 'back' | 'verdict' | null;
      if (before === undefined) change = 'new';
      else {
        previous.delete(record.offerId);
        const [h, verdict, org, gone] = before.split(' ');
        if (gone === '1') change = 'back';
        else if (h !== offerHashValue) change = 'changed';
        else if (verdict !== check.verdict || (org === '-' ? null : org) !== organisationId)
          change = 'verdict';
        else change = null;
      }
      if (change === 'new') counts.new++;
      else if (change === 'changed' || change === 'back') counts.changed++;
      else counts.unchanged++;
      if (change === null) return;
      const row: NewOfferRow = {
        offerId: record.offerId,
        certificationId: certification.id,
        certificationCode: record.certificationCode,
        certifInfoCode: record.certifInfoCode,
        siret: record.siret,
        siren: record.siren,
        organisationName: record.organisationName,
        organisationId,
        matchedBy: check.matchedBy,
        verdict: check.verdict satisfies CpfOfferVerdict,
        title: record.title,
        priceMin: record.priceMin,
        priceMax: record.priceMax,
        hoursMin: record.hoursMin,
        hoursMax: record.hoursMax,
        departmentCode: record.departmentCode,
        regionName: record.regionName,
        modality: record.modality,
        extractedOn: day,
        hash: offerHashValue,
        sourceLine: line,
      };
      await writer.add(row, change, dataJson);
    };

    try {
      for await (const item of parseCpfCatalogue(hashing(filePath, hash), { fileName })) {
        switch (item.kind) {
          case 'format':
            format = item.format;
            break;
          case 'record': {
            counts.offers++;
            const { record, line } = item;
            let certification = record.certificationCode ? byCode.get(record.certificationCode) : undefined;
            if (certification && record.certifInfoCode && !byCertifInfo.has(record.certifInfoCode)) {
              byCertifInfo.set(record.certifInfoCode, certification);
              learnt.push({ code: record.certifInfoCode, certificationId: certification.id });
            }
            if (!certification && record.certificationCode === null && record.certifInfoCode) {
              certification = byCertifInfo.get(record.certifInfoCode);
              if (!certification) {
                pending.push({ line, record });
                break;
              }
            }
            if (certification) await handle(line, record, certification);
            break;
          }
          case 'reject':
            rejected.push(issueRow(item.issue));
            break;
          case 'warning':
            counts.warnings++;
            if (warnings.length < MAX_WARNINGS_KEPT) warnings.push(issueRow(item.issue));
            break;
          case 'summary':
            counts.rows = item.summary.rows;
            encoding = item.summary.encoding;
            break;
        }
      }
      for (const p of pending) {
        const certification = byCertifInfo.get(p.record.certifInfoCode as string);
        if (certification) await handle(p.line, p.record, certification);
      }
      await writer.settle();
    } catch (error) {
      await writer.settle().catch(() => {});
      if (isAppError(error)) throw error;
      throw new AppError('import_rejected', `${fileName}: ${(error as Error).message}`, {
        details: { file: fileName, reason: 'unreadable' },
        cause: error,
      });
    }
    // Offers of the previous import not seen again are gone from the catalogue.
    const gone: string[] = [];
    for (const [offerId, packed] of previous) if (packed.endsWith(' 0')) gone.push(offerId);
    previous.clear();
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
    for (const offerId of gone) writer.changes.push({ offerId, kind: 'gone', fields: null });
    await repo.insertChanges(importId, writer.changes);
    await repo.learnCertifInfoCodes(learnt, importId);
    const day = extractedOn ?? today;
    const findingChanges = await this.writeFindings(actor, trx, collector, day);
    const findings: Record<string, number> = Object.fromEntries(cpfRuleIds.map((id) => [id, 0]));
    Object.assign(findings, collector.counts());

    const row = {
      id: importId,
      fileName,
      sha256: hash.digest('hex'),
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
      warningCount: counts.warnings,
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
      warnings: counts.warnings,
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
    collector: FindingCollector,
    day: string,
  ): Promise<{ opened: number; updated: number; resolved: number }> {
    const rulesRepo = new ControlRulesRepository(trx);
    const repo = new CpfOfferRepository(trx);
    const total = { opened: 0, updated: 0, resolved: 0 };
    const now = this.ctx.now();
    for (const ruleId of cpfRuleIds) {
      const rule = cpfRules[ruleId];
      const subjects = collector.findings(ruleId).map((g) => ({
        subjectKey: g.subjectKey,
        organisationId: g.organisationId,
        certificationId: g.certificationId,
        title: g.title.slice(0, 300),
        description: g.description,
        evidence: g.evidence,
        severity: g.severity,
      }));
      const hashes = new Map(subjects.map((x) => [x.subjectKey, offerHash(JSON.stringify(x.evidence))]));
      const open = await repo.openFindingsOf(ruleId);
      if (subjects.length === 0 && open.length === 0) continue;
      const plan = planFindingChanges(open, subjects);
      // Found again with the same evidence: nothing to write (the audit entry counts it).
      const stored = new Map(open.map((f) => [f.id, f]));
      const refresh = plan.refresh.filter(
        ({ finding, subject, changed }) =>
          changed || stored.get(finding.id)?.evidenceHash !== hashes.get(subject.subjectKey),
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
      const sourceOf = (
        s: { subjectKey: string; evidence: Record<string, unknown> },
        first: string | null,
      ) => ({
        rule: { id: ruleId, severity: rule.severity, sources: [rule.source] },
        firstControlId: first ?? controlId,
        lastControlId: controlId,
        evidenceHash: hashes.get(s.subjectKey) ?? null,
        evidence: s.evidence,
      });
      const opened = await rulesRepo.insertFindings(
        ruleId,
        controlId,
        now,
        plan.open.map((s) => ({ ...s, source: sourceOf(s, null) })),
      );
      await rulesRepo.refreshFindings(
        controlId,
        refresh.map(({ finding, subject }) => ({
          id: finding.id,
          ...subject,
          source: sourceOf(subject, stored.get(finding.id)?.firstControlId ?? null),
        })),
      );
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

  private async loadReference(repo: CpfOfferRepository) {
    const [
      certifications,
      blocks,
      certifInfo,
      organisations,
      habilitations,
      habBlocks,
      decisions,
      conventions,
      claims,
    ] = await Promise.all([
      repo.certifications(),
      repo.skillBlocks(),
      repo.certifInfoCodes(),
      repo.organisations(),
      repo.habilitations(),
      repo.habilitationSkillBlocks(),
      repo.habilitationDecisions(),
      repo.conventions(),
      this.claimsOf(repo),
    ]);
    const byCode = new Map<string, CertificationRef>();
    const byId = new Map<string, CertificationRef>();
    for (const c of certifications) {
      const ref: CertificationRef = {
        id: c.id,
        code: c.code,
        title: c.title,
        level: c.level,
        skillBlocks: new Map(),
      };
      byCode.set(c.code, ref);
      byId.set(c.id, ref);
    }
    for (const b of blocks) byId.get(b.certificationId)?.skillBlocks.set(b.code, b.id);
    const byCertifInfo = new Map<string, CertificationRef>();
    for (const c of certifInfo) {
      const cert = byId.get(c.certificationId);
      if (cert) byCertifInfo.set(c.code, cert);
    }
    const organisationsBySiret = new Map<string, OrganisationRef>();
    const organisationsBySiren = new Map<string, OrganisationRef[]>();
    for (const o of organisations) {
      organisationsBySiret.set(o.siret, o);
      const list = organisationsBySiren.get(o.siren) ?? [];
      list.push(o);
      organisationsBySiren.set(o.siren, list);
    }
    const habById = new Map<string, HabilitationRef>();
    const habilitationsByKey = new Map<string, HabilitationRef[]>();
    for (const h of habilitations) {
      const ref: HabilitationRef = {
        id: h.id,
        scope: h.scope as HabilitationRef['scope'],
        status: h.status,
        startsOn: h.startsOn,
        endsOn: h.endsOn,
        coversAllSkillBlocks: h.coversAllSkillBlocks,
        skillBlockIds: new Set(),
        decisions: [],
      };
      habById.set(h.id, ref);
      const key = `${h.organisationId}:${h.certificationId}`;
      habilitationsByKey.set(key, [...(habilitationsByKey.get(key) ?? []), ref]);
    }
    for (const hb of habBlocks) habById.get(hb.habilitationId)?.skillBlockIds.add(hb.skillBlockId);
    for (const d of decisions) habById.get(d.habilitationId)?.decisions.push({ day: d.day, to: d.toStatus });
    const conventionsByKey: CpfReference['conventions'] = new Map();
    for (const c of conventions) {
      const key = `${c.organisationId}:${c.certificationId}`;
      const list = conventionsByKey.get(key) ?? [];
      list.push({
        id: c.id,
        reference: c.reference,
        status: c.status,
        startsOn: c.startsOn,
        endsOn: c.endsOn,
        signedOn: c.signedOn,
        terminatedOn: c.terminatedOn,
        priceBounds: priceBoundsOf(c.clauses),
      });
      conventionsByKey.set(key, list);
    }
    const ref: CpfReference = {
      organisationsBySiret,
      organisationsBySiren,
      habilitations: habilitationsByKey,
      conventions: conventionsByKey,
      claims: prepareClaims(claims.claims),
    };
    return { ref, byCode, byCertifInfo };
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

function issueRow(issue: {
  line: number;
  column?: string;
  code: string;
  message: string;
  key?: string;
}): CpfRejectedRow {
  return {
    line: issue.line,
    code: issue.code,
    message: issue.message,
    ...(issue.column === undefined ? {} : { column: issue.column }),
    ...(issue.key === undefined ? {} : { key: issue.key }),
  };
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
