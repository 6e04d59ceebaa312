// Issue #7 benchmark: import of the Caisse des Dépôts catalogue of CPF offers with the communication
// control, on a synthetic catalogue (generated into a temp dir, never committed) of 300,000 offers naming
// 200 certifications, sold by 10,000 partners (3 habilitations each, some evaluation-only, suspended or
// partial, conventions with price bounds, some Qualiopi lapsed) and by 2,000 unknown sellers. Every offer
// names one of the certifier's certifications (the worst case: all are kept and checked). Rows carry
// ~1.8 KB each (highlights, objective, content); one seller in five names its offers its own way (title
// differing from the exact title), three in a hundred make a forbidden claim. Prints, measured in the same
// run on the same file:
//   - parse-only: the importer's records read and validated, nothing stored (the baseline);
//   - first import + matching into an empty catalogue, as a ratio to parse-only (goal ≤ 2), and the peak
//     RSS (goal ≤ 400 MB);
//   - re-import of the same file (nothing changed), as a ratio to parse-only.
// The measured steps run the server compiled by tsc (as `bin/habilis.js` runs dist/ once built) through
// bench/cpf-offers-step.mjs, each in its own child process so its peak RSS (the kernel's high-water mark)
// is its own; BENCH_SOURCE=ts runs the TypeScript sources through tsx instead.
// Environment: BENCH_SCALE (default 1 = 300,000 offers; 0.05 for a quick run), BENCH_ENGINE (pglite,
// postgresql or both; default both), BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test;
// "none" to skip PostgreSQL), BENCH_HEAP_MB to cap the V8 heap of the measured steps (unset: node's
// default, which lets garbage grow before collecting), BENCH_MEMTRACE=1 (or gc) to print each step's
// memory twice a second (see cpf-offers-step.mjs), BENCH_KEEP=1 to keep the generated file.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchModules, buildModules, repositoryRoot } from './build-modules.js';

const FULL_OFFERS = 300_000;
const CERTIFICATIONS = 200;
const PARTNERS = 10_000;
const UNKNOWN_SELLERS = 2_000;

/** Deterministic PRNG (mulberry32): the same scale gives the same file and the same seed data. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function luhnComplete(digits: string): string {
  for (let d = 0; d <= 9; d++) {
    const s = `${digits}${d}`;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let v = s.charCodeAt(s.length - 1 - i) - 48;
      if (i % 2 === 1) {
        v *= 2;
        if (v > 9) v -= 9;
      }
      sum += v;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error('unreachable');
}

/** The SIRET of partner n (n < PARTNERS) or of unknown seller n (n ≥ PARTNERS); `nic` 1 = head office. */
function siretOf(n: number, nic = 1): string {
  const siren = luhnComplete(String(20_000_000 + n * 3).padStart(8, '0'));
  return luhnComplete(`${siren}${String(nic).padStart(4, '0')}`);
}

const words = (
  'analyser concevoir piloter organiser évaluer contrôler réaliser accompagner gérer encadrer mettre œuvre ' +
  'projet équipe client chantier qualité sécurité réglementation environnement données système réseau ' +
  'formation apprenant compétence situation professionnelle dossier étude cas pratique mise jury épreuve ' +
  'entreprise production maintenance commercial stratégie budget planning risque procédure document'
).split(' ');

const certificationCode = (i: number) => `RNCP${38_000 + i}`;
const certificationTitle = (i: number) =>
  `${['Responsable', 'Chargé', 'Technicien', 'Gestionnaire', 'Concepteur'][i % 5]} ${words[i % words.length]} ${words[(i * 7) % words.length]} ${i}`;
/** Partner p is habilitated for these three certifications. */
const certificationsOf = (p: number) => [
  (p * 7) % CERTIFICATIONS,
  (p * 7 + 13) % CERTIFICATIONS,
  (p * 7 + 29) % CERTIFICATIONS,
];

