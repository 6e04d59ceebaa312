import { randomUUID } from 'node:crypto';
import { CompiledQuery, type RawBuilder, sql } from 'kysely';
import { copyField } from '../../core/copy-text.js';
import { stringifyWithText } from '../../core/json-text.js';
import { CopyStaging } from '../copy-data.js';
import type { Database, Engine } from '../database.js';

/**
 * The SQL of the automated controls (src/rules/controls/*), one set-based query per rule id, and the
 * writes of a rule run (findings opened, refreshed, resolved). SQL only: what a row means is the rule's
 * business. Every query reads the day it judges (`asOf`, an ISO date) and the rule's parameters; days of
 * timestamps are taken in the certifier's time zone (Europe/Paris).
 */

type Parameters = Record<string, unknown>;
interface QueryContext {
  asOf: string;
  parameters: Parameters;
}

const TZ = 'Europe/Paris';

function numberParam(p: Parameters, name: string): number {
  const v = p[name];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new Error(`rule parameter ${name} must be a number`);
  return v;
}

function textListParam(p: Parameters, name: string): string[] {
  const v = p[name];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new Error(`rule parameter ${name} must be a list of texts`);
  return v as string[];
}

/** The calendar day of a timestamptz column, in the certifier's time zone. */
const dayOf = (column: string) => sql.raw(`((${column}) at time zone '${TZ}')::date`);
/** The first instant of an ISO day, in the certifier's time zone. */
const startOfDay = (isoDay: string) => sql`(${isoDay}::date::timestamp at time zone ${sql.lit(TZ)})`;
/** The first day of the window `days` days before `asOf`. */
const since = (c: QueryContext, days: number) => sql`(${c.asOf}::date - ${days}::int)`;

/** A habilitation granted at some point (not a pending application) for the organisation and certification. */
const grantedHabilitation = (org: string, cert: string, scopes: string) =>
  sql.raw(`h.organisation_id = ${org} and h.certification_id = ${cert}
    and h.status not in ('application', 'review') and h.scope in (${scopes})`);

/** A numeric condition of a habilitation (conditions JSON), or null when absent or not a number. */
const numericCondition = (name: string) =>
  sql.raw(
    `case when jsonb_typeof(h.conditions -> '${name}') = 'number' then (h.conditions ->> '${name}')::numeric end`,
  );

