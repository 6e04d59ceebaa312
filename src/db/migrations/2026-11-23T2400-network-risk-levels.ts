import { type Kysely, sql } from 'kysely';

// Frozen: this migration must not import application code.
//
// The network list's risk filter (issue #4) reads each partner's risk level from a maintained table instead
// of scoring the whole network on every request. `organisation_risk_levels` holds the level of every scored
// partner; `organisation_risk_levels_state` (one row) says for which day and up to which audit-log entry it
// was computed. Every change of the data writes the audit log (docs/decisions/0003), so the table is
// current while that day is today and no audit entry came after that seq; otherwise the reader recomputes
// it first (src/services/network.service.ts). Also: the partner timeline as a function (its plan kept per
// connection), the evidence and findings a habilitation decision rests on, and the requests about one
// habilitation or convention, as the habilitation and convention screens list them.

const statements = [
  `create table organisation_risk_levels (
    organisation_id uuid primary key references organisations (id) on delete cascade,
    score double precision not null,
    level text not null check (level in ('low', 'medium', 'high'))
  )`,
  `create index organisation_risk_levels_level_idx on organisation_risk_levels (level, organisation_id)`,
  `create table organisation_risk_levels_state (
    id integer primary key check (id = 1),
    as_of date not null,
    audit_seq bigint not null,
    refreshed_at timestamptz not null default now()
  )`,
  // The partner timeline's statement (src/db/repositories/network.repository.ts), as a function so that its
  // plan is made once per connection: PL/pgSQL keeps the plans of its statements, and planning this union of
  // a dozen index probes costs several times its execution (measured by bench/network-list.bench.ts).
  // The records' events, and with p_with_audit the other audit entries about the organisation and its
  // records, newest first, counted, cut to the page; then each page row's author: the user named by the
  // record, or the author of the latest audit entry that made that change.
  `create function partner_timeline(p_org uuid, p_with_audit boolean, p_limit integer, p_offset integer)
  returns table (key text, at timestamptz, day text, action text, entity_type text, entity_id text,
    subject text, actor text, text text, from_status text, to_status text, from_audit_log boolean,
    total integer)
  language plpgsql stable as $fn$
  #variable_conflict use_column
  begin
    return query
    select e.key, e.at, e.day, e.action, e.entity_type, e.entity_id, e.subject,
      coalesce(m.actor, u.display_name, e.actor_label), e.text, e.from_status, e.to_status,
      e.from_audit_log, e.total
    from (
      select x.*, count(*) over ()::int as total
      from (
        select 'organisation-create:' || o.id as key, o.created_at as at, null::text as day,
          'organisation.create'::text as action, 'organisation'::text as entity_type,
          o.id::text as entity_id, null::text as subject, null::uuid as user_id, null::text as actor_label,
          null::text as text, null::text as from_status, null::text as to_status, false as from_audit_log,
          'organisation.create'::text as made
        from organisations o where o.id = p_org
        union all
        select 'organisation-archive:' || o.id, o.archived_at, null, 'organisation.archive', 'organisation',
          o.id::text, null, null, null, null, null, null, false, 'organisation.archive'
        from organisations o where o.id = p_org and o.archived_at is not null
        union all
        select 'decision:' || d.id, d.decided_at, null,
          case when d.from_status is null then 'habilitation.create' else 'habilitation.decide' end,
          'habilitation', h.id::text, c.code, d.decided_by, null, d.reasons, d.from_status, d.to_status, false,
          null
        from habilitations h
        join certifications c on c.id = h.certification_id
        join habilitation_decisions d on d.habilitation_id = h.id
        where h.organisation_id = p_org
        union all
        select 'convention-create:' || cv.id, cv.created_at, null, 'convention.create', 'convention',
          cv.id::text, cv.reference, null, null, null, null, null, false, 'convention.create'
        from conventions cv where cv.organisation_id = p_org
        union all
        select 'convention-sign:' || cv.id, coalesce(cv.recorded, cv.signed_on::timestamp at time zone 'UTC'),
          case when cv.recorded is null then cv.signed_on::text end, 'convention.sign', 'convention',
          cv.id::text, cv.reference, null, null, null, null, null, false, 'convention.sign'
        from (select cv.*, (select a.at from audit_log a where a.entity_type = 'convention'
            and a.entity_id = cv.id::text and a.action = 'convention.sign' order by a.seq desc limit 1) as recorded
          from conventions cv where cv.organisation_id = p_org and cv.signed_on is not null) cv
        union all
        select 'convention-terminate:' || cv.id,
          coalesce(cv.recorded, cv.terminated_on::timestamp at time zone 'UTC'),
          case when cv.recorded is null then cv.terminated_on::text end, 'convention.terminate', 'convention',
          cv.id::text, cv.reference, null, null, cv.termination_reasons, null, null, false, 'convention.terminate'
        from (select cv.*, (select a.at from audit_log a where a.entity_type = 'convention'
            and a.entity_id = cv.id::text and a.action = 'convention.terminate' order by a.seq desc limit 1)
            as recorded
          from conventions cv where cv.organisation_id = p_org and cv.terminated_on is not null) cv
        union all
        select 'finding-open:' || f.id, f.opened_at, null, 'finding.create', 'finding', f.id::text, f.title,
          null, null, null, null, f.severity, false, 'finding.create'
        from findings f where f.organisation_id = p_org
        union all
        select 'finding-close:' || f.id, f.closed_at, null, 'finding.close', 'finding', f.id::text, f.title,
          null, null, null, null, 'closed', false, 'finding.close'
        from findings f where f.organisation_id = p_org and f.closed_at is not null
        union all
        select 'sanction:' || s.id, coalesce(s.recorded, s.decided_on::timestamp at time zone 'UTC'),
          case when s.recorded is null then s.decided_on::text end, 'sanction.create', 'sanction', s.id::text,
          s.level, s.decided_by, null, s.reasons, null, s.level, false, 'sanction.create'
        from (select s.*, (select a.at from audit_log a where a.entity_type = 'sanction'
            and a.entity_id = s.id::text and a.action = 'sanction.create' order by a.seq desc limit 1) as recorded
          from sanctions s where s.organisation_id = p_org) s
        union all
        select 'sanction-reply:' || s.id, s.replied_at, null, 'sanction.reply', 'sanction', s.id::text,
          s.level, null, null, s.reply, null, null, false, 'sanction.reply'
        from sanctions s where s.organisation_id = p_org and s.replied_at is not null
        union all
        select 'evidence:' || ev.id, ev.uploaded_at, null, 'evidence.upload', 'evidence', ev.id::text,
          ev.file_name, ev.uploaded_by, null, ev.description, null, null, false, null
        from evidence_files ev where ev.organisation_id = p_org
        union all
        select 'audit:' || a.seq, a.at, null, a.action, a.entity_type, a.entity_id, ent.subject, a.actor_id,
          a.actor_label,
          coalesce(a.after ->> 'reasons', a.after ->> 'terminationReasons', a.after ->> 'note',
            a.after ->> 'reason', a.after ->> 'reply'),
          coalesce(a.before ->> 'status', a.before ->> 'qualiopiStatus'),
          coalesce(a.after ->> 'status', a.after ->> 'qualiopiStatus'),
          true, null
        from (
          select 'organisation'::text as entity_type, p_org::text as entity_id, null::text as subject
          union all
          select 'habilitation', h.id::text, c.code
            from habilitations h join certifications c on c.id = h.certification_id
            where h.organisation_id = p_org
          union all
          select 'convention', cv.id::text, cv.reference from conventions cv where cv.organisation_id = p_org
          union all
          select 'finding', f.id::text, f.title from findings f where f.organisation_id = p_org
          union all
          select 'corrective_action', ca.id::text, f.title
            from corrective_actions ca join findings f on f.id = ca.finding_id where f.organisation_id = p_org
          union all
          select 'sanction', s.id::text, s.level from sanctions s where s.organisation_id = p_org
          union all
          select 'evidence', ev.id::text, ev.file_name from evidence_files ev where ev.organisation_id = p_org
        ) ent
        join audit_log a on a.entity_type = ent.entity_type and a.entity_id = ent.entity_id
        where p_with_audit
          and a.action not in ('organisation.create', 'organisation.archive', 'habilitation.create',
            'habilitation.decide', 'convention.create', 'convention.sign', 'convention.terminate',
            'finding.create', 'finding.open', 'sanction.create', 'sanction.reply', 'evidence.upload')
          and not (a.entity_type = 'finding' and a.after ->> 'status' = 'closed')
      ) x
      order by x.at desc, x.key desc
      limit p_limit offset p_offset
    ) e
    left join users u on u.id = e.user_id
    left join lateral (
      select coalesce(mu.display_name, a.actor_label) as actor
      from audit_log a left join users mu on mu.id = a.actor_id
      where e.made is not null and a.entity_type = e.entity_type and a.entity_id = e.entity_id
        and case e.made
          when 'finding.close' then a.entity_type = 'finding' and a.after ->> 'status' = 'closed'
          when 'finding.create' then a.action in ('finding.create', 'finding.open')
            and (a.after ->> 'status') is distinct from 'closed'
          else a.action = e.made
        end
      order by a.seq desc
      limit 1
    ) m on true
    order by e.at desc, e.key desc;
  end
  $fn$`,
  // What a habilitation decision rests on: evidence files and findings, linked when it is taken (a
  // decision is never changed afterwards, nor are its links). Exactly one of the two per row.
  `create table habilitation_decision_links (
    decision_id uuid not null references habilitation_decisions (id),
    evidence_id uuid references evidence_files (id),
    finding_id uuid references findings (id),
    check ((evidence_id is null) <> (finding_id is null))
  )`,
  `create index habilitation_decision_links_decision_idx on habilitation_decision_links (decision_id)`,
  `create index partner_requests_habilitation_idx on partner_requests (habilitation_id)
    where habilitation_id is not null`,
  `create index partner_requests_convention_idx on partner_requests (convention_id)
    where convention_id is not null`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'drop function partner_timeline(uuid, boolean, integer, integer)',
    'drop table habilitation_decision_links',
    'drop index partner_requests_convention_idx',
    'drop index partner_requests_habilitation_idx',
    'drop table organisation_risk_levels_state',
    'drop table organisation_risk_levels',
  ])
    await sql.raw(statement).execute(db);
}
