import { type RawBuilder, sql } from 'kysely';
import type { NetworkListQuery } from '../../core/network/network.schema.js';
import { postalPrefixesOf } from '../../core/network/regions.js';
import type { Database } from '../database.js';

export interface NetworkListRow {
  id: string;
  siret: string;
  nda: string | null;
  legalName: string;
  tradeName: string | null;
  postalCode: string | null;
  city: string | null;
  qualiopiStatus: string;
  qualiopiExpiresOn: string | null;
  habilitationCount: number;
  activeHabilitationCount: number;
  suspendedHabilitationCount: number;
  archivedAt: Date | null;
  createdAt: Date;
}

export interface TimelineRow {
  key: string;
  at: Date;
  /** Set when the event is known to the day only (no audit entry gives its time). */
  day: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  subject: string | null;
  actor: string | null;
  text: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  fromAuditLog: boolean;
  total: number;
}

const sortExpressions: Record<NetworkListQuery['sort'], RawBuilder<unknown>> = {
  legalName: sql`lower(o.legal_name)`,
  siret: sql`o.siret`,
  city: sql`lower(o.city)`,
  postalCode: sql`o.postal_code`,
  createdAt: sql`o.created_at`,
  activeHabilitations: sql`(select count(*) from habilitations h
    where h.organisation_id = o.id and h.status in ('active', 'under_watch'))`,
};

/** Escapes LIKE's wildcards so that a search for "50%" means the characters. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The organisation's own record and every record that belongs to it, as (entity_type, entity_id, subject):
 * what the audit log's entries about "this partner" point at.
 */
export function organisationEntities(organisationId: string): RawBuilder<unknown> {
  return sql`
    select 'organisation'::text as entity_type, o.id::text as entity_id, null::text as subject
      from organisations o where o.id = ${organisationId}::uuid
    union all
    select 'habilitation', h.id::text, c.code
      from habilitations h join certifications c on c.id = h.certification_id
      where h.organisation_id = ${organisationId}::uuid
    union all
    select 'convention', cv.id::text, cv.reference from conventions cv where cv.organisation_id = ${organisationId}::uuid
    union all
    select 'finding', f.id::text, f.title from findings f where f.organisation_id = ${organisationId}::uuid
    union all
    select 'corrective_action', ca.id::text, f.title
      from corrective_actions ca join findings f on f.id = ca.finding_id
      where f.organisation_id = ${organisationId}::uuid
    union all
    select 'sanction', s.id::text, s.level from sanctions s where s.organisation_id = ${organisationId}::uuid
    union all
    select 'evidence', e.id::text, e.file_name from evidence_files e where e.organisation_id = ${organisationId}::uuid`;
}

/**
 * Audit actions the timeline reads from the records (with the audit entry's time and author when there is
 * one); the other entries about the partner come from the audit log itself.
 */
const actionsFromRecords = [
  'organisation.create',
  'organisation.archive',
  'habilitation.create',
  'habilitation.decide',
  'convention.create',
  'convention.sign',
  'convention.terminate',
  'finding.create',
  'finding.open',
  'sanction.create',
  'sanction.reply',
  'evidence.upload',
];

/** A day at midnight UTC, the instant a day-only event sorts at. */
const dayInstant = (day: RawBuilder<unknown>) => sql`(${day}::timestamp at time zone 'UTC')`;

export class NetworkRepository {
  constructor(private readonly db: Database) {}

