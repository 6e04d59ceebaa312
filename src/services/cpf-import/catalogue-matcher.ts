import { createHash } from 'node:crypto';
import type { CpfRejectedRow } from '../../core/contracts/cpf-offers.js';
import type { CpfOfferVerdict } from '../../core/cpf-offers/communication.js';
import type { CpfOffer } from '../../core/cpf-offers/cpf-offer.schema.js';
import { type NewOfferRow, newOfferLine } from '../../db/repositories/cpf-offer-rows.js';
import type { ImportItem, SourceFormat } from '../../importers/lpof/tabular/index.js';
import { type CertificationRef, checkOffer, FindingCollector } from '../../rules/cpf/check-offer.js';
import type { CpfLookups } from '../../rules/cpf/reference.js';

/** Warnings kept with an import (their total is always counted). */
export const MAX_WARNINGS_KEPT = 500;

/** Fields of an offer compared for the change history (everything but the extraction date). */
type OfferData = Omit<CpfOffer, 'extractedOn'>;

export function offerHash(data: string): string {
  return createHash('sha256').update(data).digest('base64url');
}

/** A stored offer whose data or verdict moved (or that came back), as json_to_recordset reads it. */
export interface OfferUpdate {
  offerId: string;
  /** The offer's columns and its record, one JSON object. */
  json: string;
  /** What the change history says of it (null: only the verdict or the seller moved). */
  kind: 'changed' | 'back' | null;
  /** The offer's data as stored in `record`: compared with the stored one, field by field. */
  recordJson: string;
}

/** Where the matcher puts what must be written; a promise makes it wait (the writes are behind). */
export interface MatchedOffers {
  insert(line: string): void | Promise<void>;
  update(update: OfferUpdate): void | Promise<void>;
}

/** What the whole file gave, once read. */
export interface MatchResult {
  format: SourceFormat | null;
  encoding: string;
  /** The latest extraction date of the offers matched (null: none said). */
  extractedOn: string | null;
  counts: { rows: number; offers: number; matched: number; new: number; changed: number; unchanged: number };
  rejected: CpfRejectedRow[];
  warnings: CpfRejectedRow[];
  warningCount: number;
  /** Certif-info codes the file taught (an offer naming both codes). */
  learnt: { code: string; certificationId: string }[];
  /** Offers new since the previous import, when the change history lists them (not on a first import). */
  newOfferIds: string[];
  /** Offers present after the previous import and not in this file. */
  gone: string[];
  /** Findings per rule id. */
  findings: Record<string, number>;
}

/**
 * The communication control of one catalogue, offer by offer, without the database: matches each offer
 * to the certifier's certifications, checks it (src/rules/cpf), tells whether it is new, changed, back or
 * unchanged against the previous import, and hands what must be written to `out`. Runs in the import's
 * worker thread (see import-worker.ts).
 */
export class CatalogueMatcher {
  readonly collector = new FindingCollector();
  private readonly counts = { rows: 0, offers: 0, matched: 0, new: 0, changed: 0, unchanged: 0 };
  private readonly rejected: CpfRejectedRow[] = [];
  private readonly warnings: CpfRejectedRow[] = [];
  private warningCount = 0;
  private readonly learnt: { code: string; certificationId: string }[] = [];
  private readonly newOfferIds: string[] = [];
  /** Offers naming only a certif-info code not known yet: resolved at the end (the file may teach it). */
  private readonly pending: { line: number; record: CpfOffer }[] = [];
  private format: SourceFormat | null = null;
  private encoding = 'utf-8';
  private extractedOn: string | null = null;

  constructor(
    private readonly lookups: CpfLookups,
    /**
     * Offer id → its previous state, packed by the query: `<hash> <verdict> <organisationId|-> <0|1 gone>`.
     * Emptied as the offers come: what is left at the end was not in the file.
     */
    private readonly previous: Map<string, string>,
    private readonly options: {
      /** The import's day: the extraction date of offers that do not say theirs. */
      today: string;
      importId: string;
      /** List new offers for the change history (not on a first import: they are the baseline). */
      logNew: boolean;
    },
    private readonly out: MatchedOffers,
  ) {}