const HEADER = [
  'date_extract',
  'nom_of',
  'nom_departement',
  'nom_region',
  'type_referentiel',
  'code_inventaire',
  'code_rncp',
  'intitule_certification',
  'libelle_niveau_sortie_formation',
  'code_formacode_1',
  'libelle_code_formacode_principal',
  'code_nsf_1',
  'libelle_nsf_1',
  'code_certifinfo',
  'siret',
  'numero_formation',
  'intitule_formation',
  'points_forts',
  'objectif_formation',
  'contenu_formation',
  'nb_action',
  'nb_session_active',
  'nb_session_a_distance',
  'nombre_heures_total_min',
  'nombre_heures_total_max',
  'nombre_heures_total_mean',
  'frais_ttc_tot_min',
  'frais_ttc_tot_max',
  'frais_ttc_tot_mean',
  'code_departement',
  'code_region',
];

/** Writes the synthetic catalogue (CSV, `;`, UTF-8) and returns its path. */
export async function generateCatalogue(dir: string, offers: number, seed = 7): Promise<string> {
  const random = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const sentence = (n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(pick(words));
    return `${out.join(' ')}.`;
  };
  const file = path.join(dir, 'moncompteformation_catalogueformation.csv');
  const out = createWriteStream(file);
  const write = (s: string) =>
    new Promise<void>((resolve) => {
      if (out.write(s)) resolve();
      else out.once('drain', resolve);
    });
  const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
  await write(`${HEADER.join(';')}\n`);
  const lines: string[] = [];
  for (let i = 0; i < offers; i++) {
    const r = random();
    let seller: number;
    let cert: number;
    let nic = 1;
    if (r < 0.05) {
      seller = PARTNERS + int(0, UNKNOWN_SELLERS - 1);
      cert = int(0, CERTIFICATIONS - 1);
    } else {
      seller = int(0, PARTNERS - 1);
      const own = certificationsOf(seller);
      cert = random() < 0.99 ? pick(own) : int(0, CERTIFICATIONS - 1);
      if (r > 0.99) nic = 2;
    }
    const title = certificationTitle(cert);
    // Sellers have habits: one in five names its offers its own way, three in a hundred over-claim.
    const style = Math.imul(seller, 2654435761) >>> 0;
    const t = random();
    const offerTitle =
      style % 100 < 20
        ? `${title.slice(0, -3)}${pick(['', 's', ' - parcours'])} en ${pick(['alternance', 'distanciel', 'présentiel'])}`
        : t < 0.95
          ? `Titre professionnel ${title}`
          : `${title} - Bloc ${int(1, 3)}`;
    const claim = style % 100 >= 20 && style % 100 < 23 ? ' Diplôme Bac+5 reconnu.' : '';
    const price = int(900, 9000);
    const sessions = int(1, 8);
    lines.push(
      [
        '2026-03-01',
        q(`Organisme ${seller}`),
        'Rhône',
        q('Auvergne-Rhône-Alpes'),
        'RNCP',
        '',
        certificationCode(cert).slice(4),
        q(title),
        q('Niveau 6 (Bachelor, licence...)'),
        '31054',
        'Informatique',
        '326',
        q('Informatique, traitement de l’information'),
        String(100_000 + cert),
        siretOf(seller, nic),
        `${siretOf(seller, nic)}_${i}`,
        q(offerTitle),
        q(`${sentence(int(25, 45))}${claim}`),
        q(sentence(int(25, 45))),
        q(`${sentence(int(40, 80))} ${sentence(int(20, 40))}`),
        String(int(1, 4)),
        String(sessions),
        String(int(0, sessions)),
        '350',
        '420',
        '385.5',
        String(price),
        String(price + int(0, 500)),
        String(price + 250),
        '69',
        '84',
      ].join(';'),
    );
    if (lines.length === 1000) {
      await write(`${lines.join('\n')}\n`);
      lines.length = 0;
    }
  }
  if (lines.length) await write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return file;
}

// ---------------------------------------------------------------------------------------------------------
// Reference data: 200 certifications (3 blocks each), 10,000 partners, 30,000 habilitations, conventions.
// ---------------------------------------------------------------------------------------------------------

