// Issue #3 benchmark: import of a France Compétences RNCP export of real size (25,000 fiches, ~570 MB of
// XML, blocs, long texts, ~300,000 partner rows, shaped like the real samples), generated into a temp dir
// (never committed). Prints, measured in the same run on the same file with the same parser:
//   - parse-only: the importer's records read and validated, nothing stored (the baseline);
//   - full import into an empty registry, as a ratio to parse-only (goal ≤ 2), and the peak RSS (goal ≤ 400 MB);
//   - re-import of the unchanged file, as a ratio to parse-only (goal ≤ 1.2).
// The steps run the server compiled by tsc (as `bin/habilis.js` runs dist/ once built), without tsx;
// BENCH_SOURCE=ts runs the TypeScript sources through tsx instead.
// Environment: BENCH_SCALE (default 1 = 25,000 fiches; 0.05 for a quick run), BENCH_ENGINE (pglite,
// postgresql or both; default both when BENCH_DATABASE_URL or the local server answers), BENCH_DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/test; "none" to skip PostgreSQL), BENCH_HEAP_MB to cap the V8
// heap of the measured processes (--max-old-space-size; unset: node's default, which lets garbage grow
// before collecting), BENCH_KEEP=1 to keep the generated file. Each measured step runs in its own child
// process, so its peak RSS is its own; its JSON line also gives `cpuSeconds`, the CPU time of that process
// while measured (every thread, not the PostgreSQL server's), steadier than wall time on a busy machine.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BenchModules, buildModules, repositoryRoot } from './build-modules.js';

const FULL_FICHES = 25_000;

// ---------------------------------------------------------------------------------------------------------
// Synthetic export generator
// ---------------------------------------------------------------------------------------------------------

/** Deterministic PRNG (mulberry32): the same scale gives the same file. */
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

const words = (
  'analyser concevoir piloter organiser évaluer contrôler réaliser accompagner gérer encadrer mettre œuvre ' +
  'projet équipe client chantier qualité sécurité réglementation environnement données système réseau ' +
  'formation apprenant compétence situation professionnelle dossier étude cas pratique mise jury épreuve ' +
  'entreprise production maintenance commercial stratégie budget planning risque procédure document ' +
  'communication oral écrit numérique outil méthode technique l’activité d’un des les pour avec dans sur'
).split(' ');

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

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Writes a synthetic `export_fiches_RNCP_V4_1_*.xml` of `fiches` fiches into `dir` and returns its path.
 * Sizes follow the real export: ~23 KB per fiche on average (long texts: activities, competences, jury
 * compositions, blocs), partners skewed (most fiches none or a few, some hundreds; ~12 per fiche on
 * average), ~2.2 blocs per fiche.
 */