const queries: Record<string, (c: QueryContext) => RawBuilder<unknown>> = {
  'convention.missing': (c) => {
    const from = since(c, numberParam(c.parameters, 'windowDays'));
    return sql`
      with activity as (
        select ts.organisation_id, ts.certification_id, 'training_session' as kind, ts.id, ts.starts_on as day
        from training_sessions ts
        where ts.ends_on >= ${from} and ts.starts_on <= ${c.asOf}::date
        union all
        select a.organiser_id, a.certification_id, 'assessment_session', a.id, ${dayOf('a.starts_at')}
        from assessment_sessions a
        where a.organiser_id is not null and a.status <> 'cancelled'
          and a.starts_at >= ${startOfDay(c.asOf)} - (${numberParam(c.parameters, 'windowDays')}::int * interval '1 day')
          and a.starts_at < ${startOfDay(c.asOf)} + interval '1 day'
      )
      select act.organisation_id, act.certification_id, o.legal_name, ce.code as certification_code,
        count(*)::int as activity_count, min(act.day)::text as first_day, max(act.day)::text as last_day,
        (array_agg(act.kind || ':' || act.id order by act.day, act.id))[1:20] as samples
      from activity act
      join organisations o on o.id = act.organisation_id
      join certifications ce on ce.id = act.certification_id
      where o.siret is distinct from (select siret from certifier where id = 1)
        and not exists (
          select 1 from conventions cv
          join convention_certifications cc on cc.convention_id = cv.id
          where cv.organisation_id = act.organisation_id and cc.certification_id = act.certification_id
            and cv.status in ('signed', 'expired', 'terminated') and cv.signed_on <= act.day
            and cv.starts_on <= act.day and (cv.ends_on is null or cv.ends_on >= act.day)
            and (cv.terminated_on is null or act.day < cv.terminated_on))
      group by act.organisation_id, act.certification_id, o.legal_name, ce.code`;
  },

  // Filter first (one exists per block, stopping at the first miss), then describe only the sessions found.
  'habilitation.training-scope': (c) => {
    const trains = grantedHabilitation('s.organisation_id', 's.certification_id', "'train', 'both'");
    const uncovered = sql`
      select sb.id, sb.code from skill_blocks sb
      where (exists (select 1 from training_session_skill_blocks b where b.training_session_id = s.id and b.skill_block_id = sb.id)
          or (sb.certification_id = s.certification_id
            and not exists (select 1 from training_session_skill_blocks b where b.training_session_id = s.id)))
        and not exists (
          select 1 from habilitations h
          where ${trains}
            and (h.covers_all_skill_blocks or exists (
              select 1 from habilitation_skill_blocks hb where hb.habilitation_id = h.id and hb.skill_block_id = sb.id)))`;
    return sql`
      with open_scope as materialized (
        -- No habilitation covering every block (none at all included): a top-level anti-join, which the
        -- planner hashes, before any per-session check (inside an OR it was one index probe per session).
        select s.id, s.organisation_id, s.certification_id, s.reference, s.starts_on, s.ends_on
        from training_sessions s
        where s.ends_on >= ${since(c, numberParam(c.parameters, 'windowDays'))} and s.starts_on <= ${c.asOf}::date
          and not exists (select 1 from habilitations h where ${trains} and h.covers_all_skill_blocks)
      ),
      found as (
        select s.id as session_id, s.organisation_id, s.certification_id, s.reference, s.starts_on, s.ends_on,
          exists (select 1 from habilitations h where ${trains}) as has_training_habilitation
        from open_scope s
        where not exists (select 1 from habilitations h where ${trains}) or exists (${uncovered})
      )
      select f.session_id, f.organisation_id, f.certification_id, f.reference, f.starts_on::text as starts_on,
        f.ends_on::text as ends_on, f.has_training_habilitation,
        array(select u.code from training_sessions s cross join lateral (${uncovered}) u where s.id = f.session_id order by u.code)
          as missing_blocks,
        o.legal_name, ce.code as certification_code
      from found f
      join organisations o on o.id = f.organisation_id
      join certifications ce on ce.id = f.certification_id`;
  },

  'habilitation.not-evaluator': (c) => {
    const window = numberParam(c.parameters, 'windowDays');
    const evaluates = grantedHabilitation('s.organiser_id', 's.certification_id', "'evaluate', 'both'");
    const uncovered = sql`
      select r.skill_block_id from assessment_results r
      where r.assessment_session_id = s.id and r.skill_block_id is not null and not exists (
        select 1 from habilitations h
        where ${evaluates}
          and (h.covers_all_skill_blocks or exists (
            select 1 from habilitation_skill_blocks hb where hb.habilitation_id = h.id and hb.skill_block_id = r.skill_block_id)))`;
    return sql`
      with open_scope as materialized (
        -- No habilitation covering every block (none at all included): a top-level anti-join, which the
        -- planner hashes, before the results are looked at (inside an OR it was one probe per session).
        select s.id, s.organiser_id, s.certification_id, s.starts_at
        from assessment_sessions s
        where s.organiser_id is not null and s.status <> 'cancelled'
          and s.starts_at >= ${startOfDay(c.asOf)} - (${window}::int * interval '1 day')
          and s.starts_at < ${startOfDay(c.asOf)} + interval '1 day'
          and not exists (select 1 from habilitations h where ${evaluates} and h.covers_all_skill_blocks)
      ),
      found as (
        select s.id as session_id, s.organiser_id as organisation_id, s.certification_id, s.starts_at,
          exists (select 1 from habilitations h where ${evaluates}) as has_evaluation_habilitation
        from open_scope s
        where not exists (select 1 from habilitations h where ${evaluates}) or exists (${uncovered})
      )
      select f.session_id, f.organisation_id, f.certification_id, ${dayOf('f.starts_at')}::text as day,
        f.has_evaluation_habilitation,
        array(select distinct sb.code from assessment_sessions s cross join lateral (${uncovered}) u
          join skill_blocks sb on sb.id = u.skill_block_id where s.id = f.session_id) as missing_blocks,
        o.legal_name, ce.code as certification_code
      from found f
      join organisations o on o.id = f.organisation_id
      join certifications ce on ce.id = f.certification_id`;
  },

  'habilitation.outside-period': (c) => {
    const window = numberParam(c.parameters, 'windowDays');
    // The status of habilitation h on the day of activity act: its last decision by then, or its current
    // status when no decision is recorded that early.
    const statusOnDay = sql`coalesce((
      select d.to_status from habilitation_decisions d
      where d.habilitation_id = h.id and ${dayOf('d.decided_at')} <= act.day
      order by d.decided_at desc, d.id desc limit 1), h.status)`;
    const ofScope = sql`h.organisation_id = act.organisation_id and h.certification_id = act.certification_id
      and h.scope in (case act.kind when 'training_session' then 'train' else 'evaluate' end, 'both')
      and h.status not in ('application', 'review')`;
    // Judged first (each activity with its habilitations of the right scope: none covering the day with a
    // status that allows it), then the habilitations described for the activities kept only.
    return sql`
      with activity as (
        select 'training_session' as kind, ts.id, ts.organisation_id, ts.certification_id, ts.starts_on as day
        from training_sessions ts
        where ts.ends_on >= ${since(c, window)} and ts.starts_on <= ${c.asOf}::date
        union all
        select 'assessment_session', a.id, a.organiser_id, a.certification_id, ${dayOf('a.starts_at')}
        from assessment_sessions a
        where a.organiser_id is not null and a.status <> 'cancelled'
          and a.starts_at >= ${startOfDay(c.asOf)} - (${window}::int * interval '1 day')
          and a.starts_at < ${startOfDay(c.asOf)} + interval '1 day'
      ),
      judged as (
        select act.kind, act.id, act.organisation_id, act.certification_id, act.day
        from activity act
        join habilitations h on ${ofScope}
        group by act.kind, act.id, act.organisation_id, act.certification_id, act.day
        having not bool_or(h.starts_on <= act.day and (h.ends_on is null or h.ends_on >= act.day)
          and ${statusOnDay} in ('active', case act.kind when 'training_session' then 'under_watch' else 'active' end))
      )
      select act.kind, act.id, act.organisation_id, act.certification_id, act.day::text as day, o.legal_name,
        ce.code as certification_code,
        array(select h.starts_on::text || '…' || coalesce(h.ends_on::text, '') || ' ' || ${statusOnDay}
          from habilitations h where ${ofScope} order by h.starts_on) as habilitations
      from judged act
      join organisations o on o.id = act.organisation_id
      join certifications ce on ce.id = act.certification_id`;
  },

  'qualiopi.cpf': (c) => {
    const window = numberParam(c.parameters, 'windowDays');
    // Qualiopi valid on a day: certified and not expired by then; a lapsed certificate was valid until it expired.
    const validOn = (day: RawBuilder<unknown>) =>
      sql`((o.qualiopi_status = 'certified' and (o.qualiopi_expires_on is null or o.qualiopi_expires_on >= ${day}))
        or (o.qualiopi_status = 'lapsed' and o.qualiopi_expires_on >= ${day}))`;
    const today = sql`${c.asOf}::date`;
    return sql`
      select o.id as organisation_id, o.legal_name, o.qualiopi_status, o.qualiopi_expires_on::text as qualiopi_expires_on,
        count(*)::int as session_count, min(ts.starts_on)::text as first_day, max(ts.ends_on)::text as last_day,
        (array_agg(ts.id order by ts.starts_on, ts.id))[1:20] as sample_session_ids,
        array_agg(distinct ce.code) as certification_codes
      from training_sessions ts
      join organisations o on o.id = ts.organisation_id
      join certifications ce on ce.id = ts.certification_id
      where ts.funding = 'cpf' and ts.ends_on >= ${since(c, window)} and ts.starts_on <= ${c.asOf}::date + 365
        and (not ${validOn(sql.raw('ts.starts_on'))} or (ts.ends_on >= ${today} and not ${validOn(today)}))
      group by o.id, o.legal_name, o.qualiopi_status, o.qualiopi_expires_on`;
  },

  // Set-based: the blocks each certificate needs, anti-joined (AND-ed not exists, which the planner may hash)
  // with the passed results of its candidate; then described for the certificates found only.
  'certificate.unsupported': () => {
    // By index: each candidate has a few results; a grouped pass over all results spills on large networks.
    const notPassed = sql.raw(`not exists (
      select 1 from assessment_results r join assessment_sessions a on a.id = r.assessment_session_id
      where r.candidate_id = cert.candidate_id and r.skill_block_id = sb.id and r.decision = 'passed'
        and a.certification_id = cert.certification_id and a.status <> 'cancelled')`);
    return sql`
      with unvalidated as (
        select cert.id as certificate_id, sb.code
        from certificates cert
        join deliberations d on d.id = cert.deliberation_id and d.decision = 'certified'
        join skill_blocks sb on sb.certification_id = cert.certification_id
        where cert.revoked_at is null
          and not exists (select 1 from deliberation_skill_blocks dsb where dsb.deliberation_id = d.id and dsb.skill_block_id = sb.id)
          and ${notPassed}
        union all
        select cert.id, sb.code
        from certificates cert
        join deliberations d on d.id = cert.deliberation_id and d.decision = 'certified_by_blocks'
        join deliberation_skill_blocks dsb on dsb.deliberation_id = d.id
        join skill_blocks sb on sb.id = dsb.skill_block_id
        where cert.revoked_at is null and ${notPassed}
      ),
      judged as (
        select cert.id as certificate_id, cert.number, cert.issued_on::text as issued_on, cert.certification_id,
          cert.candidate_id, d.id as deliberation_id, d.decision, j.status as jury_status,
          array_remove(array[
            case when d.decision not in ('certified', 'certified_by_blocks') then 'unfavourable_decision' end,
            case when d.candidate_id <> cert.candidate_id then 'other_candidate' end,
            case when j.certification_id <> cert.certification_id then 'other_certification' end,
            case when j.status = 'planned' then 'jury_not_deliberated' end
          ], null) as problems
        from certificates cert
        join deliberations d on d.id = cert.deliberation_id
        join juries j on j.id = d.jury_id
        where cert.revoked_at is null
      )
      -- Names looked up by primary key for the certificates kept (a join would hash every candidate: the
      -- planner cannot know how few certificates are kept).
      select j.certificate_id, j.number, j.issued_on, j.certification_id,
        (select ca.organisation_id from candidates ca where ca.id = j.candidate_id) as organisation_id,
        j.deliberation_id,
        j.decision, j.jury_status, j.problems,
        array(select u.code from unvalidated u where u.certificate_id = j.certificate_id order by u.code)
          as unvalidated_blocks,
        (select ce.code from certifications ce where ce.id = j.certification_id) as certification_code
      from judged j
      where cardinality(j.problems) > 0 or j.certificate_id in (select certificate_id from unvalidated)`;
  },

  // Each kind of error is its own materialized CTE: planned on its own, its `exists` becomes a hash semi-join
  // (inside a UNION ALL branch PostgreSQL keeps it as a per-row subplan, one index probe per deliberation).
  // Names and the dates of the description are looked up for the rows kept only.
  'chronology.inconsistent': (c) => {
    const window = numberParam(c.parameters, 'windowDays');
    return sql`
      with late_deliberation as materialized (
        -- A deliberation taken before one of the candidate's assessment sessions for that certification.
        -- A join (then distinct) rather than exists: PostgreSQL 15 can only hash the inner side of a semi-join,
        -- which here is every result (2 million rows); the join hashes the deliberations and streams the
        -- results through them (1.7 s → 1.1 s at full size).
        select distinct d.id, d.candidate_id, j.certification_id, d.decided_at
        from deliberations d
        join juries j on j.id = d.jury_id
        join assessment_results r on r.candidate_id = d.candidate_id
        join assessment_sessions a on a.id = r.assessment_session_id and a.certification_id = j.certification_id
          and a.status <> 'cancelled' and a.starts_at > d.decided_at
        where d.decided_at >= ${startOfDay(c.asOf)} - (${window}::int * interval '1 day')
      ),
      early_certificate as materialized (
        -- A certificate issued before the day of the deliberation that grants it.
        select cert.id, cert.candidate_id, cert.certification_id, cert.issued_on, d.decided_at
        from certificates cert
        join deliberations d on d.id = cert.deliberation_id
        where cert.revoked_at is null and cert.issued_on >= ${since(c, window)}
          and cert.issued_on < ${dayOf('d.decided_at')}
      ),
      in_training as materialized (
        -- Candidates assessed while still in training towards the same certification, unless the organiser's
        -- habilitation allows assessment during training.
        select a.id, a.organiser_id, a.certification_id, a.starts_at, ac.candidate_id, ts.ends_on
        from assessment_sessions a
        join assessment_session_candidates ac on ac.assessment_session_id = a.id
        join training_enrolments e on e.candidate_id = ac.candidate_id
        join training_sessions ts on ts.id = e.training_session_id and ts.certification_id = a.certification_id
          and ts.starts_on <= ${dayOf('a.starts_at')} and ts.ends_on > ${dayOf('a.starts_at')}
        where a.status <> 'cancelled'
          and a.starts_at >= ${startOfDay(c.asOf)} - (${window}::int * interval '1 day')
          and not exists (
            select 1 from habilitations h
            where h.organisation_id = a.organiser_id and h.certification_id = a.certification_id
              and h.conditions -> 'assessmentDuringTraining' = 'true'::jsonb)
      )
      -- Looked up row by row (by primary key): the estimates of the CTEs are far above the handful of rows
      -- they hold, and a join would hash every candidate.
      select 'deliberation' as kind, l.id,
        (select ca.organisation_id from candidates ca where ca.id = l.candidate_id) as organisation_id,
        l.certification_id, (select ce.code from certifications ce where ce.id = l.certification_id) as certification_code,
        l.decided_at::text as first_at,
        (select max(a.starts_at) from assessment_results r
          join assessment_sessions a on a.id = r.assessment_session_id and a.certification_id = l.certification_id
            and a.status <> 'cancelled'
          where r.candidate_id = l.candidate_id)::text as second_at,
        1 as candidate_count
      from late_deliberation l
      union all
      select 'certificate', e.id, (select ca.organisation_id from candidates ca where ca.id = e.candidate_id),
        e.certification_id, (select ce.code from certifications ce where ce.id = e.certification_id),
        e.issued_on::text, ${dayOf('e.decided_at')}::text, 1
      from early_certificate e
      union all
      select 'assessment_session', t.id, t.organiser_id, t.certification_id, ce.code, ${dayOf('t.starts_at')}::text,
        max(t.ends_on)::text, count(distinct t.candidate_id)::int
      from in_training t
      join certifications ce on ce.id = t.certification_id
      group by t.id, t.organiser_id, t.certification_id, ce.code, t.starts_at`;
  },

  // Aggregated in hash steps that narrow at each level (results → candidate outcomes → sessions → partner,
  // certification and year) rather than one sort of every result on a five-column key.
  'success-rate.outlier': (c) => {
    const window = numberParam(c.parameters, 'windowDays');
    const held = sql`a.organiser_id is not null and a.status <> 'cancelled'
      and a.starts_at >= ${startOfDay(c.asOf)} - (${window}::int * interval '1 day')
      and a.starts_at < ${startOfDay(c.asOf)} + interval '1 day'`;
    return sql`
      with s as (
        select a.id, a.organiser_id, a.certification_id,
          extract(year from a.starts_at at time zone ${sql.lit(TZ)})::int as year
        from assessment_sessions a
        where ${held}
      ),
      outcome as (
        -- One outcome per candidate and session: passed when every result that is not an absence passed
        -- (a candidate absent from everything was not presented). Joined with the sessions table itself, not
        -- with s: the planner then hashes the 66,000 sessions and streams the 2 million results through it
        -- (through s it hashed the results, or probed them session by session).
        select r.assessment_session_id, bool_and(r.decision = 'passed') as passed
        from assessment_results r
        join assessment_sessions a on a.id = r.assessment_session_id
        where r.decision <> 'absent' and ${held}
        group by r.assessment_session_id, r.candidate_id
      ),
      per_session as (
        select assessment_session_id, count(*)::int as presented, count(*) filter (where passed)::int as passed
        from outcome group by assessment_session_id
      ),
      counts as (
        select s.organiser_id, s.certification_id, s.year, sum(ps.presented)::int as presented,
          sum(ps.passed)::int as passed
        from per_session ps join s on s.id = ps.assessment_session_id
        group by s.organiser_id, s.certification_id, s.year
      )
      select k.organiser_id as organisation_id, k.certification_id, k.year, k.presented, k.passed,
        o.legal_name, ce.code as certification_code
      from counts k
      join organisations o on o.id = k.organiser_id
      join certifications ce on ce.id = k.certification_id`;
  },

  'volume.sudden-growth': (c) => {
    const recent = numberParam(c.parameters, 'recentDays');
    const baseline = numberParam(c.parameters, 'baselineDays');
    return sql`
      with trainees as (
        select ts.organisation_id,
          count(*) filter (where ts.starts_on > ${since(c, recent)})::int as recent,
          count(*) filter (where ts.starts_on <= ${since(c, recent)})::int as baseline
        from training_enrolments e join training_sessions ts on ts.id = e.training_session_id
        where ts.starts_on > ${since(c, recent + baseline)} and ts.starts_on <= ${c.asOf}::date
        group by ts.organisation_id
      ),
      candidates as (
        select a.organiser_id as organisation_id,
          count(*) filter (where ${dayOf('a.starts_at')} > ${since(c, recent)})::int as recent,
          count(*) filter (where ${dayOf('a.starts_at')} <= ${since(c, recent)})::int as baseline
        from assessment_session_candidates ac join assessment_sessions a on a.id = ac.assessment_session_id
        where a.organiser_id is not null and a.status <> 'cancelled'
          and a.starts_at >= ${startOfDay(c.asOf)} - (${recent + baseline - 1}::int * interval '1 day')
          and a.starts_at < ${startOfDay(c.asOf)} + interval '1 day'
        group by a.organiser_id
      )
      select o.id as organisation_id, o.legal_name,
        coalesce(t.recent, 0) as recent_trainees, coalesce(t.baseline, 0) as baseline_trainees,
        coalesce(k.recent, 0) as recent_candidates, coalesce(k.baseline, 0) as baseline_candidates
      from organisations o
      left join trainees t on t.organisation_id = o.id
      left join candidates k on k.organisation_id = o.id
      where t.organisation_id is not null or k.organisation_id is not null`;
  },

  'training.hours-below-minimum': (c) => sql`
    select ts.id as session_id, ts.organisation_id, ts.certification_id, ts.reference, ts.starts_on::text as starts_on,
      ts.hours, req.minimum_hours, o.legal_name, ce.code as certification_code
    from training_sessions ts
    cross join lateral (
      select max(${numericCondition('minimumHours')}) as minimum_hours from habilitations h
      where ${grantedHabilitation('ts.organisation_id', 'ts.certification_id', "'train', 'both'")}
        and h.starts_on <= ts.starts_on and (h.ends_on is null or h.ends_on >= ts.starts_on)
    ) req
    join organisations o on o.id = ts.organisation_id
    join certifications ce on ce.id = ts.certification_id
    where ts.ends_on >= ${since(c, numberParam(c.parameters, 'windowDays'))} and ts.starts_on <= ${c.asOf}::date
      and ts.hours is not null and req.minimum_hours is not null and ts.hours < req.minimum_hours`,

  'training.group-size': (c) => sql`
    with s as (
      select ts.* from training_sessions ts
      where ts.ends_on >= ${since(c, numberParam(c.parameters, 'windowDays'))} and ts.starts_on <= ${c.asOf}::date
    ),
    -- Enrolments counted in one grouped pass rather than per session, before the join with the sessions of
    -- the window: the join then probes one row per session rather than one per enrolment.
    n as (
      select e.training_session_id, count(*)::int as enrolled
      from training_enrolments e
      group by e.training_session_id
    )
    select s.id as session_id, s.organisation_id, s.certification_id, s.reference, s.starts_on::text as starts_on,
      n.enrolled, req.max_group_size, o.legal_name, ce.code as certification_code
    from s
    join n on n.training_session_id = s.id
    cross join lateral (
      select min(${numericCondition('maxGroupSize')}) as max_group_size from habilitations h
      where ${grantedHabilitation('s.organisation_id', 's.certification_id', "'train', 'both'")}
        and h.starts_on <= s.starts_on and (h.ends_on is null or h.ends_on >= s.starts_on)
    ) req
    join organisations o on o.id = s.organisation_id
    join certifications ce on ce.id = s.certification_id
    where req.max_group_size is not null and n.enrolled > req.max_group_size`,

  'accrochage.late': (c) => sql`
    select cert.id as certificate_id, cert.number, cert.issued_on::text as issued_on, cert.accrochage_status,
      cert.accrochage_message, cert.certification_id, ca.organisation_id, ce.code as certification_code,
      (cert.issued_on + (${numberParam(c.parameters, 'deadlineMonths')}::int * interval '1 month'))::date::text as due_on
    from certificates cert
    join candidates ca on ca.id = cert.candidate_id
    join certifications ce on ce.id = cert.certification_id
    where cert.revoked_at is null and cert.accrochage_status <> 'accepted'
      and (cert.issued_on + (${numberParam(c.parameters, 'deadlineMonths')}::int * interval '1 month'))::date < ${c.asOf}::date`,

  'convention.expiring': (c) => sql`
    select cv.id as convention_id, cv.reference, cv.organisation_id, cv.ends_on::text as ends_on, o.legal_name,
      array_agg(ce.code order by ce.code) as unrenewed_codes,
      (array_agg(ce.id order by ce.code))[1] as first_certification_id
    from conventions cv
    join convention_certifications cc on cc.convention_id = cv.id
    join certifications ce on ce.id = cc.certification_id
    join organisations o on o.id = cv.organisation_id
    where cv.status = 'signed' and cv.terminated_on is null
      and cv.ends_on between ${c.asOf}::date and ${c.asOf}::date + ${numberParam(c.parameters, 'noticeDays')}::int
      -- Still needed: the partner keeps a habilitation in force on that certification after the end.
      and exists (
        select 1 from habilitations h
        where h.organisation_id = cv.organisation_id and h.certification_id = cc.certification_id
          and h.status in ('active', 'under_watch') and (h.ends_on is null or h.ends_on > cv.ends_on))
      -- Not renewed: no other convention (draft, sent or signed) covers the certification beyond that end.
      and not exists (
        select 1 from conventions nx
        join convention_certifications nc on nc.convention_id = nx.id and nc.certification_id = cc.certification_id
        where nx.organisation_id = cv.organisation_id and nx.id <> cv.id
          and nx.status in ('draft', 'sent', 'signed') and (nx.ends_on is null or nx.ends_on > cv.ends_on))
    group by cv.id, cv.reference, cv.organisation_id, cv.ends_on, o.legal_name`,

  // The duplicate identities first, in one grouped pass; then their certificates found again through the
  // identity index of candidates (a handful of rows) rather than a second pass over every certificate.
  'candidate.certified-twice': () => {
    const certified = sql.raw(`cert.revoked_at is null and exists (
      select 1 from deliberations d where d.id = cert.deliberation_id and d.decision = 'certified')`);
    return sql`
      with twice as materialized (
        select cert.certification_id, lower(ca.birth_name) as name_key, lower(ca.first_names) as first_key,
          ca.birth_date
        from certificates cert
        join candidates ca on ca.id = cert.candidate_id
        where ${certified} and ca.birth_date is not null
        group by cert.certification_id, lower(ca.birth_name), lower(ca.first_names), ca.birth_date
        having count(*) > 1
      )
      select t.certification_id, (select ce.code from certifications ce where ce.id = t.certification_id)
          as certification_code,
        md5(t.name_key || '|' || t.first_key || '|' || t.birth_date::text) as identity_hash,
        g.birth_name, g.first_names, t.birth_date::text as birth_date, g.numbers, g.candidate_ids, g.organisation_ids
      from twice t
      -- Lateral: by index for each duplicate identity (the planner expects far more groups than there are).
      cross join lateral (
        select min(ca.birth_name) as birth_name, min(ca.first_names) as first_names,
          array_agg(cert.number order by cert.issued_on, cert.number) as numbers,
          array_agg(distinct ca.id) as candidate_ids,
          array_remove(array_agg(distinct ca.organisation_id), null) as organisation_ids
        from candidates ca
        join certificates cert on cert.candidate_id = ca.id and cert.certification_id = t.certification_id
        where lower(ca.birth_name) = t.name_key and ca.birth_date = t.birth_date
          and lower(ca.first_names) = t.first_key and ${certified}
      ) g`;
  },

  'scores.identical-pattern': (c) => {
    const window = numberParam(c.parameters, 'windowDays');
    const minItems = numberParam(c.parameters, 'minItems');
    const minCandidates = numberParam(c.parameters, 'minCandidates');
    return sql`
      with fingerprint as (
        select r.assessment_session_id, count(*) as items, sum((r.score * 100)::int) as total,
          min((r.score * 100)::int) as low, max((r.score * 100)::int) as high
        from assessment_results r
        join assessment_sessions a on a.id = r.assessment_session_id
        where a.status <> 'cancelled' and r.score is not null
          and a.starts_at >= ${startOfDay(c.asOf)} - (${window}::int * interval '1 day')
          and a.starts_at < ${startOfDay(c.asOf)} + interval '1 day'
        group by r.assessment_session_id, r.candidate_id
      ),
      suspect as materialized (
        select distinct assessment_session_id as id from fingerprint
        where items >= ${minItems}
        group by assessment_session_id, items, total, low, high
        having count(*) >= ${minCandidates}
      ),
      pattern as (
        -- By the session index, for the few suspect sessions (lateral: never a pass over every result).
        select su.id as assessment_session_id, p.scores, p.items
        from suspect su
        cross join lateral (
          select string_agg(coalesce(r.assessment_task, r.skill_block_id::text, '') || '=' || trim_scale(r.score)::text || '/' ||
              coalesce(trim_scale(r.max_score)::text, ''), ';' order by coalesce(r.assessment_task, r.skill_block_id::text, ''), r.score)
              as scores,
            count(*) as items
          from assessment_results r
          where r.assessment_session_id = su.id and r.score is not null
          group by r.candidate_id
        ) p
      ),
      shared as (
        select assessment_session_id, scores, count(*)::int as candidates
        from pattern where items >= ${minItems}
        group by assessment_session_id, scores
        having count(*) >= ${minCandidates}
      )
      select a.id as session_id, a.organiser_id as organisation_id, a.certification_id, ce.code as certification_code,
        ${dayOf('a.starts_at')}::text as day,
        (select count(distinct r.candidate_id) from assessment_results r
          where r.assessment_session_id = a.id and r.score is not null)::int as scored_candidates,
        array_agg(s.candidates::text || ' × ' || s.scores order by s.candidates desc, s.scores) as patterns,
        sum(s.candidates)::int as candidates_in_patterns
      from shared s
      join assessment_sessions a on a.id = s.assessment_session_id
      join certifications ce on ce.id = a.certification_id
      group by a.id, a.organiser_id, a.certification_id, ce.code, a.starts_at`;
  },

  'assessment.declared-late': (c) => {
    const window = numberParam(c.parameters, 'windowDays');
    return sql`
      select a.id as session_id, a.organiser_id as organisation_id, a.certification_id, ce.code as certification_code,
        a.starts_at, a.declared_at, o.legal_name
      from assessment_sessions a
      join organisations o on o.id = a.organiser_id
      join certifications ce on ce.id = a.certification_id
      where a.status <> 'cancelled'
        and a.starts_at >= ${startOfDay(c.asOf)} - (${window}::int * interval '1 day')
        and a.declared_at > a.starts_at - (${numberParam(c.parameters, 'noticeDays')}::int * interval '1 day')`;
  },

  // Set-based: late results (one pass over the results of the window's sessions) and registered candidates
  // without any result (an anti-join), grouped by session; then described.
  'results.late': (c) => {
    const window = numberParam(c.parameters, 'windowDays');
    const deadline = numberParam(c.parameters, 'deadlineDays');
    return sql`
      with s as (
        select a.id, a.organiser_id, a.certification_id, ${dayOf('a.starts_at')} as day,
          ${dayOf('a.starts_at')} + ${deadline}::int as due_on
        from assessment_sessions a
        where a.organiser_id is not null and a.status <> 'cancelled'
          and a.starts_at >= ${startOfDay(c.asOf)} - (${window}::int * interval '1 day')
          and a.starts_at < ${startOfDay(c.asOf)} + interval '1 day'
      ),
      late as (
        -- Joined with the sessions table, not with s: the planner then hashes the sessions and streams the
        -- results through them (with s, it hashed the 2 million results).
        select r.assessment_session_id as id, count(*)::int as n
        from assessment_sessions a join assessment_results r on r.assessment_session_id = a.id
        where a.organiser_id is not null and a.status <> 'cancelled'
          and a.starts_at >= ${startOfDay(c.asOf)} - (${window}::int * interval '1 day')
          and a.starts_at < ${startOfDay(c.asOf)} + interval '1 day'
          and r.recorded_at >= ((${dayOf('a.starts_at')} + ${deadline}::int + 1)::timestamp at time zone ${sql.lit(TZ)})
        group by r.assessment_session_id
      ),
      missing as (
        select ac.assessment_session_id as id, count(*)::int as n
        from s join assessment_session_candidates ac on ac.assessment_session_id = s.id
        where s.due_on < ${c.asOf}::date
          and not exists (select 1 from assessment_results r
            where r.assessment_session_id = ac.assessment_session_id and r.candidate_id = ac.candidate_id)
        group by ac.assessment_session_id
      )
      select s.id as session_id, s.organiser_id as organisation_id, s.certification_id, ce.code as certification_code,
        s.day::text as day, s.due_on::text as due_on, o.legal_name,
        coalesce(l.n, 0) as late_results, coalesce(m.n, 0) as missing_results
      from s
      left join late l on l.id = s.id
      left join missing m on m.id = s.id
      join organisations o on o.id = s.organiser_id
      join certifications ce on ce.id = s.certification_id
      where l.id is not null or m.id is not null`;
  },

  // Set-based: the (session, evaluator) pairs of the window joined once with the training of the session's
  // candidates towards the same certification, rather than a count per pair.
  'evaluator.conflict': (c) => {
    const window = numberParam(c.parameters, 'windowDays');
    return sql`
      with pairs as (
        select a.id as session_id, a.organiser_id, a.certification_id, a.starts_at, u.id as user_id, u.display_name,
          u.organisation_id as evaluator_organisation_id, lower(trim(u.display_name)) as name_key
        from assessment_sessions a
        join assessment_session_evaluators ev on ev.assessment_session_id = a.id
        join users u on u.id = ev.user_id
        where a.status <> 'cancelled'
          and a.starts_at >= ${startOfDay(c.asOf)} - (${window}::int * interval '1 day')
      ),
      trained as (
        select p.session_id, p.user_id, count(distinct ac.candidate_id)::int as n
        from pairs p
        join assessment_session_candidates ac on ac.assessment_session_id = p.session_id
        join training_enrolments e on e.candidate_id = ac.candidate_id
        join training_sessions ts on ts.id = e.training_session_id and ts.certification_id = p.certification_id
        where exists (select 1 from unnest(ts.trainers) t where lower(trim(t)) = p.name_key)
        group by p.session_id, p.user_id
      ),
      same_organisation as (
        select p.session_id, p.user_id, count(*)::int as n
        from pairs p
        join assessment_session_candidates ac on ac.assessment_session_id = p.session_id
        join candidates ca on ca.id = ac.candidate_id and ca.organisation_id = p.evaluator_organisation_id
        where exists (
          select 1 from habilitations h
          where h.organisation_id = p.organiser_id and h.certification_id = p.certification_id
            and h.conditions -> 'independentEvaluators' = 'true'::jsonb)
        group by p.session_id, p.user_id
      )
      select p.session_id, p.organiser_id, p.certification_id, p.starts_at, p.user_id, p.display_name,
        p.evaluator_organisation_id, coalesce(t.n, 0) as trained_candidates,
        coalesce(so.n, 0) as same_organisation_candidates,
        ${dayOf('p.starts_at')}::text as day, ce.code as certification_code
      from pairs p
      left join trained t on t.session_id = p.session_id and t.user_id = p.user_id
      left join same_organisation so on so.session_id = p.session_id and so.user_id = p.user_id
      join certifications ce on ce.id = p.certification_id
      where t.n is not null or so.n is not null`;
  },

  'evidence.missing': (c) => {
    const grace = numberParam(c.parameters, 'graceDays');
    const window = numberParam(c.parameters, 'windowDays');
    const purposes = textListParam(c.parameters, 'sessionPurposes');
    return sql`
      select 'assessment_session' as kind, a.id, a.organiser_id as organisation_id, a.certification_id,
        ce.code as certification_code, ${dayOf('a.starts_at')}::text as day,
        array(select p from unnest(${purposes}::text[]) p
          where not exists (select 1 from evidence_links l
            where l.entity_type = 'assessment_session' and l.entity_id = a.id and l.purpose = p)
          order by p) as missing
      from assessment_sessions a
      join certifications ce on ce.id = a.certification_id
      where a.organiser_id is not null and a.status <> 'cancelled'
        and a.starts_at >= ${startOfDay(c.asOf)} - (${window}::int * interval '1 day')
        and ${dayOf('a.starts_at')} < ${since(c, grace)}
        and exists (select 1 from unnest(${purposes}::text[]) p
          where not exists (select 1 from evidence_links l
            where l.entity_type = 'assessment_session' and l.entity_id = a.id and l.purpose = p))
      union all
      select 'jury', j.id, null, j.certification_id, ce.code, j.meets_on::text, array['jury_minutes']
      from juries j join certifications ce on ce.id = j.certification_id
      where j.status in ('deliberated', 'signed') and j.minutes_id is null
        and j.meets_on >= ${since(c, window)} and j.meets_on < ${since(c, grace)}`;
  },

  // Same fact, subject key and rule id as the registry import's reconciliation (src/core/registry/reconcile.ts),
  // judged every day rather than at each import: a habilitation that comes into force after the last import.
  'registry.not_declared': (c) => {
    const inForce = sql`h.status in ('active', 'under_watch') and h.starts_on <= ${c.asOf}::date
      and (h.ends_on is null or h.ends_on >= ${c.asOf}::date)`;
    // The anti-join first (most partners are declared), then the habilitations and states of those kept only.
    return sql`
      with missing as (
        select distinct f.code as fiche_code, ce.id as certification_id, o.id as organisation_id, o.siret, o.legal_name
        from fc_fiches f
        join certifications ce on ce.code = f.code and ce.is_owned
        join habilitations h on h.certification_id = ce.id
        join organisations o on o.id = h.organisation_id
        where f.is_active and ${inForce}
          and not exists (
            select 1 from fc_declared_partners dp
            where dp.fiche_code = f.code and dp.siret = o.siret and (dp.state is null or dp.state = 'Actif'))
      )
      select m.fiche_code, m.certification_id, m.organisation_id, m.siret, m.legal_name,
        array(select h.scope from habilitations h
          where h.organisation_id = m.organisation_id and h.certification_id = m.certification_id and ${inForce}
          order by h.scope) as scopes,
        array(select h.id from habilitations h
          where h.organisation_id = m.organisation_id and h.certification_id = m.certification_id and ${inForce}
          order by h.id) as habilitation_ids,
        array(select coalesce(dp.state, '?') from fc_declared_partners dp
          where dp.fiche_code = m.fiche_code and dp.siret = m.siret order by dp.position) as listed_states
      from missing m`;
  },
};

