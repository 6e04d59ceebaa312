// Issue #5 benchmark: upload of a 20,000-row assessment-results XLSX (2,000 candidates × 10 skill blocks)
// through the whole service: the workbook read, every row mapped and checked, each candidate found among those
// registered, the results recorded through the assessment service's rules in one transaction, committed. The
// figure is rows per second and, as the ratio the project requires, the time against reading (parsing) the
// same XLSX alone, measured in the same run. A dry run (every check, nothing kept) is measured too.
// Environment: BENCH_SCALE (default 1 = 20,000 rows; 0.05 for a quick run), BENCH_DATABASE_URL (a PostgreSQL
// server to run on instead of the embedded PGlite).
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import pg from 'pg';
import { systemActor } from '../src/core/access/policy.js';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { assessmentResultColumns, readUploadTable } from '../src/importers/chain-upload/index.js';
import { createServices } from '../src/services/index.js';

const BLOCKS = 10;
const rows = Math.max(BLOCKS, Math.round(20_000 * Number(process.env.BENCH_SCALE ?? 1)));
const candidates = Math.ceil(rows / BLOCKS);
const actor = systemActor('bench');

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** A distinct birth name per candidate, letters only (`Martin-bac`), as the civil registry would write it. */
const birthNameOf = (n: number) =>
  `Martin-${String(n)
    .split('')
    .map((d) => LETTERS[Number(d)])
    .join('')}`;
const birthDateOf = (n: number) => `19${70 + (n % 30)}-0${1 + (n % 9)}-1${n % 10}`;

async function openBenchDatabase(): Promise<DatabaseHandle & { engine: string }> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    const handle = await openDatabase({});
    await migrateToLatest(handle.db);
    return handle;
  }
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const handle = await openDatabase({ url: scoped.toString(), poolSize: 4 });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}

/** A certification with BLOCKS blocks, `candidates` candidates registered in a held assessment session. */
async function seed(handle: DatabaseHandle) {
  const db = handle.db;
  const { id: certificationId } = await db
    .insertInto('certifications')
    .values({ code: 'RNCP39999', register: 'RNCP', title: 'Certification du banc d’essai', isOwned: true })
    .returning('id')
    .executeTakeFirstOrThrow();
  const blocks = await db
    .insertInto('skillBlocks')
    .values(
      Array.from({ length: BLOCKS }, (_, i) => ({
        certificationId,
        code: `RNCP39999BC${String(i + 1).padStart(2, '0')}`,
        title: `Bloc ${i + 1}`,
      })),
    )
    .returning(['id', 'code'])
    .execute();
  const { id: sessionId } = await db
    .insertInto('assessmentSessions')
    .values({
      certificationId,
      organiserId: null,
      startsAt: new Date('2026-03-02T08:00:00Z'),
      status: 'held',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let start = 0; start < candidates; start += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, candidates - start) }, (_, i) => start + i);
    const ids = await db
      .insertInto('candidates')
      .values(
        batch.map((n) => ({
          organisationId: null,
          birthName: birthNameOf(n),
          firstNames: 'Camille',
          sex: 'F',
          birthDate: birthDateOf(n),
          birthPlaceCode: '69123',
        })),
      )
      .returning('id')
      .execute();
    await db
      .insertInto('assessmentSessionCandidates')
      .values(ids.map((c) => ({ assessmentSessionId: sessionId, candidateId: c.id })))
      .execute();
  }
  return { sessionId, blockCodes: blocks.map((b) => b.code).sort() };
}

/** The results workbook as an evaluator fills it from the template: one row per candidate and block. */
async function workbook(blockCodes: string[]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Résultats');
  sheet.addRow(['nom_naissance', 'prenoms', 'date_naissance', 'code_bloc', 'note', 'note_max', 'decision']);
  let written = 0;
  for (let n = 0; n < candidates && written < rows; n++)
    for (const code of blockCodes) {
      if (written++ >= rows) break;
      const score = (n * 7 + code.length) % 21;
      sheet.addRow([
        birthNameOf(n),
        'Camille',
        new Date(`${birthDateOf(n)}T00:00:00Z`),
        code,
        score,
        20,
        score >= 10 ? 'admis' : 'ajourne',
      ]);
    }
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rssMb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

async function main() {
  const handle = await openBenchDatabase();
  try {
    const services = createServices(handle, {
      publicUrl: 'https://bench.example',
      filesDir: '/tmp',
      dataDir: '/tmp',
    });
    const rssOpened = rssMb();
    const { sessionId, blockCodes } = await seed(handle);
    const rssSeeded = rssMb();
    const content = await workbook(blockCodes);
    const rssBefore = rssMb();
    const file = { fileName: 'resultats.xlsx', content };
    console.log(
      `chain upload: ${rows.toLocaleString('en')} result rows (${candidates.toLocaleString('en')} candidates × ${BLOCKS} blocks), XLSX ${(content.length / 1024 / 1024).toFixed(1)} MB, ${handle.engine}`,
    );

    // Baseline: reading the same workbook into rows, nothing else.
    let parseMs = Number.POSITIVE_INFINITY;
    for (let round = 0; round < 2; round++) {
      const started = performance.now();
      const table = await readUploadTable(content, assessmentResultColumns);
      parseMs = Math.min(parseMs, performance.now() - started);
      if (table.rows.length !== rows || table.issues.length)
        throw new Error('the workbook did not read back');
    }

    const upload = async (dryRun: boolean) => {
      const started = performance.now();
      const report = await services.chainUploads.uploadAssessmentResults(
        actor,
        { assessmentSessionId: sessionId, dryRun },
        file,
      );
      const ms = performance.now() - started;
      if (report.errors.length)
        throw new Error(`the upload was refused: ${JSON.stringify(report.errors.slice(0, 3))}`);
      return { ms, report };
    };
    const dry = await upload(true);
    const real = await upload(false);
    const stored = await handle.db
      .selectFrom('assessmentResults')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (!real.report.committed || Number(stored.n) !== rows)
      throw new Error(`expected ${rows} results stored, found ${stored.n}`);
    void sql;

    console.log(
      `  parse only (baseline): ${seconds(parseMs)} (${Math.round(rows / (parseMs / 1000)).toLocaleString('en')} rows/s)`,
    );
    console.log(
      `  dry run:               ${seconds(dry.ms)} (${Math.round(rows / (dry.ms / 1000)).toLocaleString('en')} rows/s), ${(dry.ms / parseMs).toFixed(2)}× parse`,
    );
    console.log(
      `  upload, committed:     ${seconds(real.ms)} (${Math.round(rows / (real.ms / 1000)).toLocaleString('en')} rows/s), ${(real.ms / parseMs).toFixed(2)}× parse`,
    );
    // Where the memory goes: the process with its database open (PGlite's WASM heap lives here), after the
    // seed, after the bench wrote the workbook (ExcelJS's in-memory model), then the peak of the whole run.
    console.log(
      `  RSS: ${rssOpened} MB database open, ${rssSeeded} MB seeded, ${rssBefore} MB workbook written; peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
    );
  } finally {
    await handle.close();
  }
}

await main();