export async function generateRncpExport(dir: string, fiches: number, seed = 42): Promise<string> {
  const random = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const sentence = (n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(pick(words));
    const s = out.join(' ');
    return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
  };
  const text = (approxChars: number) => {
    const parts: string[] = [];
    let length = 0;
    while (length < approxChars) {
      const s = `- ${sentence(int(6, 16))}`;
      parts.push(s);
      length += s.length + 2;
    }
    return escapeXml(parts.join('  '));
  };
  const date = () =>
    `${String(int(1, 28)).padStart(2, '0')}/${String(int(1, 12)).padStart(2, '0')}/${int(2015, 2030)}`;
  // A pool of partner organisations, shared across fiches as in the real network (34,000 SIRETs).
  const pool = Array.from({ length: Math.max(50, Math.round((34_000 * fiches) / FULL_FICHES)) }, (_, i) => ({
    siret: luhnComplete(`${String(100_000_000 + i * 37).slice(-9)}0001`),
    name: `CENTRE DE FORMATION ${sentence(3).toUpperCase().replace(/\.$/, '')} ${i}`,
  }));
  const file = path.join(dir, 'export_fiches_RNCP_V4_1_2026-08-16.xml');
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write('<?xml version="1.0" encoding="UTF-8"?>\n<FICHES>\n  <VERSION_FLUX>4.1</VERSION_FLUX>\n');
  for (let n = 0; n < fiches; n++) {
    const code = `RNCP${30_000 + n}`;
    const active = random() < 0.22;
    const parts: string[] = [];
    const el = (name: string, value: string, indent = '    ') =>
      parts.push(`${indent}<${name}>${value}</${name}>`);
    parts.push('  <FICHE>');
    el('ID_FICHE', String(10_000 + n));
    el('NUMERO_FICHE', code);
    if (random() < 0.4)
      parts.push(
        `    <ANCIENNES_CERTIFICATIONS>\n      <ANCIENNE_CERTIFICATION>\n        <ID_FICHE_ANCIENNE_CERTIFICATION>RNCP${int(100, 29_999)}</ID_FICHE_ANCIENNE_CERTIFICATION>\n      </ANCIENNE_CERTIFICATION>\n    </ANCIENNES_CERTIFICATIONS>`,
      );
    el('INTITULE', escapeXml(sentence(int(3, 9)).replace(/\.$/, '')));
    el('ETAT_FICHE', pick(['Publiée', 'Publiée', 'Publiée', 'Modifications à valider']));
    parts.push(
      `    <FORMACODES>\n      <FORMACODE>\n        <CODE>${int(10_000, 99_999)}</CODE>\n        <LIBELLE>${sentence(3)}</LIBELLE>\n      </FORMACODE>\n    </FORMACODES>`,
    );
    const level = int(3, 8);
    parts.push(
      `    <NOMENCLATURE_EUROPE>\n      <NIVEAU>NIV${level}</NIVEAU>\n      <LIBELLE>Niveau ${level}</LIBELLE>\n    </NOMENCLATURE_EUROPE>`,
    );
    parts.push(
      `    <CODES_NSF>\n      <NSF>\n        <CODE>${int(100, 399)}</CODE>\n        <LIBELLE>${sentence(4)}</LIBELLE>\n      </NSF>\n    </CODES_NSF>`,
    );
    const certifiers = int(1, 3);
    parts.push('    <CERTIFICATEURS>');
    for (let c = 0; c < certifiers; c++) {
      const org = pick(pool);
      parts.push(
        `      <CERTIFICATEUR>\n        <SIRET_CERTIFICATEUR>${org.siret}</SIRET_CERTIFICATEUR>\n        <NOM_CERTIFICATEUR>${org.name}</NOM_CERTIFICATEUR>\n        <ETAT_CERTIFICATEUR>Actif</ETAT_CERTIFICATEUR>\n        <DATE_DERNIERE_MODIFICATION_ETAT>${date()}</DATE_DERNIERE_MODIFICATION_ETAT>\n      </CERTIFICATEUR>`,
      );
    }
    parts.push('    </CERTIFICATEURS>');
    // Partners: 55 % of fiches none, most others a handful, 1.5 % hundreds: ~12 on average.
    const r = random();
    const partners = r < 0.55 ? 0 : r < 0.985 ? int(1, 30) : int(200, 470);
    el('EXISTENCE_PARTENAIRES', partners ? 'Oui' : 'Non');
    if (partners) {
      parts.push('    <PARTENAIRES>');
      const start = int(0, pool.length - 1);
      for (let p = 0; p < partners; p++) {
        const org = pool[(start + p) % pool.length]!;
        parts.push(
          `      <PARTENAIRE>\n        <NOM_PARTENAIRE>${org.name}</NOM_PARTENAIRE>\n        <SIRET_PARTENAIRE>${org.siret}</SIRET_PARTENAIRE>\n        <HABILITATION_PARTENAIRE>${pick(['HABILITATION_ORGA_FORM', 'HABILITATION_ORGA_FORM', 'HABILITATION_FORMER', 'HABILITATION_ORGANISER'])}</HABILITATION_PARTENAIRE>\n        <ETAT_HABILITATION>${random() < 0.77 ? 'Actif' : 'Inactif'}</ETAT_HABILITATION>\n        <DATE_ACTIF>${date()}</DATE_ACTIF>\n        <DATE_DERNIERE_MODIFICATION_ETAT>${date()}</DATE_DERNIERE_MODIFICATION_ETAT>\n      </PARTENAIRE>`,
        );
      }
      parts.push('    </PARTENAIRES>');
    }
    el('ACTIVITES_VISEES', text(int(700, 2_820)));
    el('CAPACITES_ATTESTEES', text(int(700, 3_510)));
    el('SECTEURS_ACTIVITE', text(int(160, 630)));
    el('TYPE_EMPLOI_ACCESSIBLES', text(int(70, 310)));
    parts.push(
      `    <CODES_ROME>\n      <ROME>\n        <CODE>M${int(1000, 1999)}</CODE>\n        <LIBELLE>${sentence(4)}</LIBELLE>\n      </ROME>\n    </CODES_ROME>`,
    );
    el('REGLEMENTATIONS_ACTIVITES', 'Sans objet');
    const jury = text(int(160, 700));
    for (const route of ['FI', 'CA', 'FC', 'CQ', 'CL', 'VAE']) {
      const open = random() < 0.7;
      parts.push(
        `    <SI_JURY_${route}>\n      <ACTIF>${open ? 'Oui' : 'Non'}</ACTIF>${open ? `\n      <COMPOSITION>${jury}</COMPOSITION>` : ''}\n    </SI_JURY_${route}>`,
      );
    }
    el('ACCESSIBLE_NOUVELLE_CALEDONIE', 'Non');
    el('ACCESSIBLE_POLYNESIE_FRANCAISE', 'Non');
    el('DATE_DECISION', date());
    el('DUREE_ENREGISTREMENT', String(pick([2, 3, 5])));
    parts.push('    <STATISTIQUES_PROMOTIONS>');
    for (let y = 0; y < int(0, 3); y++) {
      parts.push(
        `      <STATISTIQUES_PROMOTION>\n        <ANNEE>${2019 + y}</ANNEE>\n        <NOMBRE_CERTIFIES>${int(5, 900)}</NOMBRE_CERTIFIES>\n        <NOMBRE_CERTIFIES_VAE>${int(0, 50)}</NOMBRE_CERTIFIES_VAE>\n        <TAUX_INSERTION_GLOBAL_6MOIS>${int(50, 100)}</TAUX_INSERTION_GLOBAL_6MOIS>\n      </STATISTIQUES_PROMOTION>`,
      );
    }
    parts.push('    </STATISTIQUES_PROMOTIONS>');
    el('LIEN_URL_DESCRIPTION', `https://www.exemple-${n}.fr`);
    el('DATE_FIN_ENREGISTREMENT', date());
    el('TYPE_ENREGISTREMENT', 'Enregistrement sur demande');
    const blocks = random() < 0.3 ? 0 : int(1, 6);
    if (blocks) {
      parts.push('    <BLOCS_COMPETENCES>');
      for (let b = 1; b <= blocks; b++) {
        parts.push(
          `      <BLOC_COMPETENCES>\n        <CODE>${code}BC${String(b).padStart(2, '0')}</CODE>\n        <LIBELLE>${sentence(int(3, 8))}</LIBELLE>\n        <LISTE_COMPETENCES>${text(int(550, 2_500))}</LISTE_COMPETENCES>\n        <MODALITES_EVALUATION>${text(int(70, 470))}</MODALITES_EVALUATION>\n      </BLOC_COMPETENCES>`,
        );
      }
      parts.push('    </BLOCS_COMPETENCES>');
    }
    el('OBJECTIFS_CONTEXTE', text(int(350, 1_720)));
    el('ACTIF', active ? 'Oui' : 'Non');
    el('PREREQUIS_ENTREE_FORMATION', text(int(70, 470)));
    parts.push('  </FICHE>\n');
    await write(parts.join('\n'));
  }
  await write('</FICHES>\n');
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return file;
}

