import { Readable, Writable } from 'node:stream';
import { type Actor, organisationScope, requireAccess } from '../core/access/policy.js';
import { splitFirstNames } from '../core/accrochage/holder-record.js';
import type { AccrochageHolderRecordInput } from '../core/accrochage/holder-record.schema.js';
import {
  type AccrochageDeadlineState,
  type AccrochageDeadlines,
  type AccrochageExportQuery,
  type AccrochageLeftOutView,
  type AccrochagePreview,
  type AccrochageReportImport,
  accrochageExportQuery,
  accrochagePreviewQuery,
} from '../core/contracts/accrochage.js';
import { AppError, validationFailed } from '../core/errors.js';
import { type AccrochageExportKey, AccrochageRepository } from '../db/repositories/accrochage.repository.js';
import {
  type AccrochageValidation,
  type AccrochageWriteResult,
  exportAccrochageFile,
  validateAccrochageFile,
  writeAccrochageFlux,
} from '../exporters/accrochage/index.js';
import type { ValidateFileOptions } from '../exporters/accrochage/validate.js';
import {
  type AccrochageReport,
  parseAccrochageReport,
  readAccrochageReport,
} from '../importers/accrochage-report/parse.js';
import { recordAudit } from './audit.service.js';
import { readCertifierSettings } from './certifier-settings.service.js';
import { evaluatorScope, todayOf } from './chain-support.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

/** Certificates read from the database per query while the flux is written: memory stays flat. */
const EXPORT_BATCH = 1_000;
/** The law gives the certifier three months from the award to have the holder's data accepted. */
const DEADLINE_MONTHS = 3;
/** A deadline this close (days) is shown as due soon. */
const DUE_SOON_DAYS = 30;
const DAY_MS = 86_400_000;

export interface AccrochageExportOptions {
  /** The file to write; it appears under this name only if it passed the schema. */
  outPath: string;
  /** The CDC identifiers; when left out, those of the certifier settings. */
  clientId?: string | undefined;
  contractId?: string | undefined;
  depositorClientId?: string | undefined;
  certificationCode?: string | undefined;
  since?: string | undefined;
}

export interface AccrochageExportOutcome {
  /** The flux written and validated; null when no certificate could be written. */
  file: string | null;
  fluxId: string | null;
  /** Passages written (and certificates marked sent). */
  holders: number;
  certifications: { code: string; passages: number }[];
  leftOut: AccrochageLeftOutView[];
  /** True when the file reached the CDC's size limits: export again for the rest. */
  full: boolean;
}

type Validate = (file: string, options?: ValidateFileOptions) => Promise<AccrochageValidation>;

