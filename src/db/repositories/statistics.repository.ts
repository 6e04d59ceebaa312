import { sql } from 'kysely';
import type { Database } from '../database.js';

export interface StatisticsFilter {
  certificationId: string | null;
  fromYear: number | null;
  toYear: number | null;
}

/** Counts of distinct candidates per certification × year × partner × access route (see statistics.schema.ts). */
export interface CandidateFacts {
  certificationId: string;
  year: number;
  organisationId: string | null;
  accessRoute: string | null;
  candidates: number;
  presented: number;
  deliberated: number;
  certifiedFull: number;
  certifiedByBlocks: number;
  failed: number;
  certifiedVae: number;
}

export interface BlockFacts {
  certificationId: string;
  year: number;
  skillBlockId: string;
  presented: number;
  validated: number;
}

export class StatisticsRepository {
  constructor(private readonly db: Database) {}

  async candidateFacts(filter: StatisticsFilter): Promise<CandidateFacts[]> {
    const certification = filter.certificationId;
    const from = filter.fromYear ?? 0;
    const to = filter.toYear ?? 9999;
    const result = await sql<CandidateFacts>`
      with enrolled as (
        select distinct t.certification_id, extract(year from t.starts_on)::int as year, e.candidate_id
        from training_enrolments e join training_sessions t on t.id = e.training_session_id
      ), presented as (
        select distinct s.certification_id, extract(year from s.starts_at)::int as year, x.candidate_id
        from assessment_session_candidates x join assessment_sessions s on s.id = x.assessment_session_id
        where s.status <> 'cancelled'
      ), decided as (
        select distinct on (j.certification_id, extract(year from j.meets_on), d.candidate_id)
          j.certification_id, extract(year from j.meets_on)::int as year, d.candidate_id, d.decision
        from deliberations d join juries j on j.id = d.jury_id
        order by j.certification_id, extract(year from j.meets_on), d.candidate_id, d.decided_at desc, d.id
      ), keys as (
        select certification_id, year, candidate_id from enrolled
        union select certification_id, year, candidate_id from presented
        union select certification_id, year, candidate_id from decided
      )
      select k.certification_id, k.year, c.organisation_id, c.access_route,
        count(en.candidate_id)::int as candidates,
        count(p.candidate_id)::int as presented,
        count(*) filter (where d.decision in ('certified', 'certified_by_blocks', 'failed'))::int as deliberated,
        count(*) filter (where d.decision = 'certified')::int as certified_full,
        count(*) filter (where d.decision = 'certified_by_blocks')::int as certified_by_blocks,
        count(*) filter (where d.decision = 'failed')::int as failed,
        count(*) filter (where d.decision = 'certified' and c.access_route = 'vae')::int as certified_vae
      from keys k
      join candidates c on c.id = k.candidate_id
      left join enrolled en on en.certification_id = k.certification_id and en.year = k.year and en.candidate_id = k.candidate_id
      left join presented p on p.certification_id = k.certification_id and p.year = k.year and p.candidate_id = k.candidate_id
      left join decided d on d.certification_id = k.certification_id and d.year = k.year and d.candidate_id = k.candidate_id
      where (${certification}::uuid is null or k.certification_id = ${certification}::uuid)
        and k.year between ${from} and ${to}
      group by k.certification_id, k.year, c.organisation_id, c.access_route
      order by k.year, k.certification_id`.execute(this.db);
    return result.rows;
  }

  async blockFacts(filter: StatisticsFilter): Promise<BlockFacts[]> {
    const certification = filter.certificationId;
    const result = await sql<BlockFacts>`
      select s.certification_id, extract(year from s.starts_at)::int as year, r.skill_block_id,
        count(distinct r.candidate_id) filter (where r.decision <> 'absent')::int as presented,
        count(distinct r.candidate_id) filter (where r.decision = 'passed')::int as validated
      from assessment_results r join assessment_sessions s on s.id = r.assessment_session_id
      where r.skill_block_id is not null
        and (${certification}::uuid is null or s.certification_id = ${certification}::uuid)
        and extract(year from s.starts_at)::int between ${filter.fromYear ?? 0} and ${filter.toYear ?? 9999}
      group by 1, 2, 3
      order by 2, 1`.execute(this.db);
    return result.rows;
  }

  certifications() {
    return this.db.selectFrom('certifications').select(['id', 'code', 'title']).orderBy('code').execute();
  }

  skillBlocks() {
    return this.db.selectFrom('skillBlocks').select(['id', 'code', 'title']).execute();
  }

  async organisations(ids: readonly string[]) {
    if (!ids.length) return [];
    return this.db
      .selectFrom('organisations')
      .select(['id', 'siret', 'legalName'])
      .where('id', 'in', [...ids])
      .execute();
  }
}
