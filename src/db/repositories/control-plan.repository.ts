import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../database.js';

export interface PlanPartnerRow {
  organisationId: string;
  legalName: string;
  periodStart: string;
  periodEnd: string | null;
  auditedInPeriod: boolean;
}

export interface PlanRow {
  id: string;
  year: number;
  status: string;
  proposedOn: string;
  committedAt: Date | null;
  committedBy: string | null;
}

export interface NewPlanEntry {
  organisationId: string;
  kind: string;
  depth: string;
  plannedOn: string;
  origin: 'proposed' | 'added';
  riskScore: number | null;
  riskLevel: string | null;
  reason: string;
  note?: string | null;
}

export interface PlanEntryRow {
  id: string;
  organisationId: string;
  legalName: string;
  siret: string;
  kind: string;
  depth: string;
  plannedOn: string;
  origin: string;
  removed: boolean;
  riskScore: number | null;
  riskLevel: string | null;
  reason: string;
  note: string | null;
  controlId: string | null;
  controlStatus: string | null;
}

export interface PlanEntryFilter {
  kind?: string | undefined;
  level?: string | undefined;
  organisationId?: string | undefined;
  includeRemoved?: boolean | undefined;
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** The plans de contrôle and their entries (migration 2026-11-23T1700-control-plans). */
export class ControlPlanRepository {
  constructor(private readonly db: Database) {}

  /**
   * Partners habilitated during `year` (a habilitation active or under watch whose period meets the year),
   * with their current habilitation period and whether an audit (a control other than a rule run, done or
   * still planned) falls within it. One set-based query.
   */
  async partnersForPlan(year: number): Promise<PlanPartnerRow[]> {
    const first = `${year}-01-01`;
    const last = `${year}-12-31`;
    const { rows } = await sql<PlanPartnerRow>`
      with period as (
        select h.organisation_id, min(h.starts_on) as period_start,
          case when bool_or(h.ends_on is null) then null else max(h.ends_on) end as period_end
        from habilitations h
        where h.status in ('active', 'under_watch') and h.starts_on <= ${last}::date
          and (h.ends_on is null or h.ends_on >= ${first}::date)
        group by h.organisation_id
      )
      select p.organisation_id, o.legal_name, p.period_start::text as period_start, p.period_end::text as period_end,
        exists (
          select 1 from controls c
          where c.organisation_id = p.organisation_id and c.kind <> 'rule' and c.status <> 'cancelled'
            and coalesce(c.performed_on, c.planned_on) >= p.period_start) as audited_in_period
      from period p
      join organisations o on o.id = p.organisation_id
      where o.archived_at is null`.execute(this.db);
    return rows;
  }

  findByYear(year: number): Promise<PlanRow | undefined> {
    return this.db
      .selectFrom('controlPlans')
      .select(['id', 'year', 'status', 'proposedOn', 'committedAt', 'committedBy'])
      .where('year', '=', year)
      .executeTakeFirst();
  }

