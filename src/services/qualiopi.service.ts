import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { type Actor, requireAccess } from '../core/access/policy.js';
import type { QualiopiImportSummary, QualiopiRejectedRow } from '../core/contracts/qualiopi.js';
import { AppError, isAppError } from '../core/errors.js';
import type { LpofOrganisation } from '../core/lpof/lpof-organisation.schema.js';
import type { QualiopiStatus } from '../core/organisations/organisation.schema.js';
import {
  type QualiopiFindingDraft,
  type QualiopiOrganisationRow,
  QualiopiRepository,
} from '../db/repositories/qualiopi.repository.js';
import { parseLpofFile } from '../importers/lpof/index.js';
import { recordAudit } from './audit.service.js';
import type { ServiceContext } from './service-context.js';

/** The rule of the finding raised when an organisation loses Qualiopi. */
export const QUALIOPI_LOST_RULE = 'qualiopi.lost';

export interface QualiopiImportOptions {
  /** The name kept with the run (an upload's original name rather than its temp path). */
  displayName?: string;
  /** Applies a list that looks partial (see PARTIAL_LIST_SHARE) all the same. */
  force?: boolean;
}

/**
 * A list in which more than this share of the organisations certified today are absent is taken for a
 * partial download or an extract (a region, a filter left on the open-data portal), not for the national
 * list: applying it would mark them all as having lost Qualiopi. It is refused unless forced.
 */
export const PARTIAL_LIST_SHARE = 0.2;
/** Below this many absent organisations, a small network's real losses are never mistaken for a partial list. */
export const PARTIAL_LIST_MIN_ABSENT = 5;

/** The row of the list an organisation was matched with. */
interface Match {
  line: number;
  record: LpofOrganisation;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/**
 * The new status from the list: certified with at least one category; without, an organisation that had
 * Qualiopi (or had already lapsed) is `lapsed`, any other `not_certified`.
 */
function statusFrom(previous: string, categories: readonly string[]): QualiopiStatus {
  if (categories.length > 0) return 'certified';
  return previous === 'certified' || previous === 'lapsed' ? 'lapsed' : 'not_certified';
}

/** Several rows can match one organisation (a SIRET may carry several NDAs): its own NDA wins, then the most categories. */
function better(org: QualiopiOrganisationRow, current: Match | undefined, candidate: Match): boolean {
  if (!current) return true;
  const own = (m: Match) => (org.nda !== null && m.record.nda === org.nda ? 1 : 0);
  if (own(candidate) !== own(current)) return own(candidate) > own(current);
  return candidate.record.qualiopiCategories.length > current.record.qualiopiCategories.length;
}

async function sha256Of(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Refreshes the organisations' Qualiopi status from the « liste publique des organismes de formation »
 * (docs/formats/lpof.md). The file is read first, outside any transaction, keeping only the rows of
 * organisations Habilis knows; then one transaction writes the new statuses, the audit entries and the
 * `qualiopi.lost` findings, so a file that cannot be read changes nothing.
 */
export class QualiopiService {
  constructor(private readonly ctx: ServiceContext) {}

  async importList(
    actor: Actor,
    filePath: string,
    options: QualiopiImportOptions = {},
  ): Promise<QualiopiImportSummary> {
    requireAccess(actor, 'organisation.import');
    const fileName = options.displayName ?? path.basename(filePath);
    let sha256: string;
    try {
      sha256 = await sha256Of(filePath);
    } catch (error) {
      throw new AppError(
        'import_rejected',
        `${fileName}: cannot read the file (${(error as Error).message})`,
        {
          details: { file: fileName, reason: 'unreadable' },
        },
      );
    }

    const known = await new QualiopiRepository(this.ctx.db).activeOrganisations();
    const bySiret = new Map(known.map((o) => [o.siret, o]));
    const byNda = new Map(known.filter((o) => o.nda !== null).map((o) => [o.nda as string, o]));
    const matches = new Map<string, Match>();
    const rejected: QualiopiRejectedRow[] = [];
    /** NDAs of rejected rows: their organisation is not « absent » from the list, only unreadable in it. */
    const rejectedNdas = new Set<string>();
    let rows = 0;
    try {
      for await (const item of parseLpofFile(filePath, { fileName })) {
        if (item.kind === 'record') {
          const { record } = item;
          const org =
            bySiret.get(record.siret) ??
            byNda.get(record.nda) ??
            record.previousNdas.map((n) => byNda.get(n)).find(Boolean);
          if (!org) continue;
          const candidate = { line: item.line, record };
          if (better(org, matches.get(org.id), candidate)) matches.set(org.id, candidate);
        } else if (item.kind === 'reject') {
          const { line, code, message, column, key } = item.issue;
          rejected.push({
            line,
            code,
            message,
            ...(column === undefined ? {} : { column }),
            ...(key === undefined ? {} : { key }),
          });
          if (key !== undefined) rejectedNdas.add(key);
        } else if (item.kind === 'summary') rows = item.summary.rows;
      }
    } catch (error) {
      if (isAppError(error)) throw error;
      throw new AppError('import_rejected', `${fileName}: ${(error as Error).message}`, {
        details: { file: fileName, reason: 'unreadable' },
      });
    }

    const certified = known.filter((o) => o.qualiopiStatus === 'certified');
    const absent = certified.filter(
      (o) => !matches.has(o.id) && !(o.nda !== null && rejectedNdas.has(o.nda)),
    );
    if (
      !options.force &&
      absent.length >= PARTIAL_LIST_MIN_ABSENT &&
      absent.length > certified.length * PARTIAL_LIST_SHARE
    ) {
      const share = Math.round((absent.length / certified.length) * 100);
      throw new AppError(
        'import_rejected',
        `${fileName}: ${absent.length} of the ${certified.length} organisations certified Qualiopi today (${share} %) are absent from this list; it looks partial (an extract, an interrupted download). Nothing was changed. Import the complete national list, or force it (--force, force=true) if these organisations really lost Qualiopi.`,
        {
          details: {
            file: fileName,
            reason: 'partial_list',
            rows,
            certified: certified.length,
            absent: absent.length,
            threshold: PARTIAL_LIST_SHARE,
            examples: absent.slice(0, 10).map((o) => ({ siret: o.siret, legalName: o.legalName })),
          },
        },
      );
    }

    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new QualiopiRepository(trx);
      const now = this.ctx.now();
      const summary: QualiopiImportSummary = {
        fileName,
        sha256,
        rows,
        matched: matches.size,
        updated: 0,
        gained: 0,
        lost: 0,
        rejected,
        findings: { opened: 0, updated: 0, resolved: 0 },
      };
      const checkedOnly: string[] = [];
      const backToCertified: string[] = [];
      const knownIds = new Set(known.map((o) => o.id));
      for (const org of await repo.lockActiveOrganisations()) {
        // Created while the file was read: the list was not matched against it.
        if (!knownIds.has(org.id)) continue;
        const match = matches.get(org.id);
        // A row rejected with this NDA: the organisation is in the list, but its row says nothing usable.
        if (!match && org.nda !== null && rejectedNdas.has(org.nda)) continue;
        if (!match && org.qualiopiStatus !== 'certified') {
          if (org.qualiopiStatus === 'lapsed') await this.raiseLost(repo, org, null, summary, false);
          continue;
        }

        const categories = match ? [...match.record.qualiopiCategories] : [];
        const status = match ? statusFrom(org.qualiopiStatus, categories) : 'lapsed';
        const nda = org.nda ?? match?.record.nda ?? null;
        const change =
          status === 'certified' && org.qualiopiStatus !== 'certified'
            ? 'gained'
            : status === 'lapsed' && org.qualiopiStatus === 'certified'
              ? 'lost'
              : !sameSet(categories, org.qualiopiCategories)
                ? 'categories_changed'
                : nda !== org.nda || status !== org.qualiopiStatus
                  ? 'status_changed'
                  : null;
        if (change === null) checkedOnly.push(org.id);
        else {
          await repo.update(org.id, {
            qualiopiStatus: status,
            qualiopiCategories: categories,
            nda,
            qualiopiCheckedAt: now,
          });
          summary.updated++;
          if (change === 'gained') summary.gained++;
          if (change === 'lost') summary.lost++;
          await recordAudit(
            trx,
            actor,
            {
              action: 'organisation.qualiopi_refresh',
              entityType: 'organisation',
              entityId: org.id,
              before: {
                qualiopiStatus: org.qualiopiStatus,
                qualiopiCategories: org.qualiopiCategories,
                nda: org.nda,
              },
              after: {
                qualiopiStatus: status,
                qualiopiCategories: categories,
                nda,
                change,
                file: fileName,
                line: match?.line ?? null,
              },
            },
            this.ctx.now,
          );
        }
        // A new loss opens the finding; a loss already known only refreshes an open one (one closed by hand stays closed).
        if (status === 'lapsed') await this.raiseLost(repo, org, match ?? null, summary, change === 'lost');
        if (status === 'certified') backToCertified.push(org.id);
      }
      await repo.touchChecked(checkedOnly, now);
      summary.findings.resolved = (await repo.closeFindings(QUALIOPI_LOST_RULE, backToCertified, now)).length;

      await recordAudit(
        trx,
        actor,
        {
          action: 'qualiopi.import',
          entityType: 'qualiopi_import',
          entityId: null,
          after: { ...summary, rejected: summary.rejected.length },
        },
        this.ctx.now,
      );
      return summary;
    });
  }

