import { type Actor, can, organisationScope, requireAccess, requireInScope } from '../core/access/policy.js';
import { forbidden, notFound } from '../core/errors.js';
import { calendarDay } from '../core/habilitations/period.js';
import {
  type NetworkListQuery,
  type NetworkPage,
  type NetworkRow,
  networkExportQuery,
  networkListQuery,
  type TimelineEvent,
  type TimelinePage,
  timelineQuery,
} from '../core/network/network.schema.js';
import { regionOfPostalCode } from '../core/network/regions.js';
import type { QualiopiStatus } from '../core/organisations/organisation.schema.js';
import {
  type NetworkListRow,
  NetworkRepository,
  type TimelineRow,
} from '../db/repositories/network.repository.js';
import { networkListCsv, networkListXlsx } from '../reports/network/network-list.js';
import { type ExportFile, XLSX_MEDIA_TYPE } from './declaration.service.js';
import { RiskService } from './risk.service.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

/** An export carries at most this many organisations (far above any certifier's network). */
const EXPORT_LIMIT = 50_000;

function toNetworkRow(row: NetworkListRow, risk: NetworkRow['risk']): NetworkRow {
  return {
    id: row.id,
    siret: row.siret,
    nda: row.nda,
    legalName: row.legalName,
    tradeName: row.tradeName,
    postalCode: row.postalCode,
    city: row.city,
    regionCode: regionOfPostalCode(row.postalCode),
    qualiopiStatus: row.qualiopiStatus as QualiopiStatus,
    qualiopiExpiresOn: row.qualiopiExpiresOn,
    habilitationCount: row.habilitationCount,
    activeHabilitationCount: row.activeHabilitationCount,
    suspendedHabilitationCount: row.suspendedHabilitationCount,
    risk,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function toTimelineEvent(row: TimelineRow): TimelineEvent {
  return {
    key: row.key,
    at: row.day ?? row.at.toISOString(),
    dateOnly: row.day !== null,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    subject: row.subject,
    actor: row.actor,
    text: row.text,
    fromStatus: row.fromStatus,
    toStatus: row.toStatus,
    fromAuditLog: row.fromAuditLog,
  };
}

/**
 * The partner network as the certifier steers it: the list of organisations filtered by certification,
 * habilitation status, region, Qualiopi and risk (with its CSV/XLSX export), and each partner's timeline.
 */
export class NetworkService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(actor: Actor, input: unknown): Promise<NetworkPage> {
    requireAccess(actor, 'organisation.read');
    const query = parseInput(networkListQuery, input);
    const { items, total } = await this.page(actor, query);
    return { items, total, limit: query.limit, offset: query.offset };
  }

  async export(actor: Actor, input: unknown): Promise<ExportFile> {
    requireAccess(actor, 'organisation.read');
    const { format, ...filters } = parseInput(networkExportQuery, input);
    const { items } = await this.page(actor, {
      ...filters,
      withRisk: can(actor, 'control.read'),
      limit: EXPORT_LIMIT,
      offset: 0,
    });
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(this.ctx.now());
    const base = `reseau-partenaires-${day}`;
    if (format === 'xlsx')
      return {
        fileName: `${base}.xlsx`,
        mediaType: XLSX_MEDIA_TYPE,
        content: await networkListXlsx(items),
        rows: items.length,
      };
    return {
      fileName: `${base}.csv`,
      mediaType: 'text/csv; charset=utf-8',
      content: Buffer.from(networkListCsv(items), 'utf8'),
      rows: items.length,
    };
  }

  /**
   * Everything that happened to the organisation, newest first, one page at a time. Certifier staff who
   * may read the audit log also get its other entries about the partner and the author of each change;
   * a partner user reads its own organisation's story from the records.
   */
  async timeline(actor: Actor, organisationId: string, input: unknown): Promise<TimelinePage> {
    requireAccess(actor, 'organisation.read');
    requireInScope(actor, 'organisation', organisationId, organisationId);
    const query = parseInput(timelineQuery, input);
    const { items, total } = await new NetworkRepository(this.ctx.db).timeline(organisationId, {
      withAuditLog: can(actor, 'audit.read'),
      limit: query.limit,
      offset: query.offset,
    });
    // An organisation always has at least its creation: nothing at all means there is none.
    if (total === 0) throw notFound('organisation', organisationId);
    return { items: items.map(toTimelineEvent), total, limit: query.limit, offset: query.offset };
  }

  private async page(actor: Actor, query: NetworkListQuery): Promise<{ items: NetworkRow[]; total: number }> {
    const readsRisk = can(actor, 'control.read');
    if (query.risk && !readsRisk) throw forbidden('Your role may not filter partners by risk (control.read)');
    if (query.risk) await this.currentRiskLevels();
    const { items, total } = await new NetworkRepository(this.ctx.db).list(query, organisationScope(actor));
    let scores = new Map<string, NetworkRow['risk']>();
    if (readsRisk && query.withRisk && items.length > 0) {
      // A page is scored by its ids; an export of many rows, with the whole network at once.
      const scored = await new RiskService(this.ctx).scores(
        items.length <= 500 ? { organisationIds: items.map((i) => i.id) } : {},
      );
      scores = new Map(scored.map((s) => [s.organisationId, { score: s.score, level: s.level }]));
    }
    return { items: items.map((row) => toNetworkRow(row, scores.get(row.id) ?? null)), total };
  }

  /**
   * Makes `organisation_risk_levels` (what the risk filter reads) current: the levels of today's scores
   * (RiskService, from live data), computed after the latest audit entry. Every change of the data writes
   * the audit log (docs/decisions/0003), so a table computed today at the latest entry's seq is still true;
   * otherwise the whole network is scored again (set-based) and the table replaced, under a lock so that
   * two refreshes do not cross. The seq is read before the scores, so a change committed meanwhile makes
   * the next read refresh again. The refresh writes no audit entry: it records no decision, only derived
   * data, and an entry would make the table stale at once.
   */
  async currentRiskLevels(): Promise<void> {
    const asOf = calendarDay(this.ctx.now());
    const current = (s: { asOf: string | null; auditSeq: string | null; latestSeq: string }) =>
      s.asOf === asOf && s.auditSeq === s.latestSeq;
    if (current(await new NetworkRepository(this.ctx.db).riskLevelsState())) return;
    await this.ctx.db.transaction().execute(async (trx) => {
      const repo = new NetworkRepository(trx);
      await repo.lockRiskLevels();
      const state = await repo.riskLevelsState();
      if (current(state)) return;
      const scores = await new RiskService({ ...this.ctx, db: trx }).scores();
      await repo.replaceRiskLevels(asOf, state.latestSeq, scores);
    });
  }
}