// ---------------------------------------------------------------------------------------------------------
// Measured steps (each in a child process: see registry-import-step.mjs)
// ---------------------------------------------------------------------------------------------------------

interface StepResult {
  step: string;
  seconds: number;
  /** CPU time of the step's process (every thread; not the PostgreSQL server's) while measured. */
  cpuSeconds: number;
  peakRssMb: number;
  detail: Record<string, unknown>;
}

function child(build: BenchModules, step: string, file: string, database: string): StepResult {
  const runner = path.join(repositoryRoot, 'bench', 'registry-import-step.mjs');
  const heap = process.env.BENCH_HEAP_MB ? [`--max-old-space-size=${Number(process.env.BENCH_HEAP_MB)}`] : [];
  const result = spawnSync(
    process.execPath,
    [...heap, ...build.loader, runner, build.modules, step, file, database],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (result.status !== 0) throw new Error(`step ${step} failed (${result.status})`);
  const line = result.stdout.trim().split('\n').at(-1)!;
  return JSON.parse(line) as StepResult;
}

async function resetPostgres(url: string): Promise<string> {
  const pg = (await import('pg')).default;
  const schema = `bench_registry_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return scoped.toString();
}

async function dropPostgresSchema(url: string, scopedUrl: string): Promise<void> {
  const schema = /search_path=([a-z0-9_]+)/.exec(decodeURIComponent(new URL(scopedUrl).search))?.[1];
  if (!schema) return;
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop schema ${schema} cascade`);
  await client.end();
}

