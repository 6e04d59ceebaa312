import { sql } from 'kysely';
import type { Database } from '../database.js';

/** The facts a partner's risk score rests on, as one row per organisation (see src/core/risk/risk-score.ts). */
export interface RiskFactsRow {
  organisationId: string;
  siret: string;
  legalName: string;
  candidates: number;
  trainees: number;
  findingsCritical: number;
  findingsMajor: number;
  findingsMinor: number;
  outliers: number;
  successRateHigh: number;
  lastAuditOn: string | null;
  qualiopiStatus: string;
  qualiopiExpiresOn: string | null;
  trainsOnCpf: boolean;
}

export interface RiskFactsFilter {
  organisationIds?: readonly string[];
  siret?: string;
}

/**
 * The risk facts of every partner (organisation not archived, other than the certifier itself) in one
 * set-based query: each aggregate is computed once per table, grouped by organisation, then joined, so the
 * cost grows with the activity of the last 12 months, not with partners × activity.
 */
export class RiskRepository {
  constructor(private readonly db: Database) {}

  async facts(asOf: string, statisticalRuleIds: readonly string[], filter: RiskFactsFilter = {}) {
    const ids = filter.organisationIds;
    if (ids && ids.length === 0) return [];
    const orgFilter = ids ? sql`and o.id in (${sql.join(ids.map((id) => sql`${id}::uuid`))})` : sql``;
    const siretFilter = filter.siret ? sql`and o.siret = ${filter.siret}` : sql``;
    const stats = sql.join(statisticalRuleIds.map((id) => sql`${id}`));
    const from = sql`(${asOf}::date - 365)`;
    const result = await sql<RiskFactsRow>`
      with partners as (
        select o.id, o.siret, o.legal_name, o.qualiopi_status, o.qualiopi_expires_on
        from organisations o
        where o.archived_at is null
          and o.siret is distinct from (select siret from certifier where id = 1)
          ${orgFilter} ${siretFilter}
      ),
      assessed as (
        select a.organiser_id as organisation_id, count(*)::int as n
        from assessment_sessions a
        join assessment_session_candidates c on c.assessment_session_id = a.id
        where a.organiser_id is not null and a.status <> 'cancelled'
          and a.starts_at >= (${from}::timestamp at time zone 'Europe/Paris')
          and a.starts_at < ((${asOf}::date + 1)::timestamp at time zone 'Europe/Paris')
        group by a.organiser_id
      ),
      trained as (
        select ts.organisation_id, count(e.candidate_id)::int as n, bool_or(ts.funding = 'cpf') as cpf
        from training_sessions ts
        left join training_enrolments e on e.training_session_id = ts.id
        where ts.starts_on >= ${from} and ts.starts_on <= ${asOf}::date
        group by ts.organisation_id
      ),
      live as (
        select f.organisation_id,
          count(*) filter (where f.severity = 'critical' and (f.rule_id is null or f.rule_id not in (${stats})))::int as critical,
          count(*) filter (where f.severity = 'major' and (f.rule_id is null or f.rule_id not in (${stats})))::int as major,
          count(*) filter (where f.severity = 'minor' and (f.rule_id is null or f.rule_id not in (${stats})))::int as minor,
          count(*) filter (where f.rule_id in (${stats}))::int as outliers,
          count(*) filter (where f.rule_id = 'success-rate.outlier' and f.source -> 'evidence' ->> 'direction' = 'high')::int as success_rate_high
        from findings f
        where f.status <> 'closed' and f.organisation_id is not null
        group by f.organisation_id
      ),
      audited as (
        select c.organisation_id, max(c.performed_on)::text as last_audit_on
        from controls c
        where c.kind <> 'rule' and c.status = 'done' and c.performed_on is not null and c.organisation_id is not null
          and c.performed_on <= ${asOf}::date
        group by c.organisation_id
      )
      select p.id as organisation_id, p.siret, p.legal_name,
        coalesce(a.n, 0) as candidates, coalesce(t.n, 0) as trainees,
        coalesce(l.critical, 0) as findings_critical, coalesce(l.major, 0) as findings_major,
        coalesce(l.minor, 0) as findings_minor, coalesce(l.outliers, 0) as outliers,
        coalesce(l.success_rate_high, 0) as success_rate_high,
        au.last_audit_on, p.qualiopi_status, p.qualiopi_expires_on::text as qualiopi_expires_on,
        coalesce(t.cpf, false) as trains_on_cpf
      from partners p
      left join assessed a on a.organisation_id = p.id
      left join trained t on t.organisation_id = p.id
      left join live l on l.organisation_id = p.id
      left join audited au on au.organisation_id = p.id`.execute(this.db);
    return result.rows;
  }
}