  /**
   * Opens (or refreshes) the `qualiopi.lost` finding of an organisation without Qualiopi any more. Its
   * source names the row of the list (or says the organisation is absent from it); the file name is left
   * out so importing the same list again under another name changes nothing. `mayOpen` false: only an
   * open finding is refreshed.
   */
  private async raiseLost(
    repo: QualiopiRepository,
    org: QualiopiOrganisationRow,
    match: Match | null,
    summary: QualiopiImportSummary,
    mayOpen: boolean,
  ): Promise<void> {
    const draft: QualiopiFindingDraft = {
      ruleId: QUALIOPI_LOST_RULE,
      subjectKey: org.id,
      organisationId: org.id,
      title: `${org.legalName} : certification Qualiopi perdue`,
      description: match
        ? `La liste publique des organismes de formation ne porte plus aucune catégorie Qualiopi pour cet organisme (NDA ${match.record.nda}, ligne ${match.line}).`
        : 'Cet organisme, certifié Qualiopi jusqu’ici, est absent de la liste publique des organismes de formation.',
      severity: 'major',
      source: match
        ? {
            reason: 'no_category',
            line: match.line,
            nda: match.record.nda,
            siret: match.record.siret,
            legalName: match.record.legalName,
            qualiopiCategories: match.record.qualiopiCategories,
          }
        : { reason: 'absent', line: null, nda: org.nda, siret: org.siret },
    };
    const outcome = mayOpen ? await repo.upsertFinding(draft) : await repo.refreshOpenFinding(draft);
    if (outcome === 'opened') summary.findings.opened++;
    if (outcome === 'updated') summary.findings.updated++;
  }
}
