// Issue #2 benchmark: throughput of an authenticated list endpoint (50 rows out of 10,000 organisations)
// through the whole stack (cookie, session, rate limit, permission, Zod validation, the read caches of
// sessions and answers that the data version keeps true), as a ratio to a bare Fastify route answering the
// same JSON, measured in the same run. Goal: ≥ 0.5, on PGlite and on PostgreSQL. The same route with the
// read cache off (every request reads the database) is measured and printed too. The load comes from autocannon in a separate process, so that it does not share the server's
// event loop. Environment: BENCH_SECONDS (default 10), BENCH_DATABASE_URL (default the local server;
// "none" to skip PostgreSQL).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { systemActor } from '../src/core/access/policy.js';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { buildApp } from '../src/server/app.js';
import { createServices } from '../src/services/index.js';
import { validSiret } from '../test/factories.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = 20;
const ORGANISATIONS = 10_000;
const PASSWORD = 'Throughput-Pass-2026!';

interface Load {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Runs autocannon in a child process (asynchronously: the server under test lives in this event loop). */
function autocannon(url: string, headers: Record<string, string> = {}): Promise<Load> {
  const args = ['--no-install', 'autocannon', '--json', '-c', String(connections), '-d', String(seconds)];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon failed: ${err}`));
      const r = JSON.parse(out);
      resolve({
        requestsPerSecond: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: r.errors,
        non2xx: r.non2xx,
      });
    });
  });
}

async function seed(handle: DatabaseHandle) {
  const rows = Array.from({ length: ORGANISATIONS }, (_, i) => {
    const siret = validSiret(i + 1);
    return {
      siret,
      siren: siret.slice(0, 9),
      legalName: `Organisme de formation ${String(i).padStart(5, '0')}`,
      city: ['Lyon', 'Paris', 'Lille', 'Nantes', 'Bordeaux'][i % 5]!,
      postalCode: '69003',
      qualiopiStatus: i % 7 === 0 ? 'lapsed' : 'certified',
    };
  });
  for (let i = 0; i < rows.length; i += 1000) {
    await handle.db
      .insertInto('organisations')
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  await sql`analyze organisations`.execute(handle.db);
}

async function measure(engine: 'pglite' | 'postgresql', handle: DatabaseHandle) {
  await migrateToLatest(handle.db);
  await seed(handle);
  const services = createServices(handle, {
    publicUrl: 'http://127.0.0.1',
    filesDir: '/nonexistent',
    dataDir: '/nonexistent',
  });
  await services.users.create(systemActor('bench'), {
    email: 'bench@example.org',
    displayName: 'Bench',
    role: 'quality_manager',
    password: PASSWORD,
  });
  const newApp = (readCacheEntries: number) =>
    buildApp({
      services,
      logger: false,
      webDir: '/nonexistent',
      config: {
        sessionSecret: 'bench-secret-bench-secret-bench-secret-00',
        secureCookies: false,
        logLevel: 'silent',
        rateLimit: { perMinute: 10_000_000, loginPerMinute: 1000 },
        readCacheEntries,
      },
    });
  const app = await newApp(2000);
  const uncachedApp = await newApp(0);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const uncachedAddress = await uncachedApp.listen({ port: 0, host: '127.0.0.1' });
  const login = await fetch(`${address}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.org', password: PASSWORD }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const path = '/api/organisations?limit=50&sort=legalName';
  const url = `${address}${path}`;
  const sample = await fetch(url, { headers: { cookie } });
  const body = await sample.text();
  const page = JSON.parse(body) as { items: unknown[]; total: number };
  if (page.items.length !== 50 || page.total !== ORGANISATIONS)
    throw new Error(`unexpected page: ${body.slice(0, 200)}`);
  const again = await fetch(url, { headers: { cookie } });
  if ((await again.text()) !== body || again.headers.get('x-habilis-cache') !== 'hit')
    throw new Error('the second identical request was not answered from the read cache');

  // The baseline: a bare Fastify route answering the same JSON text, in the same process.
  const bare = Fastify({ logger: false });
  bare.get('/bare', (_req, reply) => reply.type('application/json').send(body));
  const bareAddress = await bare.listen({ port: 0, host: '127.0.0.1' });

  await autocannon(url, { cookie }); // warm-up (JIT, caches, prepared plans)
  const baseline = await autocannon(`${bareAddress}/bare`);
  const full = await autocannon(url, { cookie });
  // The same route with the read cache off: every request reads the session and the page from the database.
  const uncached = await autocannon(`${uncachedAddress}${path}`, { cookie });
  await bare.close();
  await app.close();
  await uncachedApp.close();
  const ratio = full.requestsPerSecond / baseline.requestsPerSecond;
  const uncachedRatio = uncached.requestsPerSecond / baseline.requestsPerSecond;
  console.log(
    `${engine.padEnd(10)} authenticated list: ${full.requestsPerSecond.toFixed(0)} req/s (p50 ${full.p50} ms, p99 ${full.p99} ms, ` +
      `${full.errors + full.non2xx} errors) | bare route: ${baseline.requestsPerSecond.toFixed(0)} req/s | ` +
      `ratio ${ratio.toFixed(2)} (goal ≥ 0.50) ${ratio >= 0.5 ? 'OK' : 'BELOW GOAL'}`,
  );
  console.log(
    `${''.padEnd(10)} read cache off: ${uncached.requestsPerSecond.toFixed(0)} req/s (p50 ${uncached.p50} ms, p99 ${uncached.p99} ms) | ratio ${uncachedRatio.toFixed(2)}`,
  );
  if (uncached.errors + uncached.non2xx > 0) throw new Error('the uncached route answered errors under load');
  if (full.errors + full.non2xx > 0) throw new Error('the authenticated route answered errors under load');
}

async function main() {
  console.log(
    `API throughput, ${ORGANISATIONS} organisations, ${connections} connections, ${seconds} s per measure`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'habilis-bench-'));
  try {
    const embedded = await openDatabase({ dataDir: dir });
    await measure('pglite', embedded);
    await embedded.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
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