  async take(item: ImportItem<CpfOffer>): Promise<void> {
    switch (item.kind) {
      case 'format':
        this.format = item.format;
        return;
      case 'record': {
        this.counts.offers++;
        const { record, line } = item;
        const { byCode, byCertifInfo } = this.lookups;
        let certification = record.certificationCode ? byCode.get(record.certificationCode) : undefined;
        if (certification && record.certifInfoCode && !byCertifInfo.has(record.certifInfoCode)) {
          byCertifInfo.set(record.certifInfoCode, certification);
          this.learnt.push({ code: record.certifInfoCode, certificationId: certification.id });
        }
        if (!certification && record.certificationCode === null && record.certifInfoCode) {
          certification = byCertifInfo.get(record.certifInfoCode);
          if (!certification) {
            this.pending.push({ line, record });
            return;
          }
        }
        if (certification) await this.handle(line, record, certification);
        return;
      }
      case 'reject':
        this.rejected.push(issueRow(item.issue));
        return;
      case 'warning':
        this.warningCount++;
        if (this.warnings.length < MAX_WARNINGS_KEPT) this.warnings.push(issueRow(item.issue));
        return;
      case 'summary':
        this.counts.rows = item.summary.rows;
        this.encoding = item.summary.encoding;
        return;
    }
  }

  /** Once the file is read: the offers left pending, then what the file gave. */
  async finish(): Promise<MatchResult> {
    for (const p of this.pending) {
      const certification = this.lookups.byCertifInfo.get(p.record.certifInfoCode as string);
      if (certification) await this.handle(p.line, p.record, certification);
    }
    this.pending.length = 0;
    const gone: string[] = [];
    for (const [offerId, packed] of this.previous) if (packed.endsWith(' 0')) gone.push(offerId);
    this.previous.clear();
    return {
      format: this.format,
      encoding: this.encoding,
      extractedOn: this.extractedOn,
      counts: { ...this.counts },
      rejected: this.rejected,
      warnings: this.warnings,
      warningCount: this.warningCount,
      learnt: this.learnt,
      newOfferIds: this.newOfferIds,
      gone,
      findings: this.collector.counts(),
    };
  }

  private async handle(line: number, record: CpfOffer, certification: CertificationRef): Promise<void> {
    const { counts } = this;
    counts.matched++;
    const day = record.extractedOn ?? this.options.today;
    if (this.extractedOn === null || day > this.extractedOn) this.extractedOn = day;
    const { ref, normalisedTitles } = this.lookups;
    const check = checkOffer(record, certification, day, ref, normalisedTitles.get(certification.id));
    for (const hit of check.hits) this.collector.add(hit, record, line);

    // The offer's data without its extraction date: hashed to tell a change, and stored as it is.
    const { extractedOn: _, ...data } = record;
    const dataJson = JSON.stringify(data satisfies OfferData);
    const offerHashValue = offerHash(dataJson);
    const organisationId = check.organisation?.id ?? null;
    const before = this.previous.get(record.offerId);
    let change: 'new' | 'changed' | 'back' | 'verdict' | null;
    if (before === undefined) change = 'new';
    else {
      this.previous.delete(record.offerId);
      const [h, verdict, org, gone] = before.split(' ');
      if (gone === '1') change = 'back';
      else if (h !== offerHashValue) change = 'changed';
      else if (verdict !== check.verdict || (org === '-' ? null : org) !== organisationId) change = 'verdict';
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
    if (change === 'new') {
      if (this.options.logNew) this.newOfferIds.push(row.offerId);
      await this.out.insert(newOfferLine(row, dataJson, this.options.importId));
      return;
    }
    // The record goes in as JSON (not a JSON string inside JSON): stringified once, never escaped twice.
    await this.out.update({
      offerId: row.offerId,
      json: `${JSON.stringify(row).slice(0, -1)},"record":${dataJson}}`,
      kind: change === 'verdict' ? null : change,
      recordJson: dataJson,
    });
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
