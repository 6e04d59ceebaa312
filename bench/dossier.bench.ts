// Issue #8 benchmark: the evidence dossier of one certification with 2,000 partners, 20,000 findings and
// 1,000 then 10,000 evidence files (PDF report + streamed ZIP with manifest and audit-log extract), then its
// verification. Goal: the ZIP is written as a stream, so the peak RSS of the dossier at 10,000 files is at
// most 1.3 × its peak at 1,000 files. Time is printed as a ratio to a baseline of the same run: streaming the
// same evidence files into one file through a SHA-256 (the I/O the dossier cannot avoid).
// Each size is built in one process (PGlite on disk, files in a content-addressed store) and measured in a
// fresh one, so that the peak RSS is the dossier's own.
// Environment: BENCH_SCALE (default 1; 0.1 for a quick run: 200 partners, 2,000 findings, 100/1,000 files),
// BENCH_KEEP=1 to keep the data.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemActor } from '../src/core/access/policy.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { recordAudit } from '../src/services/audit.service.js';
import { createServices } from '../src/services/index.js';

const here = fileURLToPath(import.meta.url);
const scale = Number(process.env.BENCH_SCALE ?? 1);
const PARTNERS = Math.round(2000 * scale);
const FINDINGS = Math.round(20_000 * scale);
const SIZES = [Math.round(1000 * scale), Math.round(10_000 * scale)];
const CODE = 'RNCP77001';
const actor = systemActor('bench');