async function seed(database: string): Promise<void> {
  const { openDatabase } = await import('../src/db/database.js');
  const { migrateToLatest } = await import('../src/db/migrate.js');
  const handle = await openDatabase(
    database.startsWith('postgres') ? { url: database } : { dataDir: database },
  );
  await migrateToLatest(handle.db);
  const db = handle.db;
  const random = prng(99);
  const certs = await db
    .insertInto('certifications')
    .values(
      Array.from({ length: CERTIFICATIONS }, (_, i) => ({
        code: certificationCode(i),
        register: 'RNCP' as const,
        title: certificationTitle(i),
        level: '6',
        isOwned: true,
      })),
    )
    .returning(['id', 'code'])
    .execute();
  const certId = new Map(certs.map((c) => [c.code, c.id]));
  const blocks = await db
    .insertInto('skillBlocks')
    .values(
      certs.flatMap((c) =>
        [1, 2, 3].map((b) => ({ certificationId: c.id, code: `${c.code}BC0${b}`, title: `Bloc ${b}` })),
      ),
    )
    .returning(['id', 'code'])
    .execute();
  const blockId = new Map(blocks.map((b) => [b.code, b.id]));
  for (let start = 0; start < PARTNERS; start += 1000) {
    const orgs = await db
      .insertInto('organisations')
      .values(
        Array.from({ length: Math.min(1000, PARTNERS - start) }, (_, k) => {
          const p = start + k;
          const siret = siretOf(p);
          return {
            siret,
            siren: siret.slice(0, 9),
            legalName: `Organisme ${p}`,
            qualiopiStatus: random() < 0.02 ? 'lapsed' : 'certified',
          };
        }),
      )
      .returning(['id', 'legalName'])
      .execute();
    const habilitations: {
      organisationId: string;
      certificationId: string;
      scope: string;
      status: string;
      startsOn: string;
      coversAllSkillBlocks: boolean;
    }[] = [];
    const conventions: {
      organisationId: string;
      reference: string;
      status: string;
      startsOn: string;
      signedOn: string;
      clauses: string;
    }[] = [];
    for (const o of orgs) {
      const p = Number(o.legalName.split(' ')[1]);
      for (const c of certificationsOf(p)) {
        const r = random();
        habilitations.push({
          organisationId: o.id,
          certificationId: certId.get(certificationCode(c))!,
          scope: r < 0.03 ? 'evaluate' : 'both',
          status: r > 0.98 ? 'suspended' : 'active',
          startsOn: '2024-01-01',
          coversAllSkillBlocks: random() > 0.2,
        });
      }
      conventions.push({
        organisationId: o.id,
        reference: `CONV-${p}`,
        status: 'signed',
        startsOn: '2024-01-01',
        signedOn: '2023-12-15',
        clauses: JSON.stringify({ cpfPriceBounds: { minCents: 100_000, maxCents: 900_000 } }),
      });
    }
    const habs = await db
      .insertInto('habilitations')
      .values(habilitations)
      .returning(['id', 'certificationId', 'coversAllSkillBlocks'])
      .execute();
    const codeOf = new Map(certs.map((c) => [c.id, c.code]));
    const partial = habs.filter((h) => !h.coversAllSkillBlocks);
    if (partial.length)
      await db
        .insertInto('habilitationSkillBlocks')
        .values(
          partial.map((h) => ({
            habilitationId: h.id,
            skillBlockId: blockId.get(`${codeOf.get(h.certificationId)}BC01`)!,
          })),
        )
        .execute();
    const convs = await db
      .insertInto('conventions')
      .values(conventions)
      .returning(['id', 'organisationId'])
      .execute();
    const habByOrg = new Map<string, string[]>();
    for (const h of habilitations)
      habByOrg.set(h.organisationId, [...(habByOrg.get(h.organisationId) ?? []), h.certificationId]);
    await db
      .insertInto('conventionCertifications')
      .values(
        convs.flatMap((c) =>
          (habByOrg.get(c.organisationId) ?? []).map((certificationId) => ({
            conventionId: c.id,
            certificationId,
          })),
        ),
      )
      .execute();
  }
  await handle.close();
}

// ---------------------------------------------------------------------------------------------------------
// Steps (each in a child process: the seed through tsx, `tsx cpf-offers.bench.ts --prepare <db>`; the
// measured steps through bench/cpf-offers-step.mjs on the compiled modules)
// ---------------------------------------------------------------------------------------------------------