  /**
   * One page of the network list and the count of all matching organisations. `scope`: only this
   * organisation (a partner's view); `organisationIds`: only these (the risk filter), null for all.
   */
  async list(
    query: NetworkListQuery,
    scope: string | null,
    organisationIds: readonly string[] | null,
  ): Promise<{ items: NetworkListRow[]; total: number }> {
    const where = this.conditions(query, scope, organisationIds);
    const direction = query.order === 'desc' ? sql`desc` : sql`asc`;
    const nulls = query.order === 'desc' ? sql`nulls first` : sql`nulls last`;
    const order = sql`${sortExpressions[query.sort]} ${direction} ${nulls}, o.id ${direction}`;
    // The page is chosen, and counted, on the organisations alone; the habilitation counts are then
    // read for its rows only (a sort on them is the exception: it needs them for every match).
    const result = await sql<NetworkListRow & { total: number }>`
      with page as (
        select o.id, count(*) over ()::int as total, row_number() over (order by ${order}) as rank
        from organisations o
        where ${where}
        order by ${order}
        limit ${query.limit} offset ${query.offset}
      )
      select o.id, o.siret, o.nda, o.legal_name, o.trade_name, o.postal_code, o.city, o.qualiopi_status,
        o.qualiopi_expires_on, o.archived_at, o.created_at, p.total,
        hs.habilitation_count, hs.active_habilitation_count, hs.suspended_habilitation_count
      from page p
      join organisations o on o.id = p.id
      cross join lateral (
        select count(*)::int as habilitation_count,
          (count(*) filter (where h.status in ('active', 'under_watch')))::int as active_habilitation_count,
          (count(*) filter (where h.status = 'suspended'))::int as suspended_habilitation_count
        from habilitations h where h.organisation_id = o.id
      ) hs
      order by p.rank`.execute(this.db);
    const items = result.rows;
    if (items.length > 0 || query.offset === 0) return { items, total: items[0]?.total ?? 0 };
    // Past the last page: no row carries the count.
    const count = await sql<{
      n: number;
    }>`select count(*)::int as n from organisations o where ${where}`.execute(this.db);
    return { items: [], total: count.rows[0]?.n ?? 0 };
  }

  private conditions(
    query: NetworkListQuery,
    scope: string | null,
    organisationIds: readonly string[] | null,
  ): RawBuilder<unknown> {
    const parts: RawBuilder<unknown>[] = [sql`true`];
    if (scope !== null) parts.push(sql`o.id = ${scope}::uuid`);
    if (organisationIds !== null)
      parts.push(
        organisationIds.length === 0
          ? sql`false`
          : sql`o.id = any(string_to_array(${organisationIds.join(',')}, ',')::uuid[])`,
      );
    if (!query.includeArchived) parts.push(sql`o.archived_at is null`);
    if (query.qualiopiStatus) parts.push(sql`o.qualiopi_status = ${query.qualiopiStatus}`);
    if (query.region) {
      const prefixes = postalPrefixesOf(query.region);
      const two = prefixes.filter((p) => p.length === 2);
      const three = prefixes.filter((p) => p.length === 3);
      const tests = [
        ...(two.length ? [sql`substr(o.postal_code, 1, 2) in (${sql.join(two.map((p) => sql`${p}`))})`] : []),
        ...(three.length
          ? [sql`substr(o.postal_code, 1, 3) in (${sql.join(three.map((p) => sql`${p}`))})`]
          : []),
      ];
      parts.push(sql`(${sql.join(tests, sql` or `)})`);
    }
    if (query.q) {
      const like = likePattern(query.q);
      const digits = query.q.replace(/\s/g, '');
      parts.push(sql`(o.legal_name ilike ${like} or o.trade_name ilike ${like} or o.city ilike ${like}
        ${/^\d{3,14}$/.test(digits) ? sql`or o.siret like ${`${digits}%`}` : sql``})`);
    }
    const onCertification = query.certificationId
      ? sql`and h.certification_id = ${query.certificationId}::uuid`
      : sql``;
    if (query.habilitationStatus === 'none') {
      parts.push(
        sql`not exists (select 1 from habilitations h where h.organisation_id = o.id ${onCertification})`,
      );
    } else if (query.habilitationStatus || query.certificationId) {
      const inStatus = query.habilitationStatus ? sql`and h.status = ${query.habilitationStatus}` : sql``;
      parts.push(
        sql`exists (select 1 from habilitations h where h.organisation_id = o.id ${onCertification} ${inStatus})`,
      );
    }
    return sql.join(parts, sql` and `);
  }

