import { sql } from 'kysely';
import type { Database } from '../database.js';

const TZ = 'Europe/Paris';

/** The network dashboard's aggregates, each one set-based query. */
export class QualityRepository {
  constructor(private readonly db: Database) {}

  /** Live findings per severity and age (days since opened, on `asOf`), with late and escalated counts. */
  async findingAges(asOf: string) {
    const { rows } = await sql<{
      severity: string;
      days: number;
      n: number;
      late: number;
      escalated: number;
    }>`
      select f.severity,
        (${asOf}::date - (f.opened_at at time zone ${sql.lit(TZ)})::date)::int as days,
        count(*)::int as n,
        count(*) filter (where f.status = 'action_requested' and f.action_due_on < ${asOf}::date)::int as late,
        count(*) filter (where f.status = 'escalated')::int as escalated
      from findings f
      where f.status <> 'closed'
      group by f.severity, days`.execute(this.db);
    return rows;
  }

  /** The year's audits (every control but rule runs) by kind and status, and how many are overdue. */
  async planProgress(year: number, asOf: string) {
    const { rows } = await sql<{ kind: string; status: string; n: number; overdue: number }>`
      select c.kind, c.status, count(*)::int as n,
        count(*) filter (where c.status in ('planned', 'in_progress') and c.planned_on < ${asOf}::date)::int as overdue
      from controls c
      where c.kind <> 'rule'
        and extract(year from coalesce(c.planned_on, c.performed_on, (c.created_at at time zone ${sql.lit(TZ)})::date))::int = ${year}
      group by c.kind, c.status`.execute(this.db);
    return rows;
  }

  /**
   * Candidates presented and passed per certification and organiser over the 365 days up to `asOf`: one
   * outcome per candidate and session, passed when every result that is not an absence passed.
   */
  async successCounts(asOf: string) {
    const { rows } = await sql<{
      organisationId: string;
      legalName: string;
      certificationId: string;
      code: string;
      title: string;
      presented: number;
      passed: number;
    }>`
      with outcome as (
        select a.organiser_id, a.certification_id,
          bool_and(r.decision = 'passed') filter (where r.decision <> 'absent') as passed
        from assessment_results r
        join assessment_sessions a on a.id = r.assessment_session_id
        where a.organiser_id is not null and a.status <> 'cancelled'
          and a.starts_at >= (${asOf}::date::timestamp at time zone ${sql.lit(TZ)}) - interval '364 days'
          and a.starts_at < (${asOf}::date::timestamp at time zone ${sql.lit(TZ)}) + interval '1 day'
        group by a.organiser_id, a.certification_id, r.assessment_session_id, r.candidate_id
        having count(*) filter (where r.decision <> 'absent') > 0
      )
      select k.organiser_id as organisation_id, o.legal_name, k.certification_id, ce.code, ce.title,
        count(*)::int as presented, count(*) filter (where k.passed)::int as passed
      from outcome k
      join organisations o on o.id = k.organiser_id
      join certifications ce on ce.id = k.certification_id
      group by k.organiser_id, o.legal_name, k.certification_id, ce.code, ce.title
      order by ce.code, o.legal_name`.execute(this.db);
    return rows;
  }
}
