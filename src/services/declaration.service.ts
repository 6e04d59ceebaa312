import type { z } from 'zod';
import { type Actor, actorId, requireAccess } from '../core/access/policy.js';
import {
  type DeclarationChangeKind,
  type DeclarationStatus,
  daysBetween,
  declarationChangeOf,
  declarationDueOn,
  declarationStatusOf,
  declaredStateOf,
  franceCompetencesStateLabel,
  franceCompetencesValueOf,
  isScopeChangeDeclared,
} from '../core/declarations/declaration.js';
import {
  type DeclarationChangeView,
  type DeclarationExportQuery,
  type DeclarationListQuery,
  type DeclarationMarkResult,
  type DeclarationPage,
  type DeclaredPartnerList,
  type DeclaredPartnerQuery,
  type DeclaredPartnerRow,
  declarationMarkInput,
} from '../core/declarations/declaration.schema.js';
import { conflict, type FieldIssue, validationFailed } from '../core/errors.js';
import type { HabilitationScope } from '../core/habilitations/habilitation.js';
import type { HabilitationStatus } from '../core/habilitations/lifecycle.js';
import { calendarDay } from '../core/habilitations/period.js';
import { combineScopes } from '../core/registry/reconcile.js';
import type { Database } from '../db/database.js';
import {
  type ChangeFilter,
  type DecisionChangeRow,
  DeclarationRepository,
  type ScopeChangeRow,
} from '../db/repositories/declaration.repository.js';
import { EvidenceRepository } from '../db/repositories/evidence.repository.js';
import { partnerListCsv, partnerListXlsx } from '../reports/fc-declarations/partner-list.js';
import { recordAudit } from './audit.service.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file the API sends as a download and the CLI writes to disk. */
export interface ExportFile {
  fileName: string;
  mediaType: string;
  content: Buffer;
  /** Rows below the header. */
  rows: number;
}

function fromDecision(
  row: DecisionChangeRow,
  kind: DeclarationChangeKind,
  today: string,
): DeclarationChangeView {
  const decidedOn = calendarDay(row.decidedAt);
  const dueOn = declarationDueOn(decidedOn);
  const scope = row.scope as HabilitationScope;
  return {
    changeId: `decision:${row.decisionId}`,
    kind,
    habilitationId: row.habilitationId,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    siret: row.siret,
    certificationId: row.certificationId,
    certificationCode: row.certificationCode,
    certificationTitle: row.certificationTitle,
    scope,
    franceCompetencesValue: franceCompetencesValueOf(scope),
    fromStatus: row.fromStatus as HabilitationStatus | null,
    toStatus: row.toStatus as HabilitationStatus,
    previousScope: null,
    decidedAt: row.decidedAt.toISOString(),
    decidedOn,
    dueOn,
    daysLeft: daysBetween(today, dueOn),
    status: declarationStatusOf({ dueOn, declaredOn: row.declaredOn }, today),
    declaredOn: row.declaredOn,
    declarationReference: row.declarationReference,
    declarationEvidenceId: row.declarationEvidenceId,
    declaredBy: row.declaredBy,
  };
}

function fromScopeChange(row: ScopeChangeRow, today: string): DeclarationChangeView {
  const decidedOn = calendarDay(row.at);
  const dueOn = declarationDueOn(decidedOn);
  const scope = row.toScope as HabilitationScope;
  return {
    changeId: `scope:${row.auditSeq}`,
    kind: 'scope_changed',
    habilitationId: row.habilitationId,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    siret: row.siret,
    certificationId: row.certificationId,
    certificationCode: row.certificationCode,
    certificationTitle: row.certificationTitle,
    scope,
    franceCompetencesValue: franceCompetencesValueOf(scope),
    fromStatus: null,
    toStatus: null,
    previousScope: row.fromScope as HabilitationScope,
    decidedAt: row.at.toISOString(),
    decidedOn,
    dueOn,
    daysLeft: daysBetween(today, dueOn),
    status: declarationStatusOf({ dueOn, declaredOn: row.declaredOn }, today),
    declaredOn: row.declaredOn,
    declarationReference: row.declarationReference,
    declarationEvidenceId: row.declarationEvidenceId,
    declaredBy: row.declaredBy,
  };
}

/** Oldest deadline first: what is late comes first; then by partner and certification. */
const byDeadline = (a: DeclarationChangeView, b: DeclarationChangeView) =>
  a.dueOn.localeCompare(b.dueOn) ||
  a.organisationName.localeCompare(b.organisationName, 'fr') ||
  a.certificationCode.localeCompare(b.certificationCode) ||
  a.decidedAt.localeCompare(b.decidedAt);

/**
 * Declarations to France Compétences (décret 2025-500): every change of the list of habilitated partners
 * (a habilitation granted, suspended, reactivated, withdrawn, ended, or its scope changed) must be declared
 * within two months. This service lists the changes with their deadline, records that they were declared,
 * and produces the list of partners to declare (one row per partner × certification). It is the
 * certifier's obligation: partner users have no access.
 */