interface StepResult {
  step: string;
  seconds: number;
  /** CPU time of this process (user + system): the whole work on PGlite, the client's share on PostgreSQL. */
  cpuSeconds: number;
  peakRssMb: number;
  detail: Record<string, unknown>;
}

function prepare(database: string): void {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--prepare', database],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error(`seeding failed (${result.status})`);
}

function child(build: BenchModules, step: string, file: string, database: string): StepResult {
  const runner = path.join(repositoryRoot, 'bench', 'cpf-offers-step.mjs');
  const heap = process.env.BENCH_HEAP_MB ? [`--max-old-space-size=${Number(process.env.BENCH_HEAP_MB)}`] : [];
  const gc = process.env.BENCH_MEMTRACE === 'gc' ? ['--expose-gc'] : [];
  const result = spawnSync(
    process.execPath,
    [...heap, ...gc, ...build.loader, runner, build.modules, step, file, database],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (result.status !== 0) throw new Error(`step ${step} failed (${result.status})`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as StepResult;
}

async function postgresSchema(url: string): Promise<{ scoped: string; drop: () => Promise<void> } | null> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
  } catch {
    return null;
  }
  const schema = `bench_cpf_${randomBytes(4).toString('hex')}`;
  await client.query(`create schema ${schema}`);
  await client.end();
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    scoped: scoped.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--prepare') {
    await seed(args[1]!);
    return;
  }
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  const offers = Math.max(100, Math.round(FULL_OFFERS * scale));
  const dir = mkdtempSync(path.join(tmpdir(), 'habilis-cpf-bench-'));
  try {
    const t0 = performance.now();
    const file = await generateCatalogue(dir, offers);
    const mb = statSync(file).size / 1e6;
    const build = buildModules(dir);
    console.log(
      `generated ${offers} offers, ${mb.toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const engines = (process.env.BENCH_ENGINE ?? 'both').split(',');
    const targets: { engine: string; database: string; cleanup?: () => Promise<void> }[] = [];
    if (engines.includes('pglite') || engines.includes('both'))
      targets.push({ engine: 'pglite', database: path.join(dir, 'pglite') });
    if ((engines.includes('postgresql') || engines.includes('both')) && pgUrl !== 'none') {
      const schema = await postgresSchema(pgUrl);
      if (schema) targets.push({ engine: 'postgresql', database: schema.scoped, cleanup: schema.drop });
      else console.log(`PostgreSQL at ${pgUrl} does not answer: skipped`);
    }
    for (const target of targets) {
      try {
        prepare(target.database);
        const parse = child(build, 'parse', file, target.database);
        const first = child(build, 'import', file, target.database);
        const again = child(build, 'import', file, target.database);
        const parse2 = child(build, 'parse', file, target.database);
        // Baseline: the faster of two parse-only passes (before and after), so noise does not flatter the ratio.
        // On a shared machine wall-clock time follows the load of the moment: CPU time is printed beside it.
        const baseline = Math.min(parse.seconds, parse2.seconds);
        const cpuBaseline = Math.min(parse.cpuSeconds, parse2.cpuSeconds);
        const ratio = (r: StepResult) =>
          `${r.seconds.toFixed(1)} s = ${(r.seconds / baseline).toFixed(2)}× (CPU ${r.cpuSeconds.toFixed(1)} s = ${(r.cpuSeconds / cpuBaseline).toFixed(2)}×)`;
        console.log(
          `${target.engine}: parse-only ${baseline.toFixed(1)} s, CPU ${cpuBaseline.toFixed(1)} s (${(mb / baseline).toFixed(0)} MB/s, peak RSS ${parse.peakRssMb} MB); ` +
            `import + matching ${ratio(first)} parse-only (goal ≤ 2), peak RSS ${first.peakRssMb} MB (goal ≤ 400); ` +
            `re-import ${ratio(again)}, peak RSS ${again.peakRssMb} MB`,
        );
        console.log(`  parse: ${JSON.stringify(parse.detail)}`);
        console.log(`  import: ${JSON.stringify(first.detail)}`);
        console.log(`  re-import: ${JSON.stringify(again.detail)}`);
      } finally {
        await target.cleanup?.();
      }
    }
  } finally {
    if (process.env.BENCH_KEEP === '1') console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