async function postgresAvailable(url: string): Promise<boolean> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function main() {
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  const fiches = Math.max(10, Math.round(FULL_FICHES * scale));
  const dir = mkdtempSync(path.join(tmpdir(), 'habilis-registry-bench-'));
  try {
    const t0 = performance.now();
    const file = await generateRncpExport(dir, fiches);
    const mb = statSync(file).size / 1e6;
    const build = buildModules(dir);
    console.log(
      `generated ${fiches} fiches, ${mb.toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s (${file})`,
    );

    const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const engines = (process.env.BENCH_ENGINE ?? 'both').split(',');
    const targets: { engine: string; database: string; cleanup?: () => Promise<void> }[] = [];
    if (engines.includes('pglite') || engines.includes('both'))
      targets.push({ engine: 'pglite', database: path.join(dir, 'pglite') });
    if ((engines.includes('postgresql') || engines.includes('both')) && pgUrl !== 'none') {
      if (await postgresAvailable(pgUrl)) {
        const scoped = await resetPostgres(pgUrl);
        targets.push({
          engine: 'postgresql',
          database: scoped,
          cleanup: () => dropPostgresSchema(pgUrl, scoped),
        });
      } else console.log(`PostgreSQL at ${pgUrl} does not answer: skipped`);
    }

    const rows: string[] = [];
    for (const target of targets) {
      child(build, 'prepare', file, target.database);
      const parse = child(build, 'parse', file, target.database);
      const first = child(build, 'import', file, target.database);
      const again = child(build, 'import', file, target.database);
      const parse2 = child(build, 'parse', file, target.database);
      // Baseline: the faster of two parse-only passes (before and after), so noise does not flatter the ratio.
      const baseline = Math.min(parse.seconds, parse2.seconds);
      rows.push(
        `${target.engine}: parse-only ${baseline.toFixed(1)} s (${(mb / baseline).toFixed(0)} MB/s, peak RSS ${parse.peakRssMb} MB); ` +
          `import ${first.seconds.toFixed(1)} s = ${(first.seconds / baseline).toFixed(2)}× parse-only (goal ≤ 2), peak RSS ${first.peakRssMb} MB (goal ≤ 400); ` +
          `re-import ${again.seconds.toFixed(1)} s = ${(again.seconds / baseline).toFixed(2)}× (goal ≤ 1.2), peak RSS ${again.peakRssMb} MB`,
      );
      console.log(rows.at(-1));
      console.log(
        `  load average at the end: ${loadavg()
          .map((l) => l.toFixed(2))
          .join(', ')}`,
      );
      console.log(
        `  CPU seconds of the process (steadier than wall time under load): parse-only ${parse.cpuSeconds} / ${parse2.cpuSeconds}, import ${first.cpuSeconds}, re-import ${again.cpuSeconds}; wall: parse-only ${parse.seconds.toFixed(1)} / ${parse2.seconds.toFixed(1)} s`,
      );
      console.log(`  parse: ${JSON.stringify(parse.detail)}`);
      console.log(`  import: ${JSON.stringify(first.detail)}`);
      console.log(`  re-import: ${JSON.stringify(again.detail)}`);
      await target.cleanup?.();
    }
  } finally {
    if (process.env.BENCH_KEEP === '1') console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

// Run only when executed, not when imported (the generator is reusable).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