export class DeclarationService {
  constructor(private readonly ctx: ServiceContext) {}

  private today(on?: string): string {
    return on ?? calendarDay(this.ctx.now());
  }

  /**
   * Every change that alters the declared list, from the decisions and the changes of scope; with `ids`,
   * only those decisions and audit entries.
   */
  private async changes(
    db: Database,
    filter: ChangeFilter,
    today: string,
    ids?: { decisions: string[]; scopes: string[] },
  ): Promise<DeclarationChangeView[]> {
    const repo = new DeclarationRepository(db);
    const [decisions, scopes] = await Promise.all([
      repo.decisionChanges({ ...filter, ...(ids ? { ids: ids.decisions } : {}) }),
      repo.scopeChanges({ ...filter, ...(ids ? { ids: ids.scopes } : {}) }),
    ]);
    const views: DeclarationChangeView[] = [];
    for (const row of decisions) {
      const kind = declarationChangeOf(
        row.fromStatus as HabilitationStatus | null,
        row.toStatus as HabilitationStatus,
      );
      if (kind) views.push(fromDecision(row, kind, today));
    }
    for (const row of scopes)
      if (isScopeChangeDeclared(row.statusThen as HabilitationStatus))
        views.push(fromScopeChange(row, today));
    return views;
  }

  async list(actor: Actor, query: DeclarationListQuery): Promise<DeclarationPage> {
    requireAccess(actor, 'declaration.read');
    const today = this.today(query.on);
    const all = await this.changes(
      this.ctx.db,
      {
        organisationIds: query.organisationId ? [query.organisationId] : undefined,
        certificationId: query.certificationId,
      },
      today,
    );
    const counts = { overdue: 0, dueSoon: 0, pending: 0, declared: 0 };
    const countKey: Record<DeclarationStatus, keyof typeof counts> = {
      overdue: 'overdue',
      due_soon: 'dueSoon',
      pending: 'pending',
      declared: 'declared',
    };
    for (const c of all) counts[countKey[c.status]]++;
    const wanted = query.status;
    const selected = all
      .filter((c) =>
        wanted === undefined ? true : wanted === 'open' ? c.status !== 'declared' : c.status === wanted,
      )
      .sort(byDeadline);
    return {
      items: selected.slice(query.offset, query.offset + query.limit),
      total: selected.length,
      limit: query.limit,
      offset: query.offset,
      counts,
    };
  }

  /**
   * Records that changes were declared to France Compétences on a day. Refused as a whole, naming each
   * faulty entry (`changeIds/<i>`), when a change does not exist or is not one to declare, is named twice,
   * is already declared, or was decided after the declaration day; refused too when the day is in the
   * future.
   */
  async markDeclared(actor: Actor, input: unknown): Promise<DeclarationMarkResult> {
    requireAccess(actor, 'declaration.manage');
    const data = parseInput(declarationMarkInput, input);
    const today = this.today();
    if (data.declaredOn > today)
      throw validationFailed([{ field: 'declaredOn', message: `must not be after today (${today})` }]);
    try {
      return await this.declare(actor, data, today);
    } catch (error) {
      // Someone recorded one of these declarations meanwhile: nothing of this batch was written.
      if ((error as { code?: unknown })?.code === '23505')
        throw conflict('One of these changes was declared meanwhile: reload the list');
      throw error;
    }
  }

  private declare(
    actor: Actor,
    data: z.output<typeof declarationMarkInput>,
    today: string,
  ): Promise<DeclarationMarkResult> {
    return this.ctx.db.transaction().execute(async (trx) => {
      const idsOf = (prefix: string) =>
        data.changeIds.filter((id) => id.startsWith(prefix)).map((id) => id.slice(prefix.length));
      const found = await this.changes(trx, {}, today, {
        decisions: idsOf('decision:'),
        scopes: idsOf('scope:'),
      });
      const changes = new Map(found.map((c) => [c.changeId, c]));

      const issues: FieldIssue[] = [];
      const seen = new Set<string>();
      data.changeIds.forEach((id, i) => {
        const field = `changeIds/${i}`;
        const change = changes.get(id);
        if (seen.has(id)) issues.push({ field, message: 'appears twice' });
        else if (!change) issues.push({ field, message: `${id} is not a change to declare` });
        else if (change.declaredOn !== null)
          issues.push({ field, message: `${id} was already declared on ${change.declaredOn}` });
        else if (change.decidedOn > data.declaredOn)
          issues.push({
            field,
            message: `${id} was decided on ${change.decidedOn}, after the declaration day`,
          });
        seen.add(id);
      });
      if (data.evidenceId && !(await new EvidenceRepository(trx).findById(data.evidenceId)))
        issues.push({ field: 'evidenceId', message: 'unknown evidence file' });
      if (issues.length) throw validationFailed(issues);

      const declaredBy = actorId(actor);
      await new DeclarationRepository(trx).insertDeclarations(
        data.changeIds.map((changeId) => ({
          changeId,
          habilitationId: changes.get(changeId)!.habilitationId,
          declaredOn: data.declaredOn,
          reference: data.reference ?? null,
          evidenceId: data.evidenceId ?? null,
          declaredBy,
        })),
      );
      const items = data.changeIds.map((id) => ({
        ...changes.get(id)!,
        status: 'declared' as const,
        declaredOn: data.declaredOn,
        declarationReference: data.reference ?? null,
        declarationEvidenceId: data.evidenceId ?? null,
        declaredBy,
      }));
      for (const item of items)
        await recordAudit(
          trx,
          actor,
          {
            action: 'declaration.declare',
            entityType: 'habilitation',
            entityId: item.habilitationId,
            after: {
              changeId: item.changeId,
              kind: item.kind,
              declaredOn: item.declaredOn,
              reference: item.declarationReference,
            },
          },
          this.ctx.now,
        );
      return { items };
    });
  }

