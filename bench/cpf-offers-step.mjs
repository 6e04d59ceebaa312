// One measured step of bench/cpf-offers.bench.ts, in its own process:
//   node cpf-offers-step.mjs <modules> <step> <file> <database>
// <modules> is the directory of the application's modules: the build (compiled by tsc, as `bin/habilis.js`
// runs it once built) or, with `--import tsx`, src/. Plain JavaScript, so a step of the build carries no
// tsx loader (its own thread and ~40 MB of RSS that no user process has). Steps: `parse` (the importer's
// records read and validated, nothing stored: the baseline) and `import` (as `habilis import cpf-offers`
// runs it: every service wired, then the import alone timed). Prints one JSON line: the step, its wall and
// CPU seconds, its peak RSS, and what it read or wrote. BENCH_MEMTRACE=1 also prints the process's memory
// to stderr twice a second (BENCH_MEMTRACE=gc: after a full collection, which shows the live heap; needs
// node's --expose-gc, and slows the step).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { printStep, startSampler, timedImport } from './step-support.mjs';

const [modules, step, file, database] = process.argv.slice(2);
if (!modules || !step || !file || !database) throw new Error('usage: <modules> <step> <file> <database>');
const load = (name) => import(pathToFileURL(path.join(modules, name)).href);

const sampler = startSampler();

let detail = {};
let seconds = 0;
let cpu = { user: 0, system: 0 };
if (step === 'parse') {
  const { parseCpfCatalogueFile } = await load('importers/cpf-catalogue/index.js');
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  let records = 0;
  let rejects = 0;
  for await (const item of parseCpfCatalogueFile(file)) {
    if (item.kind === 'record') records++;
    else if (item.kind === 'reject') rejects++;
  }
  seconds = (performance.now() - started) / 1000;
  cpu = process.cpuUsage(cpuStart);
  detail = { records, rejects };
} else if (step === 'import') {
  const run = await timedImport(load, database, (services, actor) =>
    services.cpfOffers.importCatalogue(actor, file),
  );
  ({ seconds, cpu } = run);
  detail = {
    offers: run.summary.offers,
    matched: run.summary.matched,
    changes: run.summary.changes,
    findings: run.summary.findings,
    findingChanges: run.summary.findingChanges,
    rejected: run.summary.rejected.length,
  };
} else throw new Error(`unknown step ${step}`);
printStep(step, seconds, cpu, sampler.stop(), detail);
