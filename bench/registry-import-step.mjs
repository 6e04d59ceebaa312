// One measured step of bench/registry-import.bench.ts, in its own process:
//   node registry-import-step.mjs <modules> <step> <file> <database>
// <modules> is the directory of the application's modules: the build (JavaScript compiled by tsc, as
// `bin/habilis.js` runs it once built) or, with `--import tsx`, src/. Plain JavaScript so that a step of the
// compiled build runs without tsx's loader (its own thread and ~40 MB of RSS) that no user process has.
// Prints one JSON line: the step, its wall and CPU seconds, its peak RSS, and what it read or wrote.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { printStep, startSampler, timedImport } from './step-support.mjs';

const [modules, step, file, database] = process.argv.slice(2);
if (!modules || !step || !file || !database) throw new Error('usage: <modules> <step> <file> <database>');
const load = (name) => import(pathToFileURL(path.join(modules, name)).href);

const sampler = startSampler();

const { openFranceCompetencesExport } = await load('importers/france-competences/index.js');
const { openDatabase } = await load('db/database.js');
const { migrateToLatest } = await load('db/migrate.js');
const open = () => openDatabase(database.startsWith('postgres') ? { url: database } : { dataDir: database });

let detail = {};
let seconds = 0;
let cpu = { user: 0, system: 0 };
if (step === 'parse') {
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const source = await openFranceCompetencesExport(file);
  let fiches = 0;
  let partners = 0;
  for await (const record of source) {
    fiches++;
    partners += record.partners.length;
  }
  seconds = (performance.now() - started) / 1000;
  cpu = process.cpuUsage(cpuStart);
  detail = { fiches, partners, rejected: source.report.rejectedCount };
} else if (step === 'prepare') {
  const handle = await open();
  await migrateToLatest(handle.db);
  await handle.close();
} else if (step === 'import') {
  const run = await timedImport(load, database, (services, actor) =>
    services.registry.importFranceCompetences(actor, file, {}),
  );
  ({ seconds, cpu } = run);
  detail = {
    certifications: run.summary.certifications,
    skillBlocks: run.summary.skillBlocks,
    declaredPartners: run.summary.declaredPartners,
    changes: run.summary.changes,
  };
} else throw new Error(`unknown step ${step}`);
printStep(step, seconds, cpu, sampler.stop(), detail);