  /**
   * The list of partners as it must stand at France Compétences: one row per partner × certification
   * whose habilitation was ever granted. The France Compétences value combines the scopes of the pair's
   * habilitations in force (train + evaluate = HABILITATION_ORGA_FORM); without one in force, the
   * suspended ones; otherwise the last one, shown as Supprimé.
   */
  async partnerList(actor: Actor, query: DeclaredPartnerQuery): Promise<DeclaredPartnerList> {
    requireAccess(actor, 'declaration.read');
    const today = this.today(query.on);
    const changes = await this.changes(this.ctx.db, {}, today);
    const changesByHabilitation = new Map<string, DeclarationChangeView[]>();
    for (const c of changes) {
      const list = changesByHabilitation.get(c.habilitationId) ?? [];
      list.push(c);
      changesByHabilitation.set(c.habilitationId, list);
    }
    const habilitations = await new DeclarationRepository(this.ctx.db).habilitationsByIds([
      ...changesByHabilitation.keys(),
    ]);
    const pairs = new Map<string, typeof habilitations>();
    for (const h of habilitations) {
      const key = `${h.organisationId}|${h.certificationId}`;
      const list = pairs.get(key) ?? [];
      list.push(h);
      pairs.set(key, list);
    }
    const rows: DeclaredPartnerRow[] = [];
    for (const list of pairs.values()) {
      const first = list[0]!;
      const stateOf = (h: (typeof list)[number]) => declaredStateOf(h.status as HabilitationStatus);
      const listed = list.filter((h) => stateOf(h) === 'listed');
      const suspended = list.filter((h) => stateOf(h) === 'suspended');
      const latest = [...list].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0]!;
      const shown = listed.length ? listed : suspended.length ? suspended : [latest];
      const state = listed.length ? 'listed' : suspended.length ? 'suspended' : stateOf(latest);
      const scope = combineScopes(shown.map((h) => h.scope as HabilitationScope)) ?? 'both';
      const pairChanges = list.flatMap((h) => changesByHabilitation.get(h.id) ?? []);
      const open = pairChanges
        .filter((c) => c.declaredOn === null)
        .map((c) => c.dueOn)
        .sort();
      const declared = pairChanges.flatMap((c) => (c.declaredOn ? [c.declaredOn] : [])).sort();
      const ends = shown.map((h) => h.endsOn);
      rows.push({
        organisationId: first.organisationId,
        siret: first.siret,
        legalName: first.legalName,
        certificationId: first.certificationId,
        certificationCode: first.certificationCode,
        certificationTitle: first.certificationTitle,
        franceCompetencesValue: franceCompetencesValueOf(scope),
        state: franceCompetencesStateLabel[state],
        startsOn: shown.map((h) => h.startsOn).sort()[0]!,
        endsOn: ends.includes(null) ? null : ((ends as string[]).sort().at(-1) ?? null),
        lastChangeOn: pairChanges
          .map((c) => c.decidedOn)
          .sort()
          .at(-1)!,
        dueOn: open[0] ?? null,
        declaredOn: declared.at(-1) ?? null,
      });
    }
    const items = rows
      .filter((r) => !query.pendingOnly || r.dueOn !== null)
      .sort(
        (a, b) =>
          a.legalName.localeCompare(b.legalName, 'fr') ||
          a.siret.localeCompare(b.siret) ||
          a.certificationCode.localeCompare(b.certificationCode),
      );
    return { items };
  }

  /** The partner list as a CSV or XLSX file, named after the day it describes. */
  async exportPartnerList(actor: Actor, query: DeclarationExportQuery): Promise<ExportFile> {
    const { items } = await this.partnerList(actor, query);
    const day = this.today(query.on);
    const base = `declaration-france-competences-${day}`;
    if (query.format === 'xlsx')
      return {
        fileName: `${base}.xlsx`,
        mediaType: XLSX_MEDIA_TYPE,
        content: await partnerListXlsx(items),
        rows: items.length,
      };
    return {
      fileName: `${base}.csv`,
      mediaType: 'text/csv; charset=utf-8',
      content: Buffer.from(partnerListCsv(items), 'utf8'),
      rows: items.length,
    };
  }
}
