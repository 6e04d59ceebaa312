import { CompiledQuery, type Insertable, sql } from 'kysely';
import { CopyStaging } from '../copy-data.js';
import type { Database } from '../database.js';
import type { CpfOfferImportsTable } from '../schema.js';
import { NEW_OFFER_COLUMNS } from './cpf-offer-rows.js';

/**
 * SQL of the CPF catalogue import and the Communication page: the reference data the matching needs, the
 * offers' previous hashes, bulk writes (new offers by COPY, updates through json_to_recordset: one
 * parameter per part, so a part of thousands of offers is one statement), and the listings. No business
 * rule here.
 */

/** One offer to insert or update, already encoded as the JSON object json_to_recordset reads. */
export interface EncodedOffer {
  offerId: string;
  json: string;
}

const PART_CHARS = 4 * 1024 * 1024;

function* partsByChars<T>(rows: readonly T[], size: (row: T) => number, limit = PART_CHARS): Generator<T[]> {
  let part: T[] = [];
  let chars = 0;
  for (const row of rows) {
    if (part.length && chars + size(row) > limit) {
      yield part;
      part = [];
      chars = 0;
    }
    part.push(row);
    chars += size(row);
  }
  if (part.length) yield part;
}

function* chunks<T>(rows: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size) as T[];
}

const OFFER_COLUMNS = sql.raw(`"offerId" text, "certificationId" uuid, "certificationCode" text,
  "certifInfoCode" text, siret text, siren text, "organisationName" text, "organisationId" uuid,
  "matchedBy" text, verdict text, title text, "priceMin" numeric, "priceMax" numeric, "hoursMin" numeric,
  "hoursMax" numeric, "departmentCode" text, "regionName" text, modality text, "extractedOn" date,
  hash text, record json, "sourceLine" int`);

/** The queries of the reference tables (see `referenceJson`). */
const referenceQueries: Record<string, () => ReturnType<typeof sql>> = {
  certifications: () => sql`select id, code, title, level from certifications order by code`,
  skillBlocks: () => sql`select id, certification_id as "certificationId", code from skill_blocks`,
  certifInfoCodes: () => sql`select code, certification_id as "certificationId" from cpf_certif_info_codes`,
  organisations: () => sql`
    select id, siret, siren, legal_name as "legalName", qualiopi_status as "qualiopiStatus",
      qualiopi_expires_on::text as "qualiopiExpiresOn"
    from organisations where archived_at is null`,
  habilitationSkillBlocks: () =>
    sql`select habilitation_id as "habilitationId", skill_block_id as "skillBlockId" from habilitation_skill_blocks`,
  // Status decisions with their day in the certifier's time zone, in time order.
  habilitationDecisions: () => sql`
    select habilitation_id as "habilitationId", ((decided_at at time zone 'Europe/Paris')::date)::text as day,
      to_status as "toStatus"
    from habilitation_decisions order by habilitation_id, decided_at, id`,
  habilitations: () => sql`
    select id, organisation_id as "organisationId", certification_id as "certificationId", scope, status,
      starts_on::text as "startsOn", ends_on::text as "endsOn", covers_all_skill_blocks as "coversAllSkillBlocks"
    from habilitations`,
  // Conventions that set CPF price bounds (clause cpfPriceBounds), one row per certification covered.
  conventions: () => sql`
    select c.id, c.organisation_id as "organisationId", cc.certification_id as "certificationId", c.reference,
      c.status, c.starts_on::text as "startsOn", c.ends_on::text as "endsOn", c.signed_on::text as "signedOn",
      c.terminated_on::text as "terminatedOn",
      jsonb_build_object('cpfPriceBounds', c.clauses -> 'cpfPriceBounds') as clauses
    from conventions c join convention_certifications cc on cc.convention_id = c.id
    where c.clauses ? 'cpfPriceBounds'`,
};

export class CpfOfferRepository {
  private readonly staging = new CopyStaging();

  constructor(private readonly db: Database) {}

  /** Serialises imports: the second waits for the first to commit, then sees its offers. */
  async lockImports(): Promise<void> {
    await sql`lock table cpf_offer_imports in share row exclusive mode`.execute(this.db);
  }

  /**
   * A query's rows as one JSON text (see `jsonRows`). PGlite's memory grows to hold the largest answer
   * and never gives it back, so a large reference is read as several texts, not one.
   */
  private async jsonText(query: ReturnType<typeof sql>): Promise<string> {
    const { rows } = await sql<{
      rows: string | null;
    }>`select coalesce(json_agg(x)::text, '[]') as rows from (${query}) x`.execute(this.db);
    return rows[0]?.rows ?? '[]';
  }

