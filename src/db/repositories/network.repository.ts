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

export class NetworkRepository {
  constructor(private readonly db: Database) {}

  /**
   * One page of the network list and the count of all matching organisations. `scope`: only this
   * organisation (a partner's view). The risk filter reads `organisation_risk_levels`: the caller makes
   * sure it is current first (see riskLevelsState / replaceRiskLevels).
   */
  async list(
    query: NetworkListQuery,
    scope: string | null,
  ): Promise<{ items: NetworkListRow[]; total: number }> {
    const where = this.conditions(query, scope);
    const direction = query.order === 'desc' ? sql`desc` : sql`asc`;
    const nulls = query.order === 'desc' ? sql`nulls first` : sql`nulls last`;
    const order = sql`${sortExpressions[query.sort]} ${direction} ${nulls}, o.id ${direction}`;
    // The page is chosen on the organisations alone, by ORDER BY … LIMIT (a top-N sort, or an index read
    // in order that stops at the page's end); the habilitation counts are then read for its rows only (a
    // sort on them is the exception: it needs them for every match). The count of all matches is its own
    // statement, sent at the same time: a window count in the page's statement would make it read every
    // match before keeping 50, and PostgreSQL runs the two on two connections. Subqueries rather than
    // WITH: a raw statement that starts with WITH counts as a write for the read caches.
    const [page, count] = await Promise.all([
      sql<NetworkListRow>`
        select o.id, o.siret, o.nda, o.legal_name, o.trade_name, o.postal_code, o.city, o.qualiopi_status,
          o.qualiopi_expires_on, o.archived_at, o.created_at,
          hs.habilitation_count, hs.active_habilitation_count, hs.suspended_habilitation_count
        from (
          select o.id from organisations o
          where ${where}
          order by ${order}
          limit ${query.limit} offset ${query.offset}
        ) p
        join organisations o on o.id = p.id
        cross join lateral (
          select count(*)::int as habilitation_count,
            (count(*) filter (where h.status in ('active', 'under_watch')))::int as active_habilitation_count,
            (count(*) filter (where h.status = 'suspended'))::int as suspended_habilitation_count
          from habilitations h where h.organisation_id = o.id
        ) hs
        order by ${order}`.execute(this.db),
      sql<{ n: number }>`select count(*)::int as n from organisations o where ${where}`.execute(this.db),
    ]);
    return { items: page.rows, total: count.rows[0]?.n ?? 0 };
  }

  private conditions(query: NetworkListQuery, scope: string | null): RawBuilder<unknown> {
    const parts: RawBuilder<unknown>[] = [sql`true`];
    if (scope !== null) parts.push(sql`o.id = ${scope}::uuid`);
    if (query.risk)
      parts.push(sql`exists (select 1 from organisation_risk_levels r
        where r.organisation_id = o.id and r.level = ${query.risk})`);
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
   * For which day and up to which audit entry the maintained risk levels were computed, and the latest
   * audit entry now (seqs as text: bigint).
   */
  async riskLevelsState(): Promise<{ asOf: string | null; auditSeq: string | null; latestSeq: string }> {
    const result = await sql<{ asOf: string | null; auditSeq: string | null; latestSeq: string }>`
      select (select s.as_of::text from organisation_risk_levels_state s where s.id = 1) as as_of,
        (select s.audit_seq::text from organisation_risk_levels_state s where s.id = 1) as audit_seq,
        coalesce((select max(a.seq) from audit_log a), 0)::text as latest_seq`.execute(this.db);
    return result.rows[0]!;
  }

  /** Holds refreshes of the risk levels off one another until the transaction ends. */
  async lockRiskLevels(): Promise<void> {
    await sql`lock table organisation_risk_levels_state in exclusive mode`.execute(this.db);
  }

  /** Replaces every partner's risk level with `levels`, computed on `asOf` up to the audit entry `auditSeq`. */
  async replaceRiskLevels(
    asOf: string,
    auditSeq: string,
    levels: readonly { organisationId: string; score: number; level: string }[],
  ): Promise<void> {
    await sql`delete from organisation_risk_levels`.execute(this.db);
    // In slices: one statement per few thousand partners keeps the parameters small on both engines.
    for (let i = 0; i < levels.length; i += 5000) {
      const slice = levels.slice(i, i + 5000);
      await sql`insert into organisation_risk_levels (organisation_id, score, level)
        select id::uuid, score::double precision, level
        from unnest(string_to_array(${slice.map((l) => l.organisationId).join(',')}, ','),
          string_to_array(${slice.map((l) => String(l.score)).join(',')}, ','),
          string_to_array(${slice.map((l) => l.level).join(',')}, ',')) as t(id, score, level)`.execute(
        this.db,
      );
    }
    await sql`insert into organisation_risk_levels_state (id, as_of, audit_seq, refreshed_at)
      values (1, ${asOf}::date, ${auditSeq}::bigint, now())
      on conflict (id) do update set as_of = excluded.as_of, audit_seq = excluded.audit_seq,
        refreshed_at = excluded.refreshed_at`.execute(this.db);
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

  /**
   * The timeline's one statement (run bare by the benchmark): `partner_timeline`, a PL/pgSQL function
   * (migration 2026-11-23T2400-network-risk-levels) so that its plan is made once per connection — planning
   * its union of a dozen index probes cost several times running it. One UNION ALL of the records' events
   * and, with `withAuditLog`, of the audit entries about the organisation and its records; sorted, counted
   * and cut to the page; only then are the page's authors read (the user named by the record, or the
   * author of the audit entry that made the change), so a long history pays for 50 authors, not for all.
   * To change it, replace the function in a new migration.
   */
  timelineQuery(
    organisationId: string,
    options: { withAuditLog: boolean; limit: number; offset: number },
  ): RawBuilder<TimelineRow> {
    return sql<TimelineRow>`select * from partner_timeline(${organisationId}::uuid, ${options.withAuditLog},
      ${options.limit}::integer, ${options.offset}::integer)`;
  }
}
