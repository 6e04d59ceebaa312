// Issue #4 benchmark: with 10,000 partners, 200 certifications and 60,000 habilitations (plus their
// decisions, conventions, findings, sanctions, evidence and audit-log entries, bulk-seeded in SQL), the
// network list filtered and sorted (first page, 50 rows) — by region, habilitation status and Qualiopi
// together, by certification, and by each filter the issue names alone (region, Qualiopi, habilitation
// status, risk) — and a partner page with its timeline (the organisation and the first 50 events), through
// the API (in-process `inject`: session lookup, permission, Zod validation and serialisation). Each figure
// is the API's median and p95 as a ratio to bare SQL SELECTs of the same rows run in the same loop,
// interleaved. For a list: the page's 50 rows and the count of all matches, two statements sent at once, as
// the API sends them (the risk filter reads the maintained levels, `organisation_risk_levels`, which the API
// first checks are current).
// For a partner page, two baselines: the statements the API runs, bare (the organisation's row and
// `select * from partner_timeline(…)`, whose plan PostgreSQL keeps per connection, as for the API); and the
// strict one, the smallest SQL returning the same rows: the organisation and a hand-written union of the
// same events (times and subjects only, no authors), planned on every run as bare SQL is. Goal ≤ 3×, on
// PGlite and on PostgreSQL (opened as `habilis serve` opens it, listening for other processes' changes).
// Environment: BENCH_SCALE (default 1 = the issue's size; 0.1 for a quick run), BENCH_ITERATIONS (default
// 200), BENCH_ENGINE (pglite, postgresql; default both), BENCH_ONLY (only the scenarios whose name contains
// it), BENCH_DATABASE_URL (default DATABASE_URL, TEST_DATABASE_URL, then the local server; "none" to skip
// PostgreSQL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { systemActor } from '../src/core/access/policy.js';
import { postalPrefixesOf } from '../src/core/network/regions.js';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { NetworkRepository } from '../src/db/repositories/network.repository.js';
import { buildApp } from '../src/server/app.js';
import { createServices } from '../src/services/index.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const WARM_UP = 20;
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ENGINE = process.env.BENCH_ENGINE ?? 'both';
/** Only the scenarios whose name contains this text (to iterate on one). */
const ONLY = process.env.BENCH_ONLY;
const PARTNERS = Math.max(100, Math.round(10_000 * SCALE));
const CERTIFICATIONS = Math.max(20, Math.round(200 * SCALE));
const HABILITATIONS_PER_PARTNER = 6;
const PASSWORD = 'Network-Bench-2026!';