  /**
   * One page of everything that happened to an organisation, newest first, in one query: what the records
   * say (decisions, conventions created, signed and terminated, findings opened and closed, sanctions and
   * replies, evidence), each with the time and author of its audit entry when there is one, and, with
   * `withAuditLog`, the other audit entries about the organisation and its records (changes of terms,
   * convention versions, Qualiopi refreshes, declarations to France Compétences, finding transitions…).
   */
  async timeline(
    organisationId: string,
    options: { withAuditLog: boolean; limit: number; offset: number },
  ): Promise<{ items: TimelineRow[]; total: number }> {
    const rows = (await this.timelineQuery(organisationId, options).execute(this.db)).rows;
    if (rows.length > 0 || options.offset === 0) return { items: rows, total: rows[0]?.total ?? 0 };
    // Past the last page: the window count is not there to read, so count apart.
    const again = await this.timeline(organisationId, { ...options, offset: 0, limit: 1 });
    return { items: [], total: again.total };
  }

  /** The timeline's one statement (exposed for EXPLAIN in the benchmark). */
  timelineQuery(
    organisationId: string,
    options: { withAuditLog: boolean; limit: number; offset: number },
  ): RawBuilder<TimelineRow> {
    const org = sql`${organisationId}::uuid`;
    const list = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`));
    // The audit entries about the organisation and its records are read once (index on entity type and
    // id); the records' events take the time and author of the entry that made them from `made`, the
    // latest entry per record and kind of change. Plain joins on materialised sets keep planning cheap.
    const auditPart = options.withAuditLog
      ? sql`
        union all
        select 'audit:' || a.seq, a.at, null, a.action, a.entity_type, a.entity_id, a.subject, a.actor,
          coalesce(a.after ->> 'reasons', a.after ->> 'terminationReasons', a.after ->> 'note',
            a.after ->> 'reason', a.after ->> 'reply'),
          coalesce(a.before ->> 'status', a.before ->> 'qualiopiStatus'),
          coalesce(a.after ->> 'status', a.after ->> 'qualiopiStatus'),
          true
        from aud a
        where a.kind not in (${list(actionsFromRecords)}, 'finding.close')`
      : sql``;
    const made = (alias: string, kind: string, id: RawBuilder<unknown>) =>
      sql`left join made ${sql.raw(alias)} on ${sql.raw(alias)}.entity_id = ${id} and ${sql.raw(alias)}.kind = ${kind}`;
    return sql<TimelineRow>`
      with ent as materialized (${organisationEntities(organisationId)}),
      aud as materialized (
        select a.seq, a.at, a.action, a.entity_type, a.entity_id, a.before, a.after, e.subject,
          coalesce(u.display_name, a.actor_label) as actor,
          case
            when a.entity_type = 'finding' and a.after ->> 'status' = 'closed' then 'finding.close'
            when a.action = 'finding.open' then 'finding.create'
            else a.action
          end as kind
        from ent e
        join audit_log a on a.entity_type = e.entity_type and a.entity_id = e.entity_id
        left join users u on u.id = a.actor_id
      ),
      made as materialized (
        select distinct on (entity_id, kind) entity_id, kind, at, actor from aud order by entity_id, kind, seq desc
      ),
      events (key, at, day, action, entity_type, entity_id, subject, actor, text, from_status, to_status,
        from_audit_log) as (
        select 'organisation-create:' || o.id, o.created_at, null::text, 'organisation.create', 'organisation',
          o.id::text, null::text, m.actor, null::text, null::text, null::text, false
        from organisations o ${made('m', 'organisation.create', sql`o.id::text`)}
        where o.id = ${org}
        union all
        select 'organisation-archive:' || o.id, o.archived_at, null, 'organisation.archive', 'organisation',
          o.id::text, null, m.actor, null, null, null, false
        from organisations o ${made('m', 'organisation.archive', sql`o.id::text`)}
        where o.id = ${org} and o.archived_at is not null
        union all
        select 'decision:' || d.id, d.decided_at, null,
          case when d.from_status is null then 'habilitation.create' else 'habilitation.decide' end,
          'habilitation', h.id::text, c.code, u.display_name, d.reasons, d.from_status, d.to_status, false
        from habilitations h
        join certifications c on c.id = h.certification_id
        join habilitation_decisions d on d.habilitation_id = h.id
        left join users u on u.id = d.decided_by
        where h.organisation_id = ${org}
        union all
        select 'convention-create:' || cv.id, cv.created_at, null, 'convention.create', 'convention',
          cv.id::text, cv.reference, mc.actor, null, null, null, false
        from conventions cv ${made('mc', 'convention.create', sql`cv.id::text`)}
        where cv.organisation_id = ${org}
        union all
        select 'convention-sign:' || cv.id, coalesce(ms.at, ${dayInstant(sql`cv.signed_on`)}),
          case when ms.at is null then cv.signed_on::text end, 'convention.sign', 'convention', cv.id::text,
          cv.reference, ms.actor, null, null, null, false
        from conventions cv ${made('ms', 'convention.sign', sql`cv.id::text`)}
        where cv.organisation_id = ${org} and cv.signed_on is not null
        union all
        select 'convention-terminate:' || cv.id, coalesce(mt.at, ${dayInstant(sql`cv.terminated_on`)}),
          case when mt.at is null then cv.terminated_on::text end, 'convention.terminate', 'convention',
          cv.id::text, cv.reference, mt.actor, cv.termination_reasons, null, null, false
        from conventions cv ${made('mt', 'convention.terminate', sql`cv.id::text`)}
        where cv.organisation_id = ${org} and cv.terminated_on is not null
        union all
        select 'finding-open:' || f.id, f.opened_at, null, 'finding.create', 'finding', f.id::text, f.title,
          mf.actor, null, null, f.severity, false
        from findings f ${made('mf', 'finding.create', sql`f.id::text`)}
        where f.organisation_id = ${org}
        union all
        select 'finding-close:' || f.id, f.closed_at, null, 'finding.close', 'finding', f.id::text, f.title,
          mx.actor, null, null, 'closed', false
        from findings f ${made('mx', 'finding.close', sql`f.id::text`)}
        where f.organisation_id = ${org} and f.closed_at is not null
        union all
        select 'sanction:' || s.id, coalesce(mz.at, ${dayInstant(sql`s.decided_on`)}),
          case when mz.at is null then s.decided_on::text end, 'sanction.create', 'sanction', s.id::text,
          s.level, coalesce(mz.actor, u.display_name), s.reasons, null, s.level, false
        from sanctions s
        left join users u on u.id = s.decided_by
        ${made('mz', 'sanction.create', sql`s.id::text`)}
        where s.organisation_id = ${org}
        union all
        select 'sanction-reply:' || s.id, s.replied_at, null, 'sanction.reply', 'sanction', s.id::text,
          s.level, mr.actor, s.reply, null, null, false
        from sanctions s ${made('mr', 'sanction.reply', sql`s.id::text`)}
        where s.organisation_id = ${org} and s.replied_at is not null
        union all
        select 'evidence:' || e.id, e.uploaded_at, null, 'evidence.upload', 'evidence', e.id::text,
          e.file_name, u.display_name, e.description, null, null, false
        from evidence_files e left join users u on u.id = e.uploaded_by
        where e.organisation_id = ${org}
        ${auditPart}
      )
      select events.*, count(*) over ()::int as total
      from events
      order by at desc, key desc
      limit ${options.limit} offset ${options.offset}`;
  }
}