/** The calendar day of an instant in France, where juries sit: the award date the CDC expects. */
const parisDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** `YYYY-MM-DD` plus whole months; a day the month lacks falls back to its last day (30 Nov + 3 → 28/29 Feb). */
export function addMonths(isoDay: string, months: number): string {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

/** The public verification page as the flux's urlPreuve, when the instance's URL is one the CDC takes. */
function proofUrlOf(publicUrl: string, verificationCode: string): string | null {
  const url = `${publicUrl.replace(/\/+$/, '')}/verify/${encodeURIComponent(verificationCode)}`;
  // A local URL (http://localhost:3000) would make every passage invalid: leave the optional field out.
  return /^https?:\/\/[^\s/]+\.[^\s]+$/.test(url) && url.length <= 255 ? url : null;
}

/**
 * The accrochage exchange with the Caisse des Dépôts: writes the flux of the certificates not yet accepted
 * (streamed from the database into the writer, checked against the XSD, then marked sent), reads the CDC's
 * processing report back into each certificate's status, and lists the 3-month deadlines.
 */
export class AccrochageService {
  private readonly validate: Validate;

  /** `validate`: the schema check of a written file; Habilis' XSD by default (tests replace it). */
  constructor(
    private readonly ctx: ServiceContext,
    options: { validate?: Validate } = {},
  ) {
    this.validate = options.validate ?? validateAccrochageFile;
  }

  async export(actor: Actor, options: AccrochageExportOptions): Promise<AccrochageExportOutcome> {
    requireAccess(actor, 'certificate.manage');
    const { outPath, ...input } = options;
    const query = parseInput(
      accrochageExportQuery,
      Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
    );
    const issuer = await this.issuer(query);
    const written = await exportAccrochageFile(
      outPath,
      {
        clientId: issuer.clientId,
        contractId: issuer.contractId,
        depositorClientId: issuer.depositorClientId,
      },
      this.records(query),
      { timestamp: this.ctx.now(), validate: this.validate },
    );
    const leftOut = written.leftOut.map(toLeftOutView);
    if (written.validation && !written.validation.valid)
      throw new AppError(
        'validation_failed',
        `The flux written failed the XSD check and was kept as ${written.file}; no certificate was marked sent`,
        { details: { file: written.file, errors: written.validation.errors.slice(0, 50), leftOut } },
      );
    const outcome: AccrochageExportOutcome = {
      file: written.file,
      fluxId: written.passages > 0 ? written.fluxId : null,
      holders: written.passages,
      certifications: written.certifications,
      leftOut,
      full: written.full,
    };
    if (written.passages === 0) return outcome;
    await this.ctx.db.transaction().execute(async (trx) => {
      await new AccrochageRepository(trx).markSent(written.sentCertificateIds);
      await recordAudit(
        trx,
        actor,
        {
          action: 'accrochage.export',
          entityType: 'accrochage_flux',
          entityId: written.fluxId,
          after: {
            fluxId: written.fluxId,
            timestamp: written.timestamp,
            holders: written.passages,
            certifications: written.certifications,
            leftOut: leftOut.map((l) => l.certificate ?? l.holder),
            filter: { certificationCode: query.certificationCode ?? null, since: query.since ?? null },
          },
        },
        this.ctx.now,
      );
    });
    return outcome;
  }

  /**
   * Reads a CDC processing report (a file path, or an uploaded file) and sets each certificate it names
   * accepted, or rejected with the CDC's message, in one transaction. Passages that name no certificate of
   * this instance are listed, not guessed.
   */
  async importReport(
    actor: Actor,
    source: string | { fileName: string; content: Buffer },
  ): Promise<AccrochageReportImport> {
    requireAccess(actor, 'certificate.manage');
    const report = await readReport(source);
    const named = [...report.results.values()];
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new AccrochageRepository(trx);
      const ids = named.flatMap((r) => (r.certificate ? [r.certificate.id] : []));
      const known = new Map((await repo.findByIds([...new Set(ids)])).map((c) => [c.id, c]));
      const updated: AccrochageReportImport['updated'] = [];
      const unknown: AccrochageReportImport['unknown'] = [];
      for (const result of named) {
        const row = result.certificate ? known.get(result.certificate.id) : undefined;
        if (!row || row.number !== result.certificate?.number) {
          unknown.push({ idTechnique: result.idTechnique, status: result.status });
          continue;
        }
        const message = result.status === 'rejected' ? result.messages.join(' | ') || null : null;
        await repo.setStatus(row.id, result.status, message);
        updated.push({ certificateId: row.id, number: row.number, status: result.status, message });
      }
      const outcome: AccrochageReportImport = {
        fileName: report.fileName,
        fluxId: report.fluxId,
        processingId: report.processingId,
        accepted: updated.filter((u) => u.status === 'accepted').length,
        rejected: updated.filter((u) => u.status === 'rejected').length,
        updated,
        unknown,
        warnings: report.warnings,
      };
      await recordAudit(
        trx,
        actor,
        {
          action: 'accrochage.report',
          entityType: 'accrochage_flux',
          entityId: report.fluxId,
          after: {
            fileName: report.fileName,
            processingId: report.processingId,
            accepted: outcome.accepted,
            rejected: outcome.rejected,
            unknown: unknown.map((u) => u.idTechnique),
          },
        },
        this.ctx.now,
      );
      return outcome;
    });
  }

  /**
   * What an export would write now, without writing or marking anything: the passages ready, the holders
   * left out with every reason, and the CDC identifiers the flux would carry (missing ones named).
   */
  async preview(actor: Actor, input: unknown): Promise<AccrochagePreview> {
    requireAccess(actor, 'certificate.manage');
    const query = parseInput(accrochagePreviewQuery, input);
    const settings = await readCertifierSettings(this.ctx.db);
    const missing = [
      ...(settings.cdcClientId ? [] : ['clientId']),
      ...(settings.cdcContractId ? [] : ['contractId']),
    ];
    // The records are checked the same way whoever deposits: a stand-in issuer when the settings lack one.
    const written = await writeAccrochageFlux(
      new Writable({ write: (_chunk, _encoding, done) => done() }),
      {
        clientId: settings.cdcClientId ?? '00000000',
        contractId: settings.cdcContractId ?? 'PREVIEW',
        depositorClientId: settings.cdcDepositorClientId,
      },
      this.records(query),
      { timestamp: this.ctx.now() },
    );
    return {
      clientId: settings.cdcClientId,
      contractId: settings.cdcContractId,
      depositorClientId: settings.cdcDepositorClientId,
      missingSettings: missing,
      holders: written.passages,
      certifications: written.certifications,
      leftOut: written.leftOut.map(toLeftOutView),
      full: written.full,
    };
  }

  /** The CDC identifiers of a flux: those given, else the certifier settings; a missing one is a 400. */
  private async issuer(query: AccrochageExportQuery) {
    const settings = await readCertifierSettings(this.ctx.db);
    const clientId = query.clientId ?? settings.cdcClientId;
    const contractId = query.contractId ?? settings.cdcContractId;
    const hint = 'set it in the certifier settings (Administration › Paramètres) or give it with the export';
    const issues = [
      ...(clientId ? [] : [{ field: 'clientId', message: `the CDC idClient is not set: ${hint}` }]),
      ...(contractId ? [] : [{ field: 'contractId', message: `the CDC idContrat is not set: ${hint}` }]),
    ];
    if (!clientId || !contractId) throw validationFailed(issues);
    return {
      clientId,
      contractId,
      depositorClientId: query.depositorClientId ?? settings.cdcDepositorClientId ?? null,
    };
  }

  /** The certificates not yet accepted (and not revoked), each with its deadline: issued on + 3 months. */
  async deadlines(actor: Actor): Promise<AccrochageDeadlines> {
    requireAccess(actor, 'chain.read');
    const today = todayOf(this.ctx.now);
    const rows = await new AccrochageRepository(this.ctx.db).notAccepted(
      organisationScope(actor),
      evaluatorScope(actor),
    );
    const counts = { late: 0, due_soon: 0, ok: 0 };
    const items = rows.map((r) => {
      const dueOn = addMonths(r.issuedOn, DEADLINE_MONTHS);
      const daysLeft = Math.round((Date.parse(dueOn) - Date.parse(today)) / DAY_MS);
      const state: AccrochageDeadlineState =
        daysLeft < 0 ? 'late' : daysLeft <= DUE_SOON_DAYS ? 'due_soon' : 'ok';
      counts[state]++;
      return {
        certificateId: r.id,
        number: r.number,
        holderName: `${r.firstNames} ${r.birthName}${r.usageName ? ` (${r.usageName})` : ''}`,
        certificationCode: r.certificationCode,
        organisationId: r.organisationId,
        issuedOn: r.issuedOn,
        dueOn,
        daysLeft,
        state,
        accrochageStatus: r.accrochageStatus as 'pending' | 'sent' | 'rejected',
        accrochageMessage: r.accrochageMessage,
      };
    });
    // Most urgent first: the latest overdue, then the nearest deadlines.
    items.sort((a, b) => a.daysLeft - b.daysLeft || a.number.localeCompare(b.number));
    return { items, counts };
  }

  /** The holder records of the certificates to send, read batch by batch in flux order. */
  private async *records(filter: { certificationCode?: string | undefined; since?: string | undefined }) {
    const repo = new AccrochageRepository(this.ctx.db);
    let after: AccrochageExportKey | null = null;
    for (;;) {
      const rows = await repo.exportBatch(filter, after, EXPORT_BATCH);
      if (rows.length === 0) return;
      const blocks = await repo.validatedBlockCodes(
        rows.filter((r) => r.decision === 'certified_by_blocks').map((r) => r.deliberationId),
      );
      for (const row of rows)
        yield holderRecord(row, blocks, this.ctx.config.publicUrl) satisfies AccrochageHolderRecordInput;
      const last = rows[rows.length - 1]!;
      after = { certificationCode: last.certificationCode, number: last.number, id: last.id };
      if (rows.length < EXPORT_BATCH) return;
    }
  }
}