  find(id: string): Promise<PlanRow | undefined> {
    return this.db
      .selectFrom('controlPlans')
      .select(['id', 'year', 'status', 'proposedOn', 'committedAt', 'committedBy'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Locks the plan row for the transaction (adjustments and commit do not interleave). */
  async lock(id: string): Promise<PlanRow | undefined> {
    const { rows } = await sql<PlanRow>`
      select id, year, status, proposed_on::text as proposed_on, committed_at, committed_by
      from control_plans where id = ${id} for update`.execute(this.db);
    return rows[0];
  }

  async all(): Promise<PlanRow[]> {
    return this.db
      .selectFrom('controlPlans')
      .select(['id', 'year', 'status', 'proposedOn', 'committedAt', 'committedBy'])
      .orderBy('year', 'desc')
      .execute();
  }

  async insertPlan(year: number, proposedOn: string, parameters: Record<string, unknown>): Promise<string> {
    const row = await this.db
      .insertInto('controlPlans')
      .values({ year, proposedOn, parameters: JSON.stringify(parameters) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async resetDraft(id: string, proposedOn: string, parameters: Record<string, unknown>): Promise<void> {
    await this.db.deleteFrom('controlPlanEntries').where('planId', '=', id).execute();
    await this.db
      .updateTable('controlPlans')
      .set({ proposedOn, parameters: JSON.stringify(parameters), updatedAt: new Date() })
      .where('id', '=', id)
      .execute();
  }

  /** Bulk insert (chunks of 2,000 rows as one JSON recordset each); returns the ids in order. */
  async insertEntries(planId: string, entries: readonly NewPlanEntry[]): Promise<string[]> {
    const ids: string[] = [];
    for (const part of chunks(entries, 2_000)) {
      const payload = JSON.stringify(
        part.map((e) => {
          const id = randomUUID();
          ids.push(id);
          return {
            id,
            organisation_id: e.organisationId,
            kind: e.kind,
            depth: e.depth,
            planned_on: e.plannedOn,
            origin: e.origin,
            risk_score: e.riskScore,
            risk_level: e.riskLevel,
            reason: e.reason,
            note: e.note ?? null,
          };
        }),
      );
      await sql`
        insert into control_plan_entries (id, plan_id, organisation_id, kind, depth, planned_on, origin, risk_score,
          risk_level, reason, note)
        select x.id, ${planId}::uuid, x.organisation_id, x.kind, x.depth, x.planned_on, x.origin, x.risk_score,
          x.risk_level, x.reason, x.note
        from jsonb_to_recordset(${payload}::jsonb) as x(id uuid, organisation_id uuid, kind text, depth text,
          planned_on date, origin text, risk_score numeric, risk_level text, reason text, note text)`.execute(
        this.db,
      );
    }
    return ids;
  }

  /** Counts of a plan: kept entries by kind and level, removed, partners, committed controls done. */
  async counts(planId: string) {
    const { rows } = await sql<{
      kind: string;
      riskLevel: string | null;
      removed: boolean;
      n: number;
      done: number;
    }>`
      select e.kind, e.risk_level, e.removed, count(*)::int as n,
        count(*) filter (where c.status = 'done')::int as done
      from control_plan_entries e left join controls c on c.id = e.control_id
      where e.plan_id = ${planId}
      group by e.kind, e.risk_level, e.removed`.execute(this.db);
    const partners = await sql<{ n: number }>`
      select count(distinct organisation_id)::int as n from control_plan_entries
      where plan_id = ${planId} and not removed`.execute(this.db);
    return { rows, partners: partners.rows[0]?.n ?? 0 };
  }

  private entriesQuery(planId: string, filter: PlanEntryFilter) {
    let q = this.db
      .selectFrom('controlPlanEntries as e')
      .innerJoin('organisations as o', 'o.id', 'e.organisationId')
      .leftJoin('controls as c', 'c.id', 'e.controlId')
      .where('e.planId', '=', planId);
    if (filter.kind) q = q.where('e.kind', '=', filter.kind);
    if (filter.level) q = q.where('e.riskLevel', '=', filter.level);
    if (filter.organisationId) q = q.where('e.organisationId', '=', filter.organisationId);
    if (!filter.includeRemoved) q = q.where('e.removed', '=', false);
    return q;
  }

  async entries(
    planId: string,
    filter: PlanEntryFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: PlanEntryRow[]; total: number }> {
    const total = await this.entriesQuery(planId, filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const items = await this.entriesQuery(planId, filter)
      .select([
        'e.id',
        'e.organisationId',
        'o.legalName',
        'o.siret',
        'e.kind',
        'e.depth',
        'e.plannedOn',
        'e.origin',
        'e.removed',
        'e.riskScore',
        'e.riskLevel',
        'e.reason',
        'e.note',
        'e.controlId',
        'c.status as controlStatus',
      ])
      .orderBy('e.plannedOn')
      .orderBy('e.riskScore', (ob) => ob.desc().nullsLast())
      .orderBy('e.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return { items: items as PlanEntryRow[], total: Number(total.n) };
  }

  async entry(planId: string, entryId: string): Promise<PlanEntryRow | undefined> {
    const { items } = await this.entriesQueryById(planId, entryId);
    return items[0];
  }

  private async entriesQueryById(planId: string, entryId: string) {
    const items = await this.entriesQuery(planId, { includeRemoved: true })
      .where('e.id', '=', entryId)
      .select([
        'e.id',
        'e.organisationId',
        'o.legalName',
        'o.siret',
        'e.kind',
        'e.depth',
        'e.plannedOn',
        'e.origin',
        'e.removed',
        'e.riskScore',
        'e.riskLevel',
        'e.reason',
        'e.note',
        'e.controlId',
        'c.status as controlStatus',
      ])
      .execute();
    return { items: items as PlanEntryRow[] };
  }

  async updateEntry(
    entryId: string,
    patch: Partial<{ kind: string; depth: string; plannedOn: string; removed: boolean; note: string | null }>,
  ): Promise<void> {
    await this.db
      .updateTable('controlPlanEntries')
      .set({ ...patch, updatedAt: new Date() })
      .where('id', '=', entryId)
      .execute();
  }

  /**
   * Turns every kept entry into a planned control (kind, organisation, date, a title naming the audit)
   * and links it; returns how many controls were created.
   */
  async commit(planId: string, year: number, committedAt: Date, committedBy: string | null): Promise<number> {
    const kept = await this.db
      .selectFrom('controlPlanEntries as e')
      .innerJoin('organisations as o', 'o.id', 'e.organisationId')
      .select(['e.id', 'e.organisationId', 'e.kind', 'e.depth', 'e.plannedOn', 'o.legalName'])
      .where('e.planId', '=', planId)
      .where('e.removed', '=', false)
      .execute();
    const kindLabel: Record<string, string> = {
      documentary: 'Contrôle documentaire',
      on_site: 'Audit sur site',
      observation: 'Observation d’une session d’évaluation',
      mystery_shop: 'Visite mystère',
      communication_review: 'Revue de la communication',
      self_assessment: 'Auto-évaluation',
    };
    const depthLabel: Record<string, string> = {
      light: 'allégé',
      standard: 'standard',
      reinforced: 'approfondi',
    };
    for (const part of chunks(kept, 2_000)) {
      const payload = JSON.stringify(
        part.map((e) => ({
          entry_id: e.id,
          control_id: randomUUID(),
          kind: e.kind,
          organisation_id: e.organisationId,
          planned_on: e.plannedOn,
          title:
            `${kindLabel[e.kind] ?? e.kind} (${depthLabel[e.depth] ?? e.depth}) — ${e.legalName} — plan ${year}`.slice(
              0,
              300,
            ),
        })),
      );
      await sql`
        insert into controls (id, kind, title, organisation_id, status, planned_on)
        select x.control_id, x.kind, x.title, x.organisation_id, 'planned', x.planned_on
        from jsonb_to_recordset(${payload}::jsonb) as x(entry_id uuid, control_id uuid, kind text, organisation_id uuid,
          planned_on date, title text)`.execute(this.db);
      await sql`
        update control_plan_entries e set control_id = x.control_id, updated_at = now()
        from jsonb_to_recordset(${payload}::jsonb) as x(entry_id uuid, control_id uuid)
        where e.id = x.entry_id`.execute(this.db);
    }
    await this.db
      .updateTable('controlPlans')
      .set({ status: 'committed', committedAt, committedBy, updatedAt: committedAt })
      .where('id', '=', planId)
      .execute();
    return kept.length;
  }
}