/** One rule's query, built but not run (the benchmark and EXPLAIN read its SQL). */
export function controlRuleQuery(ruleId: string, context: QueryContext): RawBuilder<unknown> {
  const build = queries[ruleId];
  if (!build) throw new Error(`no query for rule ${ruleId}`);
  return build(context);
}

/** The rule ids that have a query here (the rule registry must match it: see control-run.service). */
export const controlRuleQueryIds: readonly string[] = Object.keys(queries);

export interface OpenRuleFindingRow {
  id: string;
  subjectKey: string;
  title: string;
  description: string | null;
  severity: 'minor' | 'major' | 'critical';
  status: string;
  /** The run that opened it (kept in its source). */
  firstControlId: string | null;
}

export interface NewRuleFinding {
  subjectKey: string;
  organisationId: string | null;
  certificationId: string | null;
  title: string;
  description: string;
  severity: string;
  /** May hold `JsonText` (evidence encoded elsewhere), written as it is. */
  source: Record<string, unknown>;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Settings for the transaction of a rule run, reset at its end (`set local`). No JIT: the rule queries scan
 * millions of rows through hash joins and aggregates, their cost estimates pass PostgreSQL's JIT threshold,
 * and compiling them took seconds (up to half of a query's time on the full benchmark) for no gain. More
 * memory per hash and sort than the 4 MB default, so grouping every result of two years (one group per
 * candidate and session) does not spill to disk. PGlite accepts both (it has no JIT to turn off).
 */
export const ruleTransactionSettings = ['set local jit = off', "set local work_mem = '64MB'"] as const;

/** Rule queries and the findings a rule run writes. */
const encoder = new TextEncoder();

export class ControlRulesRepository {
  private readonly staging = new CopyStaging();

  constructor(private readonly db: Database) {}

  /** Applies `ruleTransactionSettings`; call it first in the transaction of a rule. */
  async tuneTransaction(): Promise<void> {
    for (const statement of ruleTransactionSettings) await sql.raw(statement).execute(this.db);
  }

  /** The rows of one rule's query (the rule knows their shape). */
  async rows<R>(ruleId: string, context: QueryContext): Promise<R[]> {
    const { rows } = await controlRuleQuery(ruleId, context).execute(this.db);
    return rows as R[];
  }

  /** How many rows each table holds: what a run read, recorded with it. */
  async countRows(tables: readonly string[]): Promise<Record<string, number>> {
    if (!tables.length) return {};
    for (const t of tables) if (!/^[a-z_]+$/.test(t)) throw new Error(`not a table name: ${t}`);
    const select = tables.map((t) => `(select count(*) from ${t})::bigint as ${t}`).join(', ');
    const { rows } = await sql<Record<string, number>>`select ${sql.raw(select)}`.execute(this.db);
    // The CamelCasePlugin renamed the columns: read them back in the order asked.
    const row = rows[0] ?? {};
    const values = Object.values(row);
    return Object.fromEntries(tables.map((t, i) => [t, Number(values[i] ?? 0)]));
  }

  openFindingsOf(ruleId: string): Promise<OpenRuleFindingRow[]> {
    return this.db
      .selectFrom('findings')
      .select(['id', 'subjectKey', 'title', 'description', 'severity', 'status'])
      .select(sql<string | null>`source ->> 'firstControlId'`.as('firstControlId'))
      .where('ruleId', '=', ruleId)
      .where('status', '<>', 'closed')
      .where('subjectKey', 'is not', null)
      .execute() as Promise<OpenRuleFindingRow[]>;
  }

  /** Opens findings; returns their ids by subject key. */
  async insertFindings(
    ruleId: string,
    controlId: string,
    openedAt: Date,
    findings: readonly NewRuleFinding[],
  ): Promise<Map<string, string>> {
    // COPY, on both engines (run as COPY FROM STDIN on a server, database.ts): a CPF import opens tens of
    // thousands of findings with up to 20 offers of evidence each, and as a jsonb parameter PGlite measured
    // each statement's UTF-8 length character by character in JavaScript, then parsed it in WebAssembly.
    // The ids are chosen here, so no answer is needed to know them.
    const ids = new Map<string, string>();
    const at = openedAt.toISOString();
    for (const part of chunks(findings, 1_000)) {
      const lines = part.map((f) => {
        const id = randomUUID();
        ids.set(f.subjectKey, id);
        return [
          id,
          controlId,
          ruleId,
          f.subjectKey,
          f.organisationId,
          f.certificationId,
          f.title,
          f.description,
          f.severity,
          stringifyWithText(f.source),
          at,
        ]
          .map(copyField)
          .join('\t');
      });
      await this.db.executeQuery(
        CompiledQuery.raw(
          `copy findings (id, control_id, rule_id, subject_key, organisation_id, certification_id, title,
            description, severity, source, opened_at) from '/dev/blob'`,
          [this.staging.blobOf([encoder.encode(`${lines.join('\n')}\n`)])],
        ),
      );
    }
    return ids;
  }

  /**
   * Refreshes live findings found again: the run that saw them last, their text and evidence, and their
   * severity only while nobody has qualified them (status open).
   */
  async refreshFindings(
    controlId: string,
    findings: readonly (NewRuleFinding & { id: string })[],
  ): Promise<void> {
    for (const part of chunks(findings, 500)) {
      const payload = stringifyWithText(
        part.map((f) => ({
          id: f.id,
          title: f.title,
          description: f.description,
          severity: f.severity,
          source: f.source,
        })),
      );
      await sql`
        update findings f set control_id = ${controlId}::uuid, title = x.title, description = x.description,
          severity = case when f.status = 'open' then x.severity else f.severity end,
          source = x.source, updated_at = now()
        from jsonb_to_recordset(${payload}::jsonb) as x(id uuid, title text, description text, severity text, source jsonb)
        where f.id = x.id`.execute(this.db);
    }
  }

  /** Closes findings whose condition is gone, noting the run that saw it gone. */
  async resolveFindings(ids: readonly string[], controlId: string, closedAt: Date): Promise<void> {
    for (const part of chunks(ids, 5_000)) {
      await sql`
        update findings set status = 'closed', closed_at = ${closedAt}, updated_at = now(),
          source = source || jsonb_build_object('resolvedByControlId', ${controlId}::text)
        where id = any(${part}::uuid[]) and status <> 'closed'`.execute(this.db);
    }
  }

  /** For the catalogue: each rule's last run and its live findings. */
  async ruleStatistics(): Promise<{
    lastRuns: { ruleId: string; controlId: string; performedOn: string | null; createdAt: Date }[];
    openFindings: { ruleId: string; n: number }[];
  }> {
    const lastRuns = await sql<{
      ruleId: string;
      controlId: string;
      performedOn: string | null;
      createdAt: Date;
    }>`
      select distinct on (rule_id) rule_id, id as control_id, performed_on, created_at
      from controls where kind = 'rule'
      order by rule_id, created_at desc, id desc`.execute(this.db);
    const openFindings = await this.db
      .selectFrom('findings')
      .select((eb) => ['ruleId', eb.fn.countAll<number>().as('n')])
      .where('ruleId', 'is not', null)
      .where('status', '<>', 'closed')
      .groupBy('ruleId')
      .execute();
    return {
      lastRuns: lastRuns.rows,
      openFindings: openFindings.map((r) => ({ ruleId: r.ruleId as string, n: Number(r.n) })),
    };
  }
}

/** Arbitrary constant pair: the advisory lock that lets one scheduled control run go at a time. */
const RUN_LOCK = [0x4842_4c53, 1] as const;

/**
 * Runs `work` only if no other process holds the control-run lock (pg_try_advisory_lock), and answers
 * whether it ran. On PostgreSQL the lock lives on one reserved connection, held for the whole run while
 * the work uses the pool's others; PGlite is a single session in this process, so the lock and the work
 * share it (a second process cannot open the same PGlite directory anyway).
 */
export async function withControlRunLock(
  db: Database,
  engine: Engine,
  work: () => Promise<void>,
): Promise<boolean> {
  const tryLock = sql<{
    locked: boolean;
  }>`select pg_try_advisory_lock(${RUN_LOCK[0]}, ${RUN_LOCK[1]}) as locked`;
  const unlock = sql`select pg_advisory_unlock(${RUN_LOCK[0]}, ${RUN_LOCK[1]})`;
  if (engine === 'pglite') {
    const { rows } = await tryLock.execute(db);
    if (!rows[0]?.locked) return false;
    try {
      await work();
    } finally {
      await unlock.execute(db);
    }
    return true;
  }
  return db.connection().execute(async (connection) => {
    const { rows } = await tryLock.execute(connection);
    if (!rows[0]?.locked) return false;
    try {
      await work();
    } finally {
      await unlock.execute(connection);
    }
    return true;
  });
}