  /**
   * Rows as one JSON text, parsed: PGlite materialises each row and column in JavaScript, which costs more
   * than the query for tens of thousands of rows; one aggregated text parses at JSON.parse speed.
   */
  private async jsonRows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
    return JSON.parse(await this.jsonText(query)) as T[];
  }

  /**
   * One table of what the checks read (certifications, skill blocks, certif-info codes, organisations,
   * habilitations with their blocks and status decisions, conventions setting CPF price bounds) as the
   * JSON text of its rows: the import hands it to its worker thread, which parses it (tens of thousands of
   * rows parsed here would stay in this thread's heap as garbage for the whole import). Shapes:
   * CpfReferenceRows in rules/cpf.
   */
  referenceJson(part: string): Promise<string> {
    const query = referenceQueries[part];
    if (!query) throw new Error(`no reference table ${part}`);
    return this.jsonText(query());
  }

  async forbiddenClaims(): Promise<{ claims: unknown[]; updatedAt: Date } | null> {
    const row = await this.db
      .selectFrom('cpfCommunicationSettings')
      .select(['forbiddenClaims', 'updatedAt'])
      .where('id', '=', 1)
      .executeTakeFirst();
    return row ? { claims: row.forbiddenClaims, updatedAt: row.updatedAt } : null;
  }

  async saveForbiddenClaims(claims: unknown[], userId: string | null, at: Date): Promise<void> {
    await this.db
      .insertInto('cpfCommunicationSettings')
      .values({ id: 1, forbiddenClaims: JSON.stringify(claims), updatedBy: userId, updatedAt: at })
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet({ forbiddenClaims: JSON.stringify(claims), updatedBy: userId, updatedAt: at }),
      )
      .execute();
  }

  /**
   * Every stored offer's previous state, by batches read by key ranges (so no single answer holds them
   * all), each the JSON text of `[{offerId, packed}, …]` with its size: the import hands the text to its
   * worker thread, which parses it (parsed here, a few hundred thousand rows would stay in this thread's
   * heap as garbage). `packed` is `<hash> <verdict> <organisationId|-> <0|1 gone>`: one flat string per
   * offer, kept in a Map by the worker.
   */
  async *previousOffers(): AsyncGenerator<{ json: string; count: number }> {
    let after = '';
    for (;;) {
      const { rows } = await sql<{ json: string | null; count: number; last: string | null }>`
        select json_agg(x)::text as json, count(*)::int as count, max(x."offerId") as last from (
          select offer_id as "offerId", hash || ' ' || verdict || ' ' || coalesce(organisation_id::text, '-')
            || ' ' || case when gone_import_id is null then '0' else '1' end as packed
          from cpf_offers where offer_id > ${after} order by offer_id limit 50000) x`.execute(this.db);
      const batch = rows[0];
      if (!batch?.json || !batch.last) return;
      yield { json: batch.json, count: batch.count };
      if (batch.count < 50000) return;
      after = batch.last;
    }
  }

  async insertImport(row: Insertable<CpfOfferImportsTable>): Promise<void> {
    await this.db.insertInto('cpfOfferImports').values(row).execute();
  }

  async insertRejects(
    importId: string,
    rows: readonly { line: number; column?: string; code: string; message: string; key?: string }[],
  ): Promise<void> {
    let position = 0;
    for (const part of chunks(rows, 2_000)) {
      await this.db
        .insertInto('cpfOfferImportRejects')
        .values(
          part.map((r) => ({
            importId,
            position: position++,
            line: r.line,
            columnName: r.column ?? null,
            code: r.code,
            message: r.message.slice(0, 2000),
            offerKey: r.key ?? null,
          })),
        )
        .execute();
    }
  }

  /**
   * New offers: COPY text, lines of `newOfferLine`, on both engines. A JSON parameter cost the import's
   * thread more than the offers' checks: PGlite measures each parameter's UTF-8 length character by
   * character in JavaScript, then parses the JSON in WebAssembly on that same thread. PGlite reads COPY
   * data from a Blob; a server connection opened by openDatabase runs the statement as COPY FROM STDIN
   * (database.ts).
   */
  async insertOffers(data: Uint8Array): Promise<void> {
    if (data.byteLength === 0) return;
    await this.db.executeQuery(
      CompiledQuery.raw(`copy cpf_offers (${NEW_OFFER_COLUMNS}) from '/dev/blob'`, [
        this.staging.blobOf([data]),
      ]),
    );
  }

  /** Offers already stored whose data or verdict moved (or that came back): their new version. */
  async updateOffers(rows: readonly EncodedOffer[], importId: string): Promise<void> {
    for (const part of partsByChars(rows, (r) => r.json.length)) {
      const payload = `[${part.map((r) => r.json).join(',')}]`;
      await sql`
        update cpf_offers o set certification_id = x."certificationId", certification_code = x."certificationCode",
          certif_info_code = x."certifInfoCode", siret = x.siret, siren = x.siren,
          organisation_name = x."organisationName", organisation_id = x."organisationId", matched_by = x."matchedBy",
          verdict = x.verdict, title = x.title, price_min = x."priceMin", price_max = x."priceMax",
          hours_min = x."hoursMin", hours_max = x."hoursMax", department_code = x."departmentCode",
          region_name = x."regionName", modality = x.modality, extracted_on = x."extractedOn",
          changed_import_id = case when o.hash = x.hash and o.gone_import_id is null then o.changed_import_id
            else ${importId}::uuid end,
          hash = x.hash, record = x.record::text, source_line = x."sourceLine", gone_import_id = null, updated_at = now()
        from json_to_recordset(${payload}::json) as x(${OFFER_COLUMNS})
        where o.offer_id = x."offerId"`.execute(this.db);
    }
  }

  /** The stored versions of some offers (to write what changed field by field). */
  async recordsOf(offerIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const part of chunks(offerIds, 5_000)) {
      const { rows } = await sql<{ offerId: string; record: string }>`
        select offer_id, record from cpf_offers where offer_id = any(${part}::text[])`.execute(this.db);
      for (const r of rows) out.set(r.offerId, r.record);
    }
    return out;
  }

  async markGone(offerIds: readonly string[], importId: string): Promise<void> {
    for (const part of chunks(offerIds, 10_000)) {
      await sql`update cpf_offers set gone_import_id = ${importId}::uuid, updated_at = now()
        where offer_id = any(${part}::text[])`.execute(this.db);
    }
  }

  async insertChanges(
    importId: string,
    rows: readonly { offerId: string; kind: string; fields: string | null }[],
  ): Promise<void> {
    for (const part of partsByChars(rows, (r) => r.offerId.length + 40 + (r.fields?.length ?? 0))) {
      const payload = JSON.stringify(part);
      await sql`
        insert into cpf_offer_changes (import_id, offer_id, kind, fields)
        select ${importId}::uuid, "offerId", kind, fields::jsonb
        from json_to_recordset(${payload}::json) as x("offerId" text, kind text, fields text)`.execute(
        this.db,
      );
    }
  }

  async learnCertifInfoCodes(
    codes: readonly { code: string; certificationId: string }[],
    importId: string,
  ): Promise<void> {
    for (const part of chunks(codes, 1_000)) {
      await this.db
        .insertInto('cpfCertifInfoCodes')
        .values(part.map((c) => ({ ...c, learntImportId: importId })))
        .onConflict((oc) => oc.column('code').doNothing())
        .execute();
    }
  }

  /** The live findings of a rule, with the hash of the evidence they were last written with. */
  openFindingsOf(ruleId: string) {
    return this.jsonRows<{
      id: string;
      subjectKey: string;
      title: string;
      description: string | null;
      severity: 'minor' | 'major' | 'critical';
      status: string;
      firstControlId: string | null;
      evidenceHash: string | null;
    }>(sql`
      select id, subject_key as "subjectKey", title, description, severity, status,
        source ->> 'firstControlId' as "firstControlId", source ->> 'evidenceHash' as "evidenceHash"
      from findings where rule_id = ${ruleId} and status <> 'closed' and subject_key is not null`);
  }

  // ---- Listings ----

  async listImports(limit: number, offset: number) {
    const [items, total] = await Promise.all([
      this.db
        .selectFrom('cpfOfferImports')
        .selectAll()
        .orderBy('startedAt', 'desc')
        .orderBy('id')
        .limit(limit)
        .offset(offset)
        .execute(),
      this.db
        .selectFrom('cpfOfferImports')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst(),
    ]);
    return { items, total: Number(total?.n ?? 0) };
  }

  findImport(id: string) {
    return this.db.selectFrom('cpfOfferImports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  rejectsOf(importId: string, limit: number) {
    return this.db
      .selectFrom('cpfOfferImportRejects')
      .selectAll()
      .where('importId', '=', importId)
      .orderBy('position')
      .limit(limit)
      .execute();
  }

  async changesOf(importId: string, kind: string | undefined, limit: number, offset: number) {
    let q = this.db
      .selectFrom('cpfOfferChanges as ch')
      .leftJoin('cpfOffers as o', 'o.offerId', 'ch.offerId')
      .where('ch.importId', '=', importId);
    if (kind) q = q.where('ch.kind', '=', kind as 'new');
    const [items, total] = await Promise.all([
      q
        .select([
          'ch.offerId',
          'ch.kind',
          'ch.fields',
          'o.title',
          'o.siret',
          'o.organisationName',
          'o.certificationCode',
        ])
        .orderBy('ch.kind')
        .orderBy('ch.offerId')
        .limit(limit)
        .offset(offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    return { items, total: Number(total?.n ?? 0) };
  }

  /**
   * Present offers grouped by seller (SIRET) and certification, the worst verdicts first (unknown
   * sellers, then organisations without habilitation, inactive, evaluation only, habilitated).
   */
  async sellers(query: {
    certificationId?: string | undefined;
    verdict?: string | undefined;
    q?: string | undefined;
    limit: number;
    offset: number;
  }) {
    const filters = [sql`o.gone_import_id is null`];
    if (query.certificationId) filters.push(sql`o.certification_id = ${query.certificationId}::uuid`);
    if (query.verdict) filters.push(sql`o.verdict = ${query.verdict}`);
    const outer = [sql`true`];
    if (query.q) {
      const like = `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      outer.push(sql`(g.siret like ${like} or lower(coalesce(g.seller_name, '')) like ${like}
        or lower(coalesce(org.legal_name, '')) like ${like})`);
    }
    const { rows } = await sql<{
      siret: string;
      sellerName: string | null;
      organisationId: string | null;
      organisationName: string | null;
      matchedBy: string | null;
      certificationId: string;
      certificationCode: string;
      certificationTitle: string;
      verdict: string;
      offers: number;
      priceMin: number | null;
      priceMax: number | null;
      openFindings: number;
      total: number;
    }>`
      with g as (
        select o.siret, o.organisation_id, o.certification_id, o.verdict, max(o.organisation_name) as seller_name,
          max(o.matched_by) as matched_by, count(*)::int as offers, min(o.price_min) as price_min,
          max(o.price_max) as price_max
        from cpf_offers o
        where ${sql.join(filters, sql` and `)}
        group by o.siret, o.organisation_id, o.certification_id, o.verdict
      ),
      f as (
        select subject_key, count(*)::int as n from findings
        where rule_id like 'cpf.%' and status <> 'closed' and subject_key is not null
        group by subject_key
      )
      select g.siret, g.seller_name, g.organisation_id, org.legal_name as organisation_name, g.matched_by,
        g.certification_id, c.code as certification_code, c.title as certification_title, g.verdict, g.offers,
        g.price_min, g.price_max, coalesce(f.n, 0)::int as open_findings, count(*) over ()::int as total
      from g
      join certifications c on c.id = g.certification_id
      left join organisations org on org.id = g.organisation_id
      left join f on f.subject_key = case when g.organisation_id is null
        then 'siret:' || g.siret || ':' || g.certification_id
        else 'organisation:' || g.organisation_id || ':' || g.certification_id end
      where ${sql.join(outer, sql` and `)}
      order by case g.verdict when 'unknown_seller' then 0 when 'not_habilitated' then 1 when 'inactive' then 2
        when 'evaluation_only' then 3 else 4 end, g.offers desc, g.siret, c.code
      limit ${query.limit} offset ${query.offset}`.execute(this.db);
    return { items: rows, total: rows[0]?.total ?? 0 };
  }

  async offers(query: {
    siret?: string | undefined;
    certificationId?: string | undefined;
    includeGone: boolean;
    limit: number;
    offset: number;
  }) {
    let q = this.db.selectFrom('cpfOffers');
    if (query.siret) q = q.where('siret', '=', query.siret);
    if (query.certificationId) q = q.where('certificationId', '=', query.certificationId);
    if (!query.includeGone) q = q.where('goneImportId', 'is', null);
    const [items, total] = await Promise.all([
      q.selectAll().orderBy('title').orderBy('offerId').limit(query.limit).offset(query.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    return { items, total: Number(total?.n ?? 0) };
  }
}