/** Every step in SQL, set-based: seeding 60,000 habilitations row by row would dwarf the measure. */
async function seed(handle: DatabaseHandle) {
  const steps = [
    sql`insert into certifications (code, register, title, level, is_owned)
        select 'RNCP' || (40000 + i), 'RNCP', 'Certification ' || i, '6', true
        from generate_series(1, ${CERTIFICATIONS}) i`,
    // Postal codes over the metropolitan départements (01…95), a seventh of the partners not Qualiopi.
    sql`insert into organisations (siret, siren, nda, legal_name, postal_code, city, qualiopi_status)
        select lpad((100000000 + i)::text, 9, '0') || '00017', lpad((100000000 + i)::text, 9, '0'),
          '11' || lpad(i::text, 9, '0'), 'Organisme ' || md5(i::text), lpad((1 + i % 95)::text, 2, '0') || '100',
          'Ville ' || (i % 500),
          case when i % 7 = 0 then 'lapsed' when i % 11 = 0 then 'not_certified' else 'certified' end
        from generate_series(1, ${PARTNERS}) i`,
    sql`create temporary table bench_orgs as
        select id, row_number() over (order by siret) as n from organisations`,
    sql`create temporary table bench_certs as
        select id, row_number() over (order by code) - 1 as n from certifications`,
    // Six distinct certifications per partner; statuses spread over the lifecycle.
    sql`insert into habilitations (organisation_id, certification_id, scope, status, starts_on, territory)
        select o.id, c.id, (array['train', 'evaluate', 'both'])[1 + (o.n + k) % 3],
          (array['active', 'active', 'active', 'under_watch', 'suspended', 'application', 'review', 'ended'])[1 + (o.n * 3 + k) % 8],
          date '2024-01-01' + ((o.n + k) % 300)::int, 'France'
        from bench_orgs o cross join generate_series(0, ${HABILITATIONS_PER_PARTNER - 1}) k
        join bench_certs c on c.n = (o.n * 7 + k * 31) % ${CERTIFICATIONS}`,
    sql`insert into habilitation_decisions (habilitation_id, from_status, to_status, reasons, decided_at)
        select h.id, null, 'application', 'Dossier de candidature reçu', h.starts_on::timestamp at time zone 'UTC'
        from habilitations h
        union all
        select h.id, 'review', h.status, 'Décision du comité d''habilitation',
          h.starts_on::timestamp at time zone 'UTC' + interval '20 days'
        from habilitations h where h.status not in ('application', 'review')`,
    sql`insert into conventions (organisation_id, reference, status, starts_on, ends_on, signed_on)
        select o.id, 'CONV-' || o.n, 'signed', date '2024-01-01', date '2027-12-31', date '2024-01-05'
        from bench_orgs o`,
    sql`insert into findings (organisation_id, title, severity, status, opened_at)
        select o.id, 'Écart ' || o.n, (array['minor', 'major', 'critical'])[1 + o.n % 3], 'open',
          timestamptz '2025-03-01' + (o.n % 200) * interval '1 day'
        from bench_orgs o where o.n % 3 = 0`,
    sql`insert into sanctions (organisation_id, level, reasons, decided_on)
        select o.id, 'warning', 'Retards répétés', date '2025-06-01' from bench_orgs o where o.n % 10 = 0`,
    sql`insert into evidence_files (sha256, file_name, media_type, size_bytes, organisation_id, uploaded_at)
        select md5(o.n::text) || md5(o.n::text), 'convention-signee-' || o.n || '.pdf', 'application/pdf', 1024,
          o.id, timestamptz '2024-01-06'
        from bench_orgs o`,
    // Audit entries the timeline reads beside the records: a Qualiopi refresh per partner, a change of
    // terms per habilitation, the signature of each convention. Hashes are placeholders (no chain check).
    sql`insert into audit_log (seq, at, actor_label, action, entity_type, entity_id, before, after, prev_hash, hash)
        select row_number() over (), x.at, 'Bench', x.action, x.entity_type, x.entity_id, x.before, x.after,
          '', md5(random()::text) || row_number() over ()
        from (
          select timestamptz '2025-01-10' as at, 'organisation.qualiopi_refresh' as action,
            'organisation' as entity_type, o.id::text as entity_id,
            '{"qualiopiStatus":"certified"}'::jsonb as before, '{"qualiopiStatus":"lapsed"}'::jsonb as after
          from bench_orgs o
          union all
          select timestamptz '2025-02-01', 'habilitation.update', 'habilitation', h.id::text, null, null
          from habilitations h
          union all
          select timestamptz '2024-01-05 10:00', 'convention.sign', 'convention', c.id::text, null, null
          from conventions c
        ) x`,
  ];
  for (const step of steps) await step.execute(handle.db);
  // What autovacuum would have done by the time a certifier reads the list.
  await sql`vacuum analyze`.execute(handle.db);
}

interface Stats {
  median: number;
  p95: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95) };
}

interface Scenario {
  name: string;
  api(i: number): Promise<number>;
  bare(i: number): Promise<number>;
}

/** Runs API and bare SQL interleaved, so both see the same caches and the same machine load. */
async function run(scenario: Scenario) {
  for (let i = 0; i < WARM_UP; i++) {
    await scenario.api(i);
    await scenario.bare(i);
  }
  const api: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    let t = performance.now();
    const apiRows = await scenario.api(i);
    api.push(performance.now() - t);
    t = performance.now();
    const bareRows = await scenario.bare(i);
    bare.push(performance.now() - t);
    if (apiRows !== bareRows) throw new Error(`${scenario.name}: API ${apiRows} rows, SQL ${bareRows} rows`);
  }
  return { api: stats(api), bare: stats(bare) };
}