function toLeftOutView(l: AccrochageWriteResult['leftOut'][number]): AccrochageLeftOutView {
  return {
    certificateId: l.certificateId,
    certificate: l.certificateNumber,
    holder: l.holder,
    reasons: l.issues.map((i) => ({ field: i.field, label: i.label, message: i.message })),
    messages: l.messages,
  };
}

type ExportRow = Awaited<ReturnType<AccrochageRepository['exportBatch']>>[number];

/**
 * A certificate row as a holder record. Missing identity data is passed on as missing: the record schema
 * turns it into the reasons the holder is left out.
 */
function holderRecord(
  row: ExportRow,
  blocks: readonly { deliberationId: string; code: string }[],
  publicUrl: string,
): AccrochageHolderRecordInput {
  return {
    certificateId: row.id,
    certificateNumber: row.number,
    certificationCode: row.certificationCode,
    awardedOn: parisDay.format(row.decidedAt),
    proofUrl: proofUrlOf(publicUrl, row.verificationCode),
    accessRoute: (row.accessRoute as AccrochageHolderRecordInput['accessRoute']) ?? null,
    skillBlockCodes: blocks.filter((b) => b.deliberationId === row.deliberationId).map((b) => b.code),
    holder: {
      birthName: row.birthName,
      usageName: row.usageName,
      firstNames: splitFirstNames(row.firstNames),
      sex: row.sex as 'M' | 'F',
      birthDate: row.birthDate as string,
      birthPlaceCode: row.birthPlaceCode,
      birthCountryCode: row.birthCountryCode,
    },
  };
}

async function readReport(source: string | { fileName: string; content: Buffer }): Promise<AccrochageReport> {
  if (typeof source !== 'string')
    return parseAccrochageReport(Readable.from([source.content]), source.fileName);
  try {
    return await readAccrochageReport(source);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('not_found', `cannot read ${source}: ${(error as Error).message}`, {
      fields: [{ field: 'file', message: 'not readable' }],
      cause: error,
    });
  }
}
