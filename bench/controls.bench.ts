// Issue #6 benchmark: the automated controls on a synthetic network of the issue's size — 10,000 partners,
// 200 certifications, 2,000,000 assessment results over two years (with their candidates, training
// sessions, juries, deliberations, certificates, evidence and registry declarations) — generated in the
// database itself (INSERT … SELECT generate_series), with planted anomalies for every rule.
//
// Prints, per engine:
//   - the generation time and the row counts;
//   - the full run of all rules (`controls run`: queries, findings written, audit log), goal ≤ 60 s on
//     PGlite and ≤ 20 s on PostgreSQL; where its time goes: the row counts it records, then each rule's
//     transaction (`in run`: query, findings and audit entries written);
//   - recall (every planted subject found) and precision (no finding on a clean subject), per rule and overall;
//   - per rule, the time of the rule (its query and the mapping of its rows to subjects, as a run does it)
//     as a ratio to a hand-written SQL query returning the same subject keys, measured in the same run
//     (goal ≤ 1.5×), and whether both return the same subjects.
//
// Options: `--scale X` (or BENCH_SCALE; default 1 = the issue's size, 0.05 for a quick run), BENCH_ENGINE
// (pglite, postgresql or both; default both), BENCH_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/test; "none" to skip PostgreSQL). PGlite runs in a temp directory
// that is removed afterwards; PostgreSQL in a fresh schema that is dropped afterwards, unless BENCH_KEEP=1
// (the schema is then kept and named, to study the plans of the queries on the generated network).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { systemActor } from '../src/core/access/policy.js';
import { type Database, type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import {
  ControlRulesRepository,
  ruleTransactionSettings,
} from '../src/db/repositories/control-rules.repository.js';
import { controlRules } from '../src/rules/controls/index.js';
import { successRateOutliers } from '../src/rules/controls/success-rate-outlier.js';
import { findSubjects } from '../src/rules/engine/run.js';
import { createServices } from '../src/services/index.js';

const AS_OF = '2026-11-23';
const NOW = new Date('2026-11-23T12:00:00+01:00');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const scale = Number(option('scale') ?? process.env.BENCH_SCALE ?? 1);
if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be within (0, 1]');

// --- sizes ------------------------------------------------------------------------------------------------
const P = Math.max(100, Math.round(10_000 * scale)); // partners
const C = Math.max(10, 2 * Math.round(100 * scale)); // certifications (even)
const S = Math.round((2_000_000 * scale) / 30); // assessment sessions of 10 candidates × 3 results
const N = S * 10; // candidates
const B = 10; // big partners (30 sessions each), 1..B
const BSESS = Math.min(B * 30, Math.floor(S / 4));
const E = 200; // evaluators
const START = '2025-01-06';
const SPAN = 650; // days: sessions from START to START + SPAN (2026-10-18)

// --- planted partners (from the top of the numbering) and sessions (early normal sessions) --------------
let nextPartner = P;
const partners = (n: number) => Array.from({ length: n }, () => nextPartner--);
const plant = {
  conventionMissing: partners(3),
  trainingScope: partners(2),
  notEvaluator: partners(2),
  outsidePeriod: partners(2),
  qualiopi: partners(2),
  growth: partners(2),
  hours: partners(2),
  groupSize: partners(2),
  conventionExpiring: partners(2),
  notDeclared: partners(2),
  rateHigh: [1, 2],
  rateLow: [3, 4],
};
// Sessions of normal partners: `h` is the index among normal sessions (session g = BSESS + 1 + h).
let nextSession = 0;
const sessions = (n: number) => Array.from({ length: n }, () => BSESS + 1 + nextSession++);
const plantSessions = {
  unsupported: sessions(3),
  chronoCertificate: sessions(2),
  chronoDeliberation: sessions(2),
  chronoTraining: sessions(2),
  accrochage: sessions(3),
  identicalScores: sessions(2),
  declaredLate: sessions(2),
  resultsLate: sessions(2),
  resultsMissing: sessions(1),
  evaluatorConflict: sessions(2),
  evidenceMissing: sessions(2),
  juryMinutes: sessions(1),
};

const cert1 = (p: number) => ((p - 1) % C) + 1;
const cert2 = (p: number) => ((p - 1 + C / 2) % C) + 1;
const md5uuid = (s: string) => {
  const h = createHash('md5').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const orgId = (p: number) => md5uuid(`o${p}`);
const certId = (c: number) => md5uuid(`c${c}`);
const siretOf = (p: number) => String(10_000_000_000_000 + p);
const certCode = (c: number) => `RNCP${30000 + c}`;
/** SQL: a deterministic uuid from a text expression (the same as md5uuid in JS). */
const U = (expr: string) => `md5(${expr})::uuid`;
const list = (xs: readonly number[]) => (xs.length ? xs.join(', ') : 'null');

// --- generation -------------------------------------------------------------------------------------------
/** Runs one or more statements (separated by a semicolon at the end of a line). */
async function exec(db: Database, text: string) {
  for (const statement of text.split(/;\s*\n/)) if (statement.trim()) await sql.raw(statement).execute(db);
}

async function generate(db: Database) {
  const growth = list(plant.growth);
  const high = list(plant.rateHigh);
  const low = list(plant.rateLow);
  const steps: [string, string][] = [
    [
      'certifier, certifications, skill blocks',
      `insert into certifier (id, name, siret, siren) values (1, 'Certificateur (bench)', '99999999999999', '999999999');
       insert into certifications (id, code, register, title, is_owned)
         select ${U("'c' || c")}, 'RNCP' || (30000 + c), 'RNCP', 'Certification ' || c, true from generate_series(1, ${C}) c;
       insert into skill_blocks (id, certification_id, code, title)
         select ${U("'b' || c || '-' || b")}, ${U("'c' || c")}, 'RNCP' || (30000 + c) || 'BC0' || b, 'Bloc ' || b
         from generate_series(1, ${C}) c, generate_series(1, 3) b;`,
    ],
    [
      'partners, habilitations, conventions, evaluators, registry',
      `insert into organisations (id, siret, siren, legal_name, qualiopi_status, qualiopi_expires_on)
         select ${U("'o' || p")}, (10000000000000 + p)::text, left((10000000000000 + p)::text, 9), 'Partenaire ' || p,
           'certified', date '2028-12-31'
         from generate_series(1, ${P}) p;
       create temp table bench_habs as
         select p, n, case n when 1 then ((p - 1) % ${C}) + 1 else ((p - 1 + ${C / 2}) % ${C}) + 1 end as c
         from generate_series(1, ${P}) p, generate_series(1, 2) n;
       insert into habilitations (id, organisation_id, certification_id, scope, covers_all_skill_blocks, starts_on, status, conditions)
         select ${U("'h' || p || '-' || n")}, ${U("'o' || p")}, ${U("'c' || c")}, 'both', true, date '2024-01-01', 'active',
           '{"minimumHours": 100, "maxGroupSize": 20}'::jsonb
         from bench_habs;
       insert into conventions (id, organisation_id, reference, status, starts_on, ends_on, signed_on)
         select ${U("'cv' || p")}, ${U("'o' || p")}, 'CONV-' || p, 'signed', date '2024-01-01', date '2099-12-31', date '2023-12-15'
         from generate_series(1, ${P}) p;
       insert into convention_certifications (convention_id, certification_id)
         select ${U("'cv' || p")}, ${U("'c' || c")} from bench_habs;
       insert into users (id, email, display_name, role)
         select ${U("'u' || e")}, 'evaluateur' || e || '@bench.test', 'Évaluateur ' || e, 'evaluator'
         from generate_series(1, ${E}) e;
       insert into evidence_files (id, sha256, file_name, media_type, size_bytes)
         select ${U("'ev' || i")}, repeat('a', 64), 'preuve-' || i || '.pdf', 'application/pdf', 1 from generate_series(1, 4) i;
       insert into fc_fiches (code, register, title, is_active, hash, snapshot, source_line, first_run_id, changed_run_id)
         select 'RNCP' || (30000 + c), 'RNCP', 'Certification ' || c, true, 'h', '{}', c, ${U("'run'")}, ${U("'run'")}
         from generate_series(1, ${C}) c;
       insert into fc_declared_partners (fiche_code, position, siret, name, habilitation_type, state, is_active, source_line, source_run_id)
         select 'RNCP' || (30000 + c), p * 2 + n, (10000000000000 + p)::text, 'Partenaire ' || p, 'HABILITATION_ORGA_FORM',
           'Actif', true, p, ${U("'run'")}
         from bench_habs;`,
    ],
    [
      'session plan',
      `create temp table bench_sessions as
         with g as (
           select g, case when g <= ${BSESS} then ((g - 1) % ${B}) + 1 else ${B} + ((g - ${BSESS} - 1) % ${P - B}) + 1 end as p,
             case when g <= ${BSESS} then (g - 1) / ${B} else (g - ${BSESS} - 1) / ${P - B} end as pos,
             case when g <= ${BSESS} then date '${START}' + ((g - 1) / ${B}) * ${SPAN} / ${Math.max(1, BSESS / B)} + ((g - 1) % ${B})
               else date '${START}' + ((g - ${BSESS} - 1)::bigint * ${SPAN} / ${Math.max(1, S - BSESS)})::int end as day
           from generate_series(1, ${S}) g
         )
         select g.g, g.p,
           case when g.pos % 2 = 0 then ((g.p - 1) % ${C}) + 1 else ((g.p - 1 + ${C / 2}) % ${C}) + 1 end as c,
           case when g.p in (${growth}) then date '${AS_OF}' - 85 + (g.pos * 7) % 50 else g.day end as day,
           case when g.p in (${high}) then 'high' when g.p in (${low}) then 'low' else 'normal' end as mode
         from g;
       alter table bench_sessions add primary key (g);`,
    ],
    [
      'training sessions, candidates, enrolments',
      `insert into training_sessions (id, organisation_id, certification_id, reference, starts_on, ends_on, hours, modality, trainers, funding)
         select ${U("'ts' || g")}, ${U("'o' || p")}, ${U("'c' || c")}, 'F-' || g, day - 60, day - 10, 150, 'in_person',
           array['Formateur ' || p], 'cpf'
         from bench_sessions;
       insert into candidates (id, organisation_id, birth_name, first_names, birth_date)
         select ${U("'k' || ((s.g - 1) * 10 + j + 1)")}, ${U("'o' || s.p")}, 'NOM' || ((s.g - 1) * 10 + j + 1), 'Prénom',
           date '1970-01-01' + (((s.g - 1) * 10 + j + 1) % 12000)::int
         from bench_sessions s, generate_series(0, 9) j;
       insert into training_enrolments (training_session_id, candidate_id)
         select ${U("'ts' || s.g")}, ${U("'k' || ((s.g - 1) * 10 + j + 1)")} from bench_sessions s, generate_series(0, 9) j;`,
    ],
    [
      'assessment sessions, registrations, evaluators, evidence',
      `insert into assessment_sessions (id, certification_id, organiser_id, starts_at, status, declared_at)
         select ${U("'as' || g")}, ${U("'c' || c")}, ${U("'o' || p")}, (day + time '09:00') at time zone 'Europe/Paris', 'held',
           (day - 30 + time '09:00') at time zone 'Europe/Paris'
         from bench_sessions;
       insert into assessment_session_candidates (assessment_session_id, candidate_id)
         select ${U("'as' || s.g")}, ${U("'k' || ((s.g - 1) * 10 + j + 1)")} from bench_sessions s, generate_series(0, 9) j;
       insert into assessment_session_evaluators (assessment_session_id, user_id)
         select ${U("'as' || g")}, ${U(`'u' || ((g % ${E}) + 1)`)} from bench_sessions;
       insert into evidence_links (evidence_id, entity_type, entity_id, purpose)
         select ${U("'ev' || i")}, 'assessment_session', ${U("'as' || s.g")},
           (array['attendance_sheet', 'assessment_minutes', 'identity_check'])[i]
         from bench_sessions s, generate_series(1, 3) i;`,
    ],
    [
      'assessment results',
      `insert into assessment_results (assessment_session_id, candidate_id, skill_block_id, score, max_score, decision, recorded_at)
         select ${U("'as' || s.g")}, ${U("'k' || ((s.g - 1) * 10 + j + 1)")}, ${U("'b' || s.c || '-' || b")},
           case b when 1 then j + 5 when 2 then (j * 3) % 21 else 12 end, 20,
           case when b < 3 or s.mode = 'high' or (s.mode = 'normal' and j < 8) then 'passed' else 'failed' end,
           (s.day + 2 + time '10:00') at time zone 'Europe/Paris'
         from bench_sessions s, generate_series(0, 9) j, generate_series(1, 3) b;`,
    ],
    [
      'juries, deliberations, certificates',
      `insert into juries (id, certification_id, meets_on, status, minutes_id, signed_at)
         select ${U("'j' || g")}, ${U("'c' || c")}, day + 20, 'signed', ${U("'ev4'")},
           (day + 20 + time '17:00') at time zone 'Europe/Paris'
         from bench_sessions;
       create temp table bench_passed as
         select s.g, s.c, s.day, (s.g - 1) * 10 + j + 1 as k
         from bench_sessions s, generate_series(0, 9) j
         where s.mode = 'high' or (s.mode = 'normal' and j < 8);
       insert into deliberations (id, jury_id, candidate_id, decision, decided_at)
         select ${U("'d' || k")}, ${U("'j' || g")}, ${U("'k' || k")}, 'certified', (day + 20 + time '14:00') at time zone 'Europe/Paris'
         from bench_passed;
       insert into certificates (id, number, deliberation_id, candidate_id, certification_id, issued_on, verification_code, accrochage_status)
         select ${U("'ce' || k")}, 'CERT-' || k, ${U("'d' || k")}, ${U("'k' || k")}, ${U("'c' || c")}, day + 21, 'V' || k, 'accepted'
         from bench_passed;`,
    ],
  ];
  for (const [label, text] of steps) {
    const t = performance.now();
    await exec(db, text);
    console.log(`  generated ${label} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
}

/** The anomalies: each changes clean rows so that exactly the listed subjects must be found. */
async function plantAnomalies(db: Database): Promise<Map<string, Set<string>>> {
  const expected = new Map<string, Set<string>>(controlRules.map((r) => [r.id, new Set<string>()]));
  const expect = (rule: string, key: string) => expected.get(rule)!.add(key);
  const rows = async <R>(text: string) => (await sql.raw<R>(text).execute(db)).rows;
  const sessionsOf = (p: number, c: number) =>
    rows<{ g: number; day: string }>(
      `select g, day::text as day from bench_sessions where p = ${p} and c = ${c} order by g`,
    );
  const sessionRow = async (g: number) =>
    (
      await rows<{ g: number; p: number; c: number; day: string }>(
        `select g, p, c, day::text as day from bench_sessions where g = ${g}`,
      )
    )[0]!;
  const ts = (g: number) => md5uuid(`ts${g}`);
  const as = (g: number) => md5uuid(`as${g}`);

  for (const p of plant.conventionMissing) {
    await exec(
      db,
      `delete from convention_certifications where convention_id = '${md5uuid(`cv${p}`)}' and certification_id = '${certId(cert1(p))}'`,
    );
    expect('convention.missing', `${orgId(p)}:${certId(cert1(p))}`);
  }
  for (const p of plant.trainingScope) {
    await exec(db, `update habilitations set scope = 'evaluate' where id = '${md5uuid(`h${p}-1`)}'`);
    for (const s of await sessionsOf(p, cert1(p)))
      expect('habilitation.training-scope', `training_session:${ts(s.g)}`);
  }
  for (const p of plant.notEvaluator) {
    await exec(db, `update habilitations set scope = 'train' where id = '${md5uuid(`h${p}-2`)}'`);
    for (const s of await sessionsOf(p, cert2(p)))
      expect('habilitation.not-evaluator', `assessment_session:${as(s.g)}`);
  }
  for (const p of plant.outsidePeriod) {
    const h = md5uuid(`h${p}-1`);
    await exec(
      db,
      `update habilitations set status = 'suspended' where id = '${h}';
       insert into habilitation_decisions (habilitation_id, from_status, to_status, reasons, decided_at) values
         ('${h}', null, 'active', 'bench', '2024-01-01T10:00:00+01:00'),
         ('${h}', 'active', 'suspended', 'bench', '2025-09-01T10:00:00+02:00')`,
    );
    for (const s of await sessionsOf(p, cert1(p))) {
      if (s.day >= '2025-09-01') expect('habilitation.outside-period', `assessment_session:${as(s.g)}`);
      const trainingStart = new Date(Date.parse(`${s.day}T00:00:00Z`) - 60 * 86_400_000)
        .toISOString()
        .slice(0, 10);
      if (trainingStart >= '2025-09-01') expect('habilitation.outside-period', `training_session:${ts(s.g)}`);
    }
  }
  for (const p of plant.qualiopi) {
    await exec(
      db,
      `update organisations set qualiopi_status = 'lapsed', qualiopi_expires_on = date '2025-09-30' where id = '${orgId(p)}'`,
    );
    expect('qualiopi.cpf', orgId(p));
  }
  for (const p of plant.hours) {
    await exec(
      db,
      `update habilitations set conditions = '{"minimumHours": 200, "maxGroupSize": 20}' where id = '${md5uuid(`h${p}-1`)}'`,
    );
    for (const s of await sessionsOf(p, cert1(p)))
      expect('training.hours-below-minimum', `training_session:${ts(s.g)}`);
  }
  for (const p of plant.groupSize) {
    await exec(
      db,
      `update habilitations set conditions = '{"minimumHours": 100, "maxGroupSize": 5}' where id = '${md5uuid(`h${p}-2`)}'`,
    );
    for (const s of await sessionsOf(p, cert2(p)))
      expect('training.group-size', `training_session:${ts(s.g)}`);
  }
  for (const p of plant.conventionExpiring) {
    await exec(db, `update conventions set ends_on = date '${AS_OF}' + 30 where id = '${md5uuid(`cv${p}`)}'`);
    expect('convention.expiring', `convention:${md5uuid(`cv${p}`)}`);
  }
  for (const p of plant.notDeclared) {
    await exec(
      db,
      `delete from fc_declared_partners where fiche_code = '${certCode(cert1(p))}' and siret = '${siretOf(p)}'`,
    );
    expect('registry.not_declared', `${certCode(cert1(p))}:${siretOf(p)}`);
  }
  for (const p of plant.growth) expect('volume.sudden-growth', orgId(p));
  // Success rates: the big partners 1–2 pass everyone, 3–4 no one; found per certification and year with ≥ 20.
  const minSample = 20;
  for (const r of await rows<{ p: number; c: number; year: number; n: number }>(
    `select p, c, extract(year from day)::int as year, count(*)::int * 10 as n from bench_sessions
     where p in (${list([...plant.rateHigh, ...plant.rateLow])}) group by p, c, year`,
  ))
    if (r.n >= minSample) expect('success-rate.outlier', `${orgId(r.p)}:${certId(r.c)}:${r.year}`);

  // Session-level anomalies, on early sessions of normal partners (first candidate k = (g - 1) * 10 + 1).
  const firstCandidate = (g: number) => (g - 1) * 10 + 1;
  for (const g of plantSessions.unsupported) {
    const k = firstCandidate(g);
    await exec(db, `update deliberations set decision = 'failed' where id = '${md5uuid(`d${k}`)}'`);
    expect('certificate.unsupported', `certificate:${md5uuid(`ce${k}`)}`);
  }
  for (const g of plantSessions.chronoCertificate) {
    const k = firstCandidate(g);
    const s = await sessionRow(g);
    await exec(
      db,
      `update certificates set issued_on = date '${s.day}' + 10 where id = '${md5uuid(`ce${k}`)}'`,
    );
    expect('chronology.inconsistent', `certificate:${md5uuid(`ce${k}`)}`);
  }
  for (const g of plantSessions.chronoDeliberation) {
    const k = firstCandidate(g);
    const s = await sessionRow(g);
    await exec(
      db,
      `update deliberations set decided_at = (date '${s.day}' - 5 + time '14:00') at time zone 'Europe/Paris' where id = '${md5uuid(`d${k}`)}'`,
    );
    expect('chronology.inconsistent', `deliberation:${md5uuid(`d${k}`)}`);
  }
  for (const g of plantSessions.chronoTraining) {
    const s = await sessionRow(g);
    await exec(db, `update training_sessions set ends_on = date '${s.day}' + 5 where id = '${ts(g)}'`);
    expect('chronology.inconsistent', `assessment_session:${as(g)}`);
  }
  for (const g of plantSessions.accrochage) {
    const k = firstCandidate(g);
    await exec(
      db,
      `update certificates set accrochage_status = 'rejected' where id = '${md5uuid(`ce${k}`)}'`,
    );
    expect('accrochage.late', `certificate:${md5uuid(`ce${k}`)}`);
  }
  for (const g of plantSessions.identicalScores) {
    const ks = [1, 2].map((j) => `'${md5uuid(`k${(g - 1) * 10 + j + 1}`)}'`).join(', ');
    await exec(
      db,
      `update assessment_results r set score = src.score from assessment_results src
       where src.assessment_session_id = '${as(g)}' and src.candidate_id = '${md5uuid(`k${firstCandidate(g)}`)}'
         and r.assessment_session_id = src.assessment_session_id and r.skill_block_id = src.skill_block_id
         and r.candidate_id in (${ks})`,
    );
    expect('scores.identical-pattern', `assessment_session:${as(g)}`);
  }
  for (const g of plantSessions.declaredLate) {
    await exec(
      db,
      `update assessment_sessions set declared_at = starts_at - interval '3 days' where id = '${as(g)}'`,
    );
    expect('assessment.declared-late', `assessment_session:${as(g)}`);
  }
  for (const g of plantSessions.resultsLate) {
    await exec(
      db,
      `update assessment_results set recorded_at = recorded_at + interval '40 days'
       where assessment_session_id = '${as(g)}' and candidate_id = '${md5uuid(`k${firstCandidate(g)}`)}'`,
    );
    expect('results.late', `assessment_session:${as(g)}`);
  }
  for (const g of plantSessions.resultsMissing) {
    // The tenth candidate failed (no deliberation): its results are gone.
    await exec(
      db,
      `delete from assessment_results where assessment_session_id = '${as(g)}' and candidate_id = '${md5uuid(`k${(g - 1) * 10 + 10}`)}'`,
    );
    expect('results.late', `assessment_session:${as(g)}`);
  }
  for (const g of plantSessions.evaluatorConflict) {
    const e = (g % E) + 1;
    await exec(
      db,
      `update training_sessions set trainers = trainers || array['Évaluateur ${e}'] where id = '${ts(g)}'`,
    );
    expect('evaluator.conflict', `${as(g)}:${md5uuid(`u${e}`)}`);
  }
  for (const g of plantSessions.evidenceMissing) {
    await exec(db, `delete from evidence_links where entity_id = '${as(g)}' and purpose = 'identity_check'`);
    expect('evidence.missing', `assessment_session:${as(g)}`);
  }
  for (const g of plantSessions.juryMinutes) {
    await exec(db, `update juries set minutes_id = null where id = '${md5uuid(`j${g}`)}'`);
    expect('evidence.missing', `jury:${md5uuid(`j${g}`)}`);
  }
  // The same person certified twice: a big clean partner's candidates two sessions apart (same certification).
  for (const p of [5, 6]) {
    const [g1, g2] = [p, p + 2 * B];
    const [k1, k2] = [firstCandidate(g1), firstCandidate(g2)];
    await exec(
      db,
      `update candidates set birth_name = src.birth_name, first_names = src.first_names, birth_date = src.birth_date
       from candidates src where src.id = '${md5uuid(`k${k1}`)}' and candidates.id = '${md5uuid(`k${k2}`)}'`,
    );
    const c = (await sessionRow(g1)).c;
    const birth = (
      await rows<{ d: string }>(
        `select birth_date::text as d from candidates where id = '${md5uuid(`k${k1}`)}'`,
      )
    )[0]!.d;
    const identity = createHash('md5').update(`nom${k1}|prénom|${birth}`).digest('hex');
    expect('candidate.certified-twice', `${certId(c)}:${identity}`);
  }
  return expected;
}

// --- hand-written baselines: the same subject keys, one plain query each ---------------------------------
const W = `(date '${AS_OF}' - 730)`;
const T0 = `(date '${AS_OF}'::timestamp at time zone 'Europe/Paris')`;
const inWindow = (a: string) =>
  `${a}.starts_at >= ${T0} - interval '730 days' and ${a}.starts_at < ${T0} + interval '1 day'`;
const dayOf = (col: string) => `((${col}) at time zone 'Europe/Paris')::date`;
const granted = (org: string, cert: string, scopes: string) =>
  `h.organisation_id = ${org} and h.certification_id = ${cert} and h.status not in ('application', 'review') and h.scope in (${scopes})`;

const baselines: Record<string, string> = {
  'convention.missing': `
    select distinct act.org || ':' || act.cert as key from (
      select organisation_id as org, certification_id as cert, starts_on as day from training_sessions
      where ends_on >= ${W} and starts_on <= date '${AS_OF}'
      union all
      select organiser_id, certification_id, ${dayOf('starts_at')} from assessment_sessions a
      where organiser_id is not null and status <> 'cancelled' and ${inWindow('a')}) act
    where act.org not in (select id from organisations where siret = (select siret from certifier where id = 1))
      and not exists (select 1 from conventions cv join convention_certifications cc on cc.convention_id = cv.id
      where cv.organisation_id = act.org and cc.certification_id = act.cert and cv.status in ('signed', 'expired', 'terminated')
        and cv.signed_on <= act.day and cv.starts_on <= act.day and (cv.ends_on is null or cv.ends_on >= act.day)
        and (cv.terminated_on is null or act.day < cv.terminated_on))`,
  // A habilitation covering every block settles the session; otherwise each block it needs (those it lists, or
  // every block of the certification when it lists none) must appear among the blocks of a habilitation.
  // The anti-join first, materialized: written as one WHERE, PostgreSQL evaluates the OR of subqueries on
  // every session before the anti-join (0.55 s instead of 0.07 s at full size).
  'habilitation.training-scope': `
    with partial as materialized (
      select ts.id, ts.organisation_id, ts.certification_id from training_sessions ts
      where ts.ends_on >= ${W} and ts.starts_on <= date '${AS_OF}'
        and not exists (select 1 from habilitations h where ${granted('ts.organisation_id', 'ts.certification_id', "'train', 'both'")}
          and h.covers_all_skill_blocks))
    select 'training_session:' || ts.id as key from partial ts
    where not exists (select 1 from habilitations h where ${granted('ts.organisation_id', 'ts.certification_id', "'train', 'both'")})
      or exists (select 1 from training_session_skill_blocks b where b.training_session_id = ts.id
        and b.skill_block_id not in (select hb.skill_block_id from habilitations h join habilitation_skill_blocks hb on hb.habilitation_id = h.id
          where ${granted('ts.organisation_id', 'ts.certification_id', "'train', 'both'")}))
      or (not exists (select 1 from training_session_skill_blocks b where b.training_session_id = ts.id)
        and exists (select 1 from skill_blocks sb where sb.certification_id = ts.certification_id
          and sb.id not in (select hb.skill_block_id from habilitations h join habilitation_skill_blocks hb on hb.habilitation_id = h.id
            where ${granted('ts.organisation_id', 'ts.certification_id', "'train', 'both'")})))`,
  'habilitation.not-evaluator': `
    with partial as materialized (
      select a.id, a.organiser_id, a.certification_id from assessment_sessions a
      where a.organiser_id is not null and a.status <> 'cancelled' and ${inWindow('a')}
        and not exists (select 1 from habilitations h where ${granted('a.organiser_id', 'a.certification_id', "'evaluate', 'both'")}
          and h.covers_all_skill_blocks))
    select 'assessment_session:' || a.id as key from partial a
    where not exists (select 1 from habilitations h where ${granted('a.organiser_id', 'a.certification_id', "'evaluate', 'both'")})
      or exists (select 1 from assessment_results r where r.assessment_session_id = a.id and r.skill_block_id is not null
        and r.skill_block_id not in (select hb.skill_block_id from habilitations h join habilitation_skill_blocks hb on hb.habilitation_id = h.id
          where ${granted('a.organiser_id', 'a.certification_id', "'evaluate', 'both'")}))`,
  'habilitation.outside-period': `
    with act as (
      select 'training_session' as kind, id, organisation_id as org, certification_id as cert, starts_on as day, true as train
      from training_sessions where ends_on >= ${W} and starts_on <= date '${AS_OF}'
      union all
      select 'assessment_session', id, organiser_id, certification_id, ${dayOf('starts_at')}, false from assessment_sessions a
      where organiser_id is not null and status <> 'cancelled' and ${inWindow('a')})
    select act.kind || ':' || act.id as key from act
    join habilitations h on h.organisation_id = act.org and h.certification_id = act.cert
      and h.status not in ('application', 'review') and h.scope in (case when act.train then 'train' else 'evaluate' end, 'both')
    group by act.kind, act.id
    having not bool_or(h.starts_on <= act.day and (h.ends_on is null or h.ends_on >= act.day)
      and coalesce((select d.to_status from habilitation_decisions d where d.habilitation_id = h.id and ${dayOf('d.decided_at')} <= act.day
        order by d.decided_at desc limit 1), h.status) in ('active', case when act.train then 'under_watch' else 'active' end))`,
  'qualiopi.cpf': `
    select distinct o.id::text as key from training_sessions ts join organisations o on o.id = ts.organisation_id
    where ts.funding = 'cpf' and ts.ends_on >= ${W} and ts.starts_on <= date '${AS_OF}' + 365
      and (not ((o.qualiopi_status = 'certified' and (o.qualiopi_expires_on is null or o.qualiopi_expires_on >= ts.starts_on))
             or (o.qualiopi_status = 'lapsed' and o.qualiopi_expires_on >= ts.starts_on))
        or (ts.ends_on >= date '${AS_OF}' and not ((o.qualiopi_status = 'certified' and (o.qualiopi_expires_on is null or o.qualiopi_expires_on >= date '${AS_OF}'))
             or (o.qualiopi_status = 'lapsed' and o.qualiopi_expires_on >= date '${AS_OF}'))))`,
  // The blocks each certificate needs (every block of the certification for a full decision, less those the
  // deliberation validated itself; the deliberation's blocks for a decision by blocks), less the blocks its
  // candidate passed in an assessment of that certification; plus the certificates with a bad deliberation.
  'certificate.unsupported': `
    with needed as (
      select c.id, c.candidate_id, c.certification_id, sb.id as block_id
      from certificates c join deliberations d on d.id = c.deliberation_id
      join skill_blocks sb on sb.certification_id = c.certification_id
      left join deliberation_skill_blocks v on v.deliberation_id = d.id and v.skill_block_id = sb.id
      where c.revoked_at is null and d.decision = 'certified' and v.deliberation_id is null
      union all
      select c.id, c.candidate_id, c.certification_id, v.skill_block_id
      from certificates c join deliberations d on d.id = c.deliberation_id
      join deliberation_skill_blocks v on v.deliberation_id = d.id
      where c.revoked_at is null and d.decision = 'certified_by_blocks')
    select 'certificate:' || c.id as key from certificates c
    join deliberations d on d.id = c.deliberation_id join juries j on j.id = d.jury_id
    where c.revoked_at is null and (d.decision not in ('certified', 'certified_by_blocks') or d.candidate_id <> c.candidate_id
      or j.certification_id <> c.certification_id or j.status = 'planned')
    union
    select 'certificate:' || n.id from needed n
    where not exists (select 1 from assessment_results r join assessment_sessions a on a.id = r.assessment_session_id
      where r.candidate_id = n.candidate_id and r.skill_block_id = n.block_id and r.decision = 'passed'
        and a.certification_id = n.certification_id and a.status <> 'cancelled')`,
  'chronology.inconsistent': `
    select 'deliberation:' || d.id as key from deliberations d join juries j on j.id = d.jury_id
    where d.decided_at >= ${T0} - interval '730 days' and exists (
      select 1 from assessment_results r join assessment_sessions a on a.id = r.assessment_session_id
      where r.candidate_id = d.candidate_id and a.certification_id = j.certification_id and a.status <> 'cancelled' and a.starts_at > d.decided_at)
    union all
    select 'certificate:' || c.id from certificates c join deliberations d on d.id = c.deliberation_id
    where c.revoked_at is null and c.issued_on >= ${W} and c.issued_on < ${dayOf('d.decided_at')}
    union all
    select distinct 'assessment_session:' || a.id from assessment_sessions a
    join assessment_session_candidates ac on ac.assessment_session_id = a.id
    join training_enrolments e on e.candidate_id = ac.candidate_id
    join training_sessions ts on ts.id = e.training_session_id and ts.certification_id = a.certification_id
    where a.status <> 'cancelled' and a.starts_at >= ${T0} - interval '730 days'
      and ts.starts_on <= ${dayOf('a.starts_at')} and ts.ends_on > ${dayOf('a.starts_at')}
      and not exists (select 1 from habilitations h where h.organisation_id = a.organiser_id and h.certification_id = a.certification_id
        and h.conditions -> 'assessmentDuringTraining' = 'true'::jsonb)`,
  // Counts in SQL; the exact binomial test (not expressible in SQL) in the same function as the rule.
  'success-rate.outlier': `
    with outcome as (
      select r.assessment_session_id, bool_and(r.decision = 'passed') as ok
      from assessment_results r
      where r.decision <> 'absent' and r.assessment_session_id in (
        select a.id from assessment_sessions a where a.organiser_id is not null and a.status <> 'cancelled' and ${inWindow('a')})
      group by r.assessment_session_id, r.candidate_id)
    select a.organiser_id as organisation_id, a.certification_id,
      extract(year from a.starts_at at time zone 'Europe/Paris')::int as year, count(*)::int as presented,
      count(*) filter (where o.ok)::int as passed
    from outcome o join assessment_sessions a on a.id = o.assessment_session_id
    group by 1, 2, 3`,
  'volume.sudden-growth': `
    with t as (
      select ts.organisation_id as org, count(*) filter (where ts.starts_on > date '${AS_OF}' - 90) as recent,
        count(*) filter (where ts.starts_on <= date '${AS_OF}' - 90) as base
      from training_enrolments e join training_sessions ts on ts.id = e.training_session_id
      where ts.starts_on > date '${AS_OF}' - 450 and ts.starts_on <= date '${AS_OF}' group by 1),
    k as (
      select a.organiser_id as org, count(*) filter (where ${dayOf('a.starts_at')} > date '${AS_OF}' - 90) as recent,
        count(*) filter (where ${dayOf('a.starts_at')} <= date '${AS_OF}' - 90) as base
      from assessment_session_candidates ac join assessment_sessions a on a.id = ac.assessment_session_id
      where a.organiser_id is not null and a.status <> 'cancelled' and a.starts_at >= ${T0} - interval '449 days'
        and a.starts_at < ${T0} + interval '1 day' group by 1)
    select coalesce(t.org, k.org)::text as key from t full join k on k.org = t.org
    where (coalesce(t.recent, 0) >= 20 and coalesce(t.recent, 0) >= 3 * greatest(coalesce(t.base, 0) * 90.0 / 360, 1))
       or (coalesce(k.recent, 0) >= 20 and coalesce(k.recent, 0) >= 3 * greatest(coalesce(k.base, 0) * 90.0 / 360, 1))`,
  'training.hours-below-minimum': `
    select 'training_session:' || ts.id as key from training_sessions ts
    where ts.ends_on >= ${W} and ts.starts_on <= date '${AS_OF}' and ts.hours < (
      select max((h.conditions ->> 'minimumHours')::numeric) from habilitations h
      where ${granted('ts.organisation_id', 'ts.certification_id', "'train', 'both'")} and jsonb_typeof(h.conditions -> 'minimumHours') = 'number'
        and h.starts_on <= ts.starts_on and (h.ends_on is null or h.ends_on >= ts.starts_on))`,
  'training.group-size': `
    select 'training_session:' || ts.id as key from training_sessions ts
    join (select training_session_id, count(*) as enrolled from training_enrolments group by training_session_id) e
      on e.training_session_id = ts.id
    where ts.ends_on >= ${W} and ts.starts_on <= date '${AS_OF}'
      and e.enrolled > (
      select min((h.conditions ->> 'maxGroupSize')::numeric) from habilitations h
      where ${granted('ts.organisation_id', 'ts.certification_id', "'train', 'both'")} and jsonb_typeof(h.conditions -> 'maxGroupSize') = 'number'
        and h.starts_on <= ts.starts_on and (h.ends_on is null or h.ends_on >= ts.starts_on))`,
  'accrochage.late': `
    select 'certificate:' || id as key from certificates
    where revoked_at is null and accrochage_status <> 'accepted' and issued_on + interval '3 months' < date '${AS_OF}'`,
  'registry.not_declared': `
    select distinct f.code || ':' || o.siret as key from fc_fiches f
    join certifications ce on ce.code = f.code and ce.is_owned
    join habilitations h on h.certification_id = ce.id join organisations o on o.id = h.organisation_id
    where f.is_active and h.status in ('active', 'under_watch') and h.starts_on <= date '${AS_OF}'
      and (h.ends_on is null or h.ends_on >= date '${AS_OF}')
      and not exists (select 1 from fc_declared_partners dp where dp.fiche_code = f.code and dp.siret = o.siret
        and (dp.state is null or dp.state = 'Actif'))`,
  'convention.expiring': `
    select distinct 'convention:' || cv.id as key from conventions cv join convention_certifications cc on cc.convention_id = cv.id
    where cv.status = 'signed' and cv.terminated_on is null and cv.ends_on between date '${AS_OF}' and date '${AS_OF}' + 90
      and exists (select 1 from habilitations h where h.organisation_id = cv.organisation_id and h.certification_id = cc.certification_id
        and h.status in ('active', 'under_watch') and (h.ends_on is null or h.ends_on > cv.ends_on))
      and not exists (select 1 from conventions nx join convention_certifications nc on nc.convention_id = nx.id
        and nc.certification_id = cc.certification_id where nx.organisation_id = cv.organisation_id and nx.id <> cv.id
        and nx.status in ('draft', 'sent', 'signed') and (nx.ends_on is null or nx.ends_on > cv.ends_on))`,
  'candidate.certified-twice': `
    select c.certification_id || ':' || md5(lower(ca.birth_name) || '|' || lower(ca.first_names) || '|' || ca.birth_date::text) as key
    from certificates c join candidates ca on ca.id = c.candidate_id join deliberations d on d.id = c.deliberation_id
    where c.revoked_at is null and d.decision = 'certified' and ca.birth_date is not null
    group by 1 having count(*) > 1`,
  'scores.identical-pattern': `
    with p as (
      select r.assessment_session_id as s, string_agg(coalesce(r.assessment_task, r.skill_block_id::text, '') || '=' || r.score::text || '/' || coalesce(r.max_score::text, ''), ';'
        order by coalesce(r.assessment_task, r.skill_block_id::text, ''), r.score) as scores, count(*) as items
      from assessment_results r join assessment_sessions a on a.id = r.assessment_session_id
      where a.status <> 'cancelled' and r.score is not null and ${inWindow('a')}
      group by r.assessment_session_id, r.candidate_id)
    select distinct 'assessment_session:' || s as key from p where items >= 2 group by s, scores having count(*) >= 3`,
  'assessment.declared-late': `
    select 'assessment_session:' || a.id as key from assessment_sessions a
    where a.organiser_id is not null and a.status <> 'cancelled' and a.starts_at >= ${T0} - interval '730 days'
      and a.declared_at > a.starts_at - interval '15 days'`,
  'results.late': `
    select 'assessment_session:' || a.id as key from assessment_sessions a
    join assessment_results r on r.assessment_session_id = a.id
    where a.organiser_id is not null and a.status <> 'cancelled' and ${inWindow('a')}
      and r.recorded_at >= ((${dayOf('a.starts_at')} + 16)::timestamp at time zone 'Europe/Paris')
    union
    select 'assessment_session:' || a.id from assessment_sessions a
    join assessment_session_candidates ac on ac.assessment_session_id = a.id
    where a.organiser_id is not null and a.status <> 'cancelled' and ${inWindow('a')}
      and ${dayOf('a.starts_at')} + 15 < date '${AS_OF}'
      and not exists (select 1 from assessment_results r where r.assessment_session_id = a.id and r.candidate_id = ac.candidate_id)`,
  'evaluator.conflict': `
    select distinct a.id || ':' || u.id as key from assessment_sessions a
    join assessment_session_evaluators ev on ev.assessment_session_id = a.id join users u on u.id = ev.user_id
    join assessment_session_candidates ac on ac.assessment_session_id = a.id
    left join training_enrolments e on e.candidate_id = ac.candidate_id
    left join training_sessions ts on ts.id = e.training_session_id and ts.certification_id = a.certification_id
    left join candidates ca on ca.id = ac.candidate_id
    where a.status <> 'cancelled' and a.starts_at >= ${T0} - interval '730 days'
      and (lower(u.display_name) = any(select lower(trim(t)) from unnest(ts.trainers) t)
        or (u.organisation_id is not null and ca.organisation_id = u.organisation_id and exists (
          select 1 from habilitations h where h.organisation_id = a.organiser_id and h.certification_id = a.certification_id
            and h.conditions -> 'independentEvaluators' = 'true'::jsonb)))`,
  'evidence.missing': `
    select 'assessment_session:' || a.id as key from assessment_sessions a
    where a.organiser_id is not null and a.status <> 'cancelled' and a.starts_at >= ${T0} - interval '730 days'
      and ${dayOf('a.starts_at')} < date '${AS_OF}' - 15
      and (${['attendance_sheet', 'assessment_minutes', 'identity_check']
        .map(
          (p) =>
            `not exists (select 1 from evidence_links l where l.entity_type = 'assessment_session' and l.entity_id = a.id and l.purpose = '${p}')`,
        )
        .join(' or ')})
    union all
    select 'jury:' || id from juries where status in ('deliberated', 'signed') and minutes_id is null
      and meets_on >= ${W} and meets_on < date '${AS_OF}' - 15`,
};

async function baselineKeys(db: Database, ruleId: string): Promise<string[]> {
  const text = baselines[ruleId];
  if (!text) throw new Error(`no baseline for ${ruleId}`);
  if (ruleId === 'success-rate.outlier') {
    const counts = (
      await sql
        .raw<{
          organisationId: string;
          certificationId: string;
          year: number;
          presented: number;
          passed: number;
        }>(text)
        .execute(db)
    ).rows;
    return successRateOutliers(
      counts.map((c) => ({ ...c, legalName: '', certificationCode: '' })),
      { minSample: 20, alpha: 0.001 },
    ).map((o) => `${o.row.organisationId}:${o.row.certificationId}:${o.row.year}`);
  }
  return (await sql.raw<{ key: string }>(text).execute(db)).rows.map((r) => r.key);
}

// --- one engine -------------------------------------------------------------------------------------------
interface EngineResult {
  engine: string;
  fullRunSeconds: number;
  recall: number;
  precision: number;
  worstRatio: number;
}

async function openEngine(engine: 'pglite' | 'postgresql', url: string) {
  if (engine === 'pglite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'habilis-controls-bench-'));
    const handle = await openDatabase({ dataDir: dir });
    return { handle, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const handle = await openDatabase({ url: scoped.toString(), poolSize: 4 });
  return {
    handle,
    cleanup: async () => {
      if (process.env.BENCH_KEEP === '1') {
        console.log(`  kept schema ${schema}`);
        return;
      }
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

const secs = (ms: number) => (ms / 1000).toFixed(2);

async function benchEngine(engine: 'pglite' | 'postgresql', url: string): Promise<EngineResult> {
  console.log(`\n== ${engine} ==`);
  const { handle, cleanup } = await openEngine(engine, url);
  try {
    return await run(engine, handle);
  } finally {
    await handle.close();
    await cleanup();
  }
}

async function run(engine: string, handle: DatabaseHandle): Promise<EngineResult> {
  const db = handle.db;
  await migrateToLatest(db);
  const t0 = performance.now();
  // One connection for the whole generation (its temp tables are per session), with foreign-key triggers
  // off: the rows are consistent by construction, and checking 2 million results one by one is most of
  // the generation time. Measurements run afterwards with every trigger back on, after ANALYZE (both the
  // rules and the hand-written queries plan on fresh statistics).
  const expected = await db.connection().execute(async (conn) => {
    await exec(conn, 'set session_replication_role = replica');
    try {
      await generate(conn);
      return await plantAnomalies(conn);
    } finally {
      await exec(conn, 'set session_replication_role = origin');
    }
  });
  await exec(db, 'analyze');
  console.log(`  generated and planted in ${secs(performance.now() - t0)} s`);
  const counts = await new ControlRulesRepository(db).countRows([
    'organisations',
    'certifications',
    'candidates',
    'training_sessions',
    'assessment_sessions',
    'assessment_results',
    'certificates',
  ]);
  console.log(
    `  rows: ${Object.entries(counts)
      .map(([t, n]) => `${t} ${n.toLocaleString('en')}`)
      .join(', ')}`,
  );

  const services = createServices(
    handle,
    { publicUrl: 'http://bench.test', filesDir: '/nonexistent', dataDir: '/nonexistent' },
    () => NOW,
  );
  const actor = systemActor('bench');
  const clock = async () =>
    Number(
      (
        await sql<{ at: number }>`select extract(epoch from clock_timestamp())::float8 * 1000 as at`.execute(
          db,
        )
      ).rows[0]!.at,
    );
  const runStart = await clock();
  const tf = performance.now();
  const summary = await services.controlRuns.run(actor);
  const fullRun = performance.now() - tf;
  const runEnd = await clock();
  console.log(
    `  full run of ${summary.rules.length} rules: ${secs(fullRun)} s (goal ≤ ${engine === 'pglite' ? 60 : 20} s); findings opened ${summary.findings.opened}`,
  );
  // Where the run's time goes: each rule's transaction starts with the insert of its control, whose
  // created_at is now() (the start of the transaction); the time before the first is the row counts.
  const starts = (
    await sql<{ ruleId: string; at: number }>`
      select rule_id, extract(epoch from created_at)::float8 * 1000 as at from controls where kind = 'rule' order by created_at`.execute(
      db,
    )
  ).rows.map((r) => ({ ruleId: r.ruleId, at: Number(r.at) }));
  const inRun = new Map(
    starts.map((r, i) => [r.ruleId, ((starts[i + 1]?.at ?? runEnd) - r.at) / 1000] as const),
  );
  if (starts.length) console.log(`  of which counting the tables read: ${secs(starts[0]!.at - runStart)} s`);

  // Recall and precision, from the findings the run left open.
  const open = await db
    .selectFrom('findings')
    .select(['ruleId', 'subjectKey'])
    .where('status', '<>', 'closed')
    .where('ruleId', 'is not', null)
    .execute();
  const found = new Map<string, Set<string>>();
  for (const f of open) {
    if (!found.has(f.ruleId!)) found.set(f.ruleId!, new Set());
    found.get(f.ruleId!)!.add(f.subjectKey!);
  }
  let planted = 0;
  let hits = 0;
  let total = 0;
  console.log(
    `\n  ${'rule'.padEnd(30)} ${'planted'.padStart(7)} ${'found'.padStart(6)} ${'missed'.padStart(6)} ${'false+'.padStart(6)}  ${'in run'.padStart(7)} ${'rule s'.padStart(7)} ${'SQL s'.padStart(7)} ${'ratio'.padStart(6)}  same`,
  );
  let worstRatio = 0;
  for (const rule of controlRules) {
    const want = expected.get(rule.id) ?? new Set<string>();
    const got = found.get(rule.id) ?? new Set<string>();
    const missed = [...want].filter((k) => !got.has(k));
    const extra = [...got].filter((k) => !want.has(k));
    planted += want.size;
    hits += want.size - missed.length;
    total += got.size;
    // The rule as a run executes it (query + mapping), then the hand-written query, alternately; best of at
    // least two each. Both in a transaction with the settings a rule run uses (no JIT, work_mem), so that
    // neither gains from a setting the other lacks.
    const context = { asOf: AS_OF, parameters: rule.parameters };
    const tuned = <T>(work: (trx: Database) => Promise<T>) =>
      db.transaction().execute(async (trx) => {
        for (const statement of ruleTransactionSettings) await sql.raw(statement).execute(trx);
        return work(trx);
      });
    let ruleMs = Number.POSITIVE_INFINITY;
    let baseMs = Number.POSITIVE_INFINITY;
    let ruleKeys: string[] = [];
    let baseKeys: string[] = [];
    // Quick queries (tens of milliseconds) are repeated up to seven times: a best of two there measures
    // the machine's load more than the query.
    const pairStart = performance.now();
    for (let i = 0; i < 2 || (i < 7 && performance.now() - pairStart < 2_000); i++) {
      let t = performance.now();
      ruleKeys = await tuned(async (trx) =>
        (await findSubjects(rule, new ControlRulesRepository(trx), context)).map((s) => s.subjectKey),
      );
      ruleMs = Math.min(ruleMs, performance.now() - t);
      t = performance.now();
      baseKeys = await tuned((trx) => baselineKeys(trx, rule.id));
      baseMs = Math.min(baseMs, performance.now() - t);
    }
    const same = ruleKeys.length === new Set(baseKeys).size && baseKeys.every((k) => ruleKeys.includes(k));
    const ratio = ruleMs / baseMs;
    worstRatio = Math.max(worstRatio, ratio);
    console.log(
      `  ${rule.id.padEnd(30)} ${String(want.size).padStart(7)} ${String(got.size).padStart(6)} ${String(missed.length).padStart(6)} ${String(extra.length).padStart(6)}  ${(inRun.get(rule.id) ?? 0).toFixed(2).padStart(7)} ${secs(ruleMs).padStart(7)} ${secs(baseMs).padStart(7)} ${ratio.toFixed(2).padStart(6)}  ${same ? 'yes' : `NO (${baseKeys.length} vs ${ruleKeys.length})`}`,
    );
    if (missed.length) console.log(`      missed: ${missed.slice(0, 3).join(', ')}`);
    if (extra.length) console.log(`      false positives: ${extra.slice(0, 3).join(', ')}`);
  }
  const recall = planted ? hits / planted : 1;
  const precision = total ? hits / total : 1;
  console.log(
    `\n  recall ${(recall * 100).toFixed(1)} % (${hits}/${planted} planted subjects found), precision ${(precision * 100).toFixed(1)} % (${hits}/${total} findings on planted subjects)`,
  );
  console.log(`  worst rule/SQL ratio ${worstRatio.toFixed(2)} (goal ≤ 1.5)`);

  const tr = performance.now();
  const risk = await services.risk.list(actor, { limit: 10 });
  console.log(
    `  risk scores of ${risk.total.toLocaleString('en')} partners in ${secs(performance.now() - tr)} s (high ${risk.byLevel.high}, medium ${risk.byLevel.medium}, low ${risk.byLevel.low})`,
  );
  return { engine, fullRunSeconds: fullRun / 1000, recall, precision, worstRatio };
}

async function main() {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const wanted = process.env.BENCH_ENGINE ?? 'both';
  console.log(
    `controls bench: scale ${scale} — ${P.toLocaleString('en')} partners, ${C} certifications, ${S.toLocaleString('en')} assessment sessions, ${N.toLocaleString('en')} candidates, ${(N * 3).toLocaleString('en')} assessment results`,
  );
  const results: EngineResult[] = [];
  if (wanted === 'both' || wanted === 'pglite') results.push(await benchEngine('pglite', url));
  if ((wanted === 'both' || wanted === 'postgresql') && url !== 'none') {
    try {
      results.push(await benchEngine('postgresql', url));
    } catch (error) {
      if (wanted === 'postgresql') throw error;
      console.log(`\n(PostgreSQL skipped: ${(error as Error).message})`);
    }
  }
  console.log('\nsummary');
  for (const r of results)
    console.log(
      `  ${r.engine.padEnd(10)} full run ${r.fullRunSeconds.toFixed(1)} s, recall ${(r.recall * 100).toFixed(1)} %, precision ${(r.precision * 100).toFixed(1)} %, worst rule/SQL ratio ${r.worstRatio.toFixed(2)}`,
    );
}

await main();