async function measure(engine: 'pglite' | 'postgresql', handle: DatabaseHandle) {
  await migrateToLatest(handle.db);
  const started = performance.now();
  await seed(handle);
  const seeded = ((performance.now() - started) / 1000).toFixed(1);
  const services = createServices(handle, {
    publicUrl: 'http://127.0.0.1',
    filesDir: '/nonexistent',
    dataDir: '/nonexistent',
  });
  await services.users.create(systemActor('bench'), {
    email: 'qualite@example.org',
    displayName: 'Bench',
    role: 'quality_manager',
    password: PASSWORD,
  });
  const app: FastifyInstance = await buildApp({
    services,
    logger: false,
    webDir: '/nonexistent',
    config: {
      sessionSecret: 'bench-secret-bench-secret-bench-secret-00',
      secureCookies: false,
      logLevel: 'silent',
      rateLimit: { perMinute: 10_000_000, loginPerMinute: 1000 },
    },
  });
  await app.ready();
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: 'qualite@example.org', password: PASSWORD },
  });
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res.json();
  };
  const db = handle.db;

  const certifications = (
    await sql<{ id: string }>`select id from certifications order by code`.execute(db)
  ).rows.map((r) => r.id);
  const partners = (
    await sql<{ id: string }>`select id from organisations order by siret limit 200`.execute(db)
  ).rows.map((r) => r.id);

  // 1. Region, habilitation status and Qualiopi, by name: the question "who is active in my region?".
  const region = '84';
  const prefixes = postalPrefixesOf(region);
  const regionCount = async () =>
    (
      await sql<{ n: number }>`select count(*)::int as n from organisations o
        where o.archived_at is null and o.qualiopi_status = 'certified'
          and substr(o.postal_code, 1, 2) in (${sql.join(prefixes.map((p) => sql`${p}`))})
          and exists (select 1 from habilitations h where h.organisation_id = o.id and h.status = 'active')`.execute(
        db,
      )
    ).rows[0]!.n;
  const byRegion: Scenario = {
    name: 'list by region',
    api: async () => {
      const page = await get(
        `/api/network?region=${region}&habilitationStatus=active&qualiopiStatus=certified&sort=legalName&limit=50`,
      );
      return page.items.length + page.total;
    },
    bare: async () => {
      const [page, count] = await Promise.all([
        sql`select o.id, o.siret, o.nda, o.legal_name, o.trade_name, o.postal_code, o.city, o.qualiopi_status,
            o.qualiopi_expires_on, o.archived_at, o.created_at,
            (select count(*) from habilitations h where h.organisation_id = o.id) as habilitation_count
          from organisations o
          where o.archived_at is null and o.qualiopi_status = 'certified'
            and substr(o.postal_code, 1, 2) in (${sql.join(prefixes.map((p) => sql`${p}`))})
            and exists (select 1 from habilitations h where h.organisation_id = o.id and h.status = 'active')
          order by lower(o.legal_name), o.id limit 50`.execute(db),
        regionCount(),
      ]);
      return page.rows.length + count;
    },
  };
  // 2. One certification's partners in force, by city, descending.
  const byCertification: Scenario = {
    name: 'list by certification',
    api: async (i) => {
      const page = await get(
        `/api/network?certificationId=${certifications[i % CERTIFICATIONS]}&habilitationStatus=active&sort=city&order=desc&limit=50`,
      );
      return page.items.length + page.total;
    },
    bare: async (i) => {
      const [page, count] = await Promise.all([
        sql`select o.id, o.siret, o.nda, o.legal_name, o.trade_name, o.postal_code, o.city, o.qualiopi_status,
            o.qualiopi_expires_on, o.archived_at, o.created_at,
            (select count(*) from habilitations h where h.organisation_id = o.id) as habilitation_count
          from organisations o
          where o.archived_at is null
            and exists (select 1 from habilitations h where h.organisation_id = o.id
              and h.certification_id = ${certifications[i % CERTIFICATIONS]}::uuid and h.status = 'active')
          order by lower(o.city) desc nulls first, o.id desc limit 50`.execute(db),
        sql<{ n: number }>`select count(*)::int as n from organisations o
          where o.archived_at is null
            and exists (select 1 from habilitations h where h.organisation_id = o.id
              and h.certification_id = ${certifications[i % CERTIFICATIONS]}::uuid and h.status = 'active')`.execute(
          db,
        ),
      ]);
      return page.rows.length + count.rows[0]!.n;
    },
  };
  // 2b. Each filter the issue names, alone, first page of 50 and the count of all matches; the baseline
  // is the smallest SELECT of the same rows (what the API adds: the per-row habilitation counts by status).
  const listColumns = sql`o.id, o.siret, o.nda, o.legal_name, o.trade_name, o.postal_code, o.city,
    o.qualiopi_status, o.qualiopi_expires_on, o.archived_at, o.created_at,
    (select count(*) from habilitations h where h.organisation_id = o.id) as habilitation_count`;
  const listScenario = (
    name: string,
    url: string,
    where: ReturnType<typeof sql>,
    order: ReturnType<typeof sql>,
  ): Scenario => ({
    name,
    api: async () => {
      const page = await get(url);
      return page.items.length + page.total;
    },
    bare: async () => {
      const [page, count] = await Promise.all([
        sql`select ${listColumns} from organisations o where o.archived_at is null and ${where}
          order by ${order} limit 50`.execute(db),
        sql<{ n: number }>`select count(*)::int as n from organisations o
          where o.archived_at is null and ${where}`.execute(db),
      ]);
      return page.rows.length + count.rows[0]!.n;
    },
  });
  const inRegion = sql`substr(o.postal_code, 1, 2) in (${sql.join(prefixes.map((p) => sql`${p}`))})`;
  const byRegionOnly = listScenario(
    'list: region',
    `/api/network?region=${region}&sort=legalName&limit=50`,
    inRegion,
    sql`lower(o.legal_name), o.id`,
  );
  const byQualiopi = listScenario(
    'list: Qualiopi lapsed',
    '/api/network?qualiopiStatus=lapsed&sort=postalCode&limit=50',
    sql`o.qualiopi_status = 'lapsed'`,
    sql`o.postal_code asc nulls last, o.id`,
  );
  const byStatus = listScenario(
    'list: habilitation suspended',
    '/api/network?habilitationStatus=suspended&sort=siret&order=desc&limit=50',
    sql`exists (select 1 from habilitations h where h.organisation_id = o.id and h.status = 'suspended')`,
    sql`o.siret desc nulls first, o.id desc`,
  );
  // The risk levels are maintained (organisation_risk_levels, current while no audit entry came since and
  // the day has not changed): the API checks that and reads them, the baseline only reads them.
  const byRisk = listScenario(
    'list: risk medium',
    '/api/network?risk=medium&sort=legalName&limit=50',
    sql`exists (select 1 from organisation_risk_levels r where r.organisation_id = o.id and r.level = 'medium')`,
    sql`lower(o.legal_name), o.id`,
  );
  const riskStarted = performance.now();
  await get('/api/network?risk=high&limit=1');
  const riskScored = ((performance.now() - riskStarted) / 1000).toFixed(2);
  // 3. A partner page: the organisation and the first 50 events of its timeline. Baseline: the same two
  // statements the API runs (the organisation's row, the timeline function), executed bare.
  const timelines = new NetworkRepository(db);
  const samePage: Scenario = {
    name: 'partner page + timeline',
    api: async (i) => {
      const id = partners[i % partners.length];
      const organisation = await get(`/api/organisations/${id}`);
      const timeline = await get(`/api/organisations/${id}/timeline?limit=50`);
      return (organisation.id ? 1 : 0) + timeline.items.length;
    },
    bare: async (i) => {
      const id = partners[i % partners.length]!;
      const organisation = await sql`select * from organisations where id = ${id}::uuid`.execute(db);
      const events = await db.executeQuery(
        timelines.timelineQuery(id, { withAuditLog: true, limit: 50, offset: 0 }).compile(db),
      );
      return organisation.rows.length + events.rows.length;
    },
  };
  // 3b. The same page against a minimal hand-written union of the same events (times and subjects only,
  // no authors): what the timeline's richer statement costs on top.
  const partnerPage: Scenario = {
    name: 'partner page (minimal)',
    api: async (i) => {
      const id = partners[i % partners.length];
      const organisation = await get(`/api/organisations/${id}`);
      const timeline = await get(`/api/organisations/${id}/timeline?limit=50`);
      return (organisation.id ? 1 : 0) + timeline.items.length;
    },
    bare: async (i) => {
      const id = partners[i % partners.length]!;
      const organisation = await sql`select * from organisations where id = ${id}::uuid`.execute(db);
      const events = await sql`
        select * from (
          select d.decided_at as at, d.to_status as what from habilitations h
            join habilitation_decisions d on d.habilitation_id = h.id where h.organisation_id = ${id}::uuid
          union all select created_at, reference from conventions where organisation_id = ${id}::uuid
          union all select signed_on::timestamptz, reference from conventions
            where organisation_id = ${id}::uuid and signed_on is not null
          union all select opened_at, title from findings where organisation_id = ${id}::uuid
          union all select decided_on::timestamptz, level from sanctions where organisation_id = ${id}::uuid
          union all select uploaded_at, file_name from evidence_files where organisation_id = ${id}::uuid
          union all select created_at, legal_name from organisations where id = ${id}::uuid
          union all select a.at, a.action from audit_log a
            where a.entity_type = 'organisation' and a.entity_id = ${id}
          union all select a.at, a.action from habilitations h
            join audit_log a on a.entity_type = 'habilitation' and a.entity_id = h.id::text
            where h.organisation_id = ${id}::uuid
        ) e order by at desc limit 50`.execute(db);
      return organisation.rows.length + events.rows.length;
    },
  };

  console.log(
    `${engine}: seeded in ${seeded} s; risk levels of the whole network scored and stored in ${riskScored} s ` +
      '(once per day or per audited change, on the first risk-filtered read)',
  );
  for (const scenario of [
    byRegion,
    byCertification,
    byRegionOnly,
    byQualiopi,
    byStatus,
    byRisk,
    samePage,
    partnerPage,
  ].filter((s) => !ONLY || s.name.includes(ONLY))) {
    const { api, bare } = await run(scenario);
    const median = api.median / bare.median;
    const p95 = api.p95 / bare.p95;
    const verdict = median <= 3 && p95 <= 3 ? 'OK' : 'ABOVE GOAL';
    console.log(
      `${engine.padEnd(10)} ${scenario.name.padEnd(30)} API median ${api.median.toFixed(2)} ms, p95 ${api.p95.toFixed(2)} ms | ` +
        `bare SQL median ${bare.median.toFixed(2)} ms, p95 ${bare.p95.toFixed(2)} ms | ` +
        `ratio median ${median.toFixed(2)}×, p95 ${p95.toFixed(2)}× (goal ≤ 3×) ${verdict}`,
    );
  }
  await app.close();
}

async function main() {
  console.log(
    `Network list and partner page, ${PARTNERS} partners, ${CERTIFICATIONS} certifications, ` +
      `${PARTNERS * HABILITATIONS_PER_PARTNER} habilitations, ${ITERATIONS} iterations per measure`,
  );
  if (ENGINE !== 'postgresql') {
    const dir = mkdtempSync(path.join(tmpdir(), 'habilis-bench-'));
    try {
      const embedded = await openDatabase({ dataDir: dir });
      await measure('pglite', embedded);
      await embedded.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (ENGINE === 'pglite') return;

  const url =
    process.env.BENCH_DATABASE_URL ??
    process.env.DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/test';
  if (url === 'none') return;
  const schema = `bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`postgresql skipped: cannot connect to ${url} (${(error as Error).message})`);
    return;
  }
  await admin.query(`create schema ${schema}`);
  try {
    const scoped = new URL(url);
    scoped.searchParams.set('options', `-c search_path=${schema}`);
    // As `habilis serve` opens it: listening for other processes' changes, so that sessions may be cached.
    const server = await openDatabase({ url: scoped.toString(), poolSize: 10, listenForChanges: true });
    await measure('postgresql', server);
    await server.close();
  } finally {
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