const siret = (n: number) => {
  const digits = String(10_000_000_000_000 + n).slice(1);
  for (let d = 0; d <= 9; d++) {
    const s = `${digits.slice(0, 13)}${d}`;
    let sum = 0;
    for (let i = 0; i < 14; i++) {
      let v = Number(s[13 - i]) * (i % 2 ? 2 : 1);
      if (v > 9) v -= 9;
      sum += v;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error('unreachable');
};

async function insertChunked(
  db: import('../src/db/database.js').Database,
  table: string,
  rows: Record<string, unknown>[],
) {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const out = await (db as unknown as import('kysely').Kysely<Record<string, { id: string }>>)
      .insertInto(table)
      .values(rows.slice(i, i + 500) as never)
      .returning('id' as never)
      .execute()
      .catch(async (error) => {
        // Link tables have no id column.
        if (!String(error).includes('id')) throw error;
        await (db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>)
          .insertInto(table)
          .values(rows.slice(i, i + 500) as never)
          .execute();
        return [];
      });
    ids.push(...(out as { id: string }[]).map((r) => r.id));
  }
  return ids;
}

/** Builds the network and `files` evidence files in `dir` (PGlite data + file store). */
async function setup(dir: string, files: number) {
  const handle = await openDatabase({ dataDir: path.join(dir, 'pglite') });
  await migrateToLatest(handle.db);
  const db = handle.db;
  await db
    .insertInto('certifier')
    .values({ name: 'Certificateur du banc d’essai', siret: siret(1) })
    .execute();
  const [certId] = await insertChunked(db, 'certifications', [
    { code: CODE, register: 'RNCP', title: 'Titre du banc d’essai', isOwned: true },
  ]);
  const orgIds = await insertChunked(
    db,
    'organisations',
    Array.from({ length: PARTNERS }, (_, i) => ({
      siret: siret(1000 + i),
      siren: siret(1000 + i).slice(0, 9),
      legalName: `Organisme ${i + 1}`,
    })),
  );
  const habIds = await insertChunked(
    db,
    'habilitations',
    orgIds.map((organisationId, i) => ({
      organisationId,
      certificationId: certId,
      scope: i % 3 ? 'both' : 'train',
      status: 'active',
      startsOn: '2024-01-01',
    })),
  );
  const convIds = await insertChunked(
    db,
    'conventions',
    orgIds.map((organisationId, i) => ({
      organisationId,
      reference: `CONV-${i + 1}`,
      status: 'signed',
      startsOn: '2024-01-01',
      signedOn: '2023-12-15',
    })),
  );
  await insertChunked(
    db,
    'conventionCertifications',
    convIds.map((conventionId) => ({ conventionId, certificationId: certId })),
  );
  const controlIds = await insertChunked(
    db,
    'controls',
    orgIds.map((organisationId, i) => ({
      kind: 'documentary',
      title: `Audit documentaire ${i + 1}`,
      organisationId,
      certificationId: certId,
      status: 'done',
      performedOn: '2026-03-01',
    })),
  );
  const findingIds = await insertChunked(
    db,
    'findings',
    Array.from({ length: FINDINGS }, (_, i) => ({
      controlId: controlIds[i % controlIds.length],
      organisationId: orgIds[i % orgIds.length],
      certificationId: certId,
      title: `Constat ${i + 1}`,
      severity: i % 10 === 0 ? 'major' : 'minor',
      status: i % 3 ? 'closed' : 'action_requested',
      openedAt: new Date(Date.UTC(2026, 0, 1 + (i % 300))),
    })),
  );
  // Evidence: small PDFs of 2 to 14 KB, each on a finding, a convention or an organisation.
  const store = path.join(dir, 'files');
  const evidenceRows: Record<string, unknown>[] = [];
  const targets: { entityType: string; entityId: string }[] = [];
  for (let i = 0; i < files; i++) {
    const bytes = Buffer.concat([
      Buffer.from(`%PDF-1.4\n% piece ${i}\n`),
      randomBytes(2048 + (i % 7) * 2048),
    ]);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    mkdirSync(path.join(store, sha256.slice(0, 2)), { recursive: true });
    writeFileSync(path.join(store, sha256.slice(0, 2), sha256), bytes);
    const kind = i % 4;
    const target =
      kind === 0
        ? {
            entityType: 'convention',
            entityId: convIds[i % convIds.length]!,
            organisationId: orgIds[i % orgIds.length],
          }
        : kind === 1
          ? {
              entityType: 'organisation',
              entityId: orgIds[i % orgIds.length]!,
              organisationId: orgIds[i % orgIds.length],
            }
          : {
              entityType: 'finding',
              entityId: findingIds[i % findingIds.length]!,
              organisationId: orgIds[(i % findingIds.length) % orgIds.length],
            };
    evidenceRows.push({
      sha256,
      fileName: `piece-${i + 1}.pdf`,
      mediaType: 'application/pdf',
      sizeBytes: bytes.length,
      organisationId: target.organisationId,
    });
    targets.push(target);
  }
  const evidenceIds = await insertChunked(db, 'evidenceFiles', evidenceRows);
  await insertChunked(
    db,
    'evidenceLinks',
    evidenceIds.map((evidenceId, i) => ({
      evidenceId,
      entityType: targets[i]!.entityType,
      entityId: targets[i]!.entityId,
      purpose: 'pièce du banc',
    })),
  );
  // Every upload in the audit log, as the service writes it (the extract carries and checks them).
  const clock = () => new Date();
  for (let i = 0; i < evidenceIds.length; i += 1000)
    await db.transaction().execute(async (trx) => {
      for (let j = i; j < Math.min(i + 1000, evidenceIds.length); j++)
        await recordAudit(
          trx,
          actor,
          {
            action: 'evidence.upload',
            entityType: 'evidence',
            entityId: evidenceIds[j]!,
            after: { sha256: evidenceRows[j]!.sha256 },
          },
          clock,
        );
    });
  void habIds;
  await handle.close();
}

async function measure(dir: string) {
  const handle = await openDatabase({ dataDir: path.join(dir, 'pglite') });
  const services = createServices(handle, {
    publicUrl: 'http://bench',
    filesDir: path.join(dir, 'files'),
    dataDir: dir,
  });
  const rows = await handle.db.selectFrom('evidenceFiles').select('sha256').execute();
  // Baseline: the same evidence bytes, streamed into one file through a SHA-256.
  const t0 = performance.now();
  const out = createWriteStream(path.join(dir, 'baseline.bin'));
  for (const { sha256 } of rows) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path.join(dir, 'files', sha256.slice(0, 2), sha256))) {
      hash.update(chunk as Buffer);
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
    }
    hash.digest();
  }
  await new Promise((r) => out.end(r));
  const baselineMs = performance.now() - t0;
  const rssBefore = process.memoryUsage().rss;
  const t1 = performance.now();
  const files = await services.dossiers.writeToDirectory(
    actor,
    { certification: CODE },
    path.join(dir, 'out'),
  );
  const dossierMs = performance.now() - t1;
  const t2 = performance.now();
  const verification = await services.dossiers.verify(files.zipPath);
  const verifyMs = performance.now() - t2;
  if (!verification.ok)
    throw new Error(`verification failed: ${JSON.stringify(verification.problems.slice(0, 3))}`);
  await handle.close();
  return {
    evidence: files.summary.evidenceFiles,
    zipBytes: statSync(files.zipPath).size,
    pdfBytes: statSync(files.pdfPath).size,
    baselineMs,
    dossierMs,
    verifyMs,
    rssBeforeMb: rssBefore / 1024 / 1024,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

const [mode, arg, arg2] = process.argv.slice(2);
if (mode === '--setup') {
  await setup(arg!, Number(arg2));
} else if (mode === '--measure') {
  console.log(JSON.stringify(await measure(arg!)));
} else {
  const results: Awaited<ReturnType<typeof measure>>[] = [];
  for (const files of SIZES) {
    const dir = mkdtempSync(path.join(tmpdir(), `habilis-bench-dossier-${files}-`));
    try {
      const t = performance.now();
      const built = spawnSync(process.execPath, ['--import', 'tsx', here, '--setup', dir, String(files)], {
        stdio: 'inherit',
      });
      if (built.status !== 0) throw new Error('setup failed');
      console.log(
        `built ${PARTNERS} partners, ${FINDINGS} findings, ${files} evidence files in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
      const run = spawnSync(process.execPath, ['--import', 'tsx', here, '--measure', dir], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      if (run.status !== 0) throw new Error('measure failed');
      const r = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Awaited<ReturnType<typeof measure>>;
      results.push(r);
      console.log(
        `${files} files: dossier ${(r.dossierMs / 1000).toFixed(2)} s (${(r.dossierMs / r.baselineMs).toFixed(1)} × the plain copy of the evidence, ${(r.baselineMs / 1000).toFixed(2)} s), verify ${(r.verifyMs / 1000).toFixed(2)} s; ZIP ${(r.zipBytes / 1024 / 1024).toFixed(1)} MB, PDF ${(r.pdfBytes / 1024).toFixed(0)} KB; RSS before ${r.rssBeforeMb.toFixed(0)} MB, peak ${r.peakRssMb.toFixed(0)} MB`,
      );
    } finally {
      if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
    }
  }
  const [small, large] = results as [
    Awaited<ReturnType<typeof measure>>,
    Awaited<ReturnType<typeof measure>>,
  ];
  const ratio = large.peakRssMb / small.peakRssMb;
  console.log(
    `peak RSS ${small.evidence} → ${large.evidence} files: ${small.peakRssMb.toFixed(0)} MB → ${large.peakRssMb.toFixed(0)} MB, ratio ${ratio.toFixed(2)} (goal ≤ 1.3) ${ratio <= 1.3 ? 'OK' : 'OVER'}`,
  );
  console.log(
    `dossier time ${small.evidence} → ${large.evidence} files: × ${(large.dossierMs / small.dossierMs).toFixed(1)}`,
  );
}
