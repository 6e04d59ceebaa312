import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisation, validSiret } from '../../test/factories.js';
import { loadConfig } from '../config/env.js';
import { systemActor } from '../core/access/policy.js';
import { openDatabase } from '../db/database.js';
import { latestMigration } from '../db/migrate.js';
import { openServices } from '../services/runtime.js';
import { exitCodeOf } from './exit-codes.js';
import { runCli } from './main.js';

// The CLI against a real database: in-process runs of runCli with their own environment (a temporary
// HABILIS_DATA_DIR with PGlite, or a fresh schema on TEST_DATABASE_URL), then the real `bin/habilis.js`
// in a child process. The tests run in order and build on each other's data, as a person at a shell would.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'habilis-cli-'));
const pgUrl = process.env.TEST_DATABASE_URL;
const schema = `test_cli_${randomBytes(5).toString('hex')}`;
const env: Record<string, string> = {
  HABILIS_DATA_DIR: dataDir,
  PUBLIC_URL: 'https://habilis.test',
  LOG_LEVEL: 'silent',
};

async function adminQuery(text: string) {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function habilis(argv: string[], stdinText?: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: (async function* () {
      if (stdinText !== undefined) yield stdinText;
    })(),
  });
  return { code, stdout, stderr };
}

/** Runs the real launcher in a child process; resolves when it exits, or when `until` matches stdout. */
function spawnHabilis(argv: string[], until?: RegExp) {
  const child = spawn(process.execPath, [path.join(root, 'bin/habilis.js'), ...argv], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  return new Promise<{ code: number | null; stdout: string; stderr: string; child: typeof child }>(
    (resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (until?.test(stdout)) resolve({ code: null, stdout, stderr, child });
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr, child }));
    },
  );
}

/** Opens the same database the CLI uses, for what a test must arrange or check behind the CLI's back. */
async function withDirectDatabase<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>) {
  const config = loadConfig(env);
  const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.pgliteDir });
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  if (pgUrl) {
    await adminQuery(`create schema ${schema}`);
    const url = new URL(pgUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    env.DATABASE_URL = url.toString();
  }
});

afterAll(async () => {
  if (pgUrl) await adminQuery(`drop schema ${schema} cascade`);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('habilis CLI on a real database', () => {
  it('migrate applies every migration, then none, and says where the database is at', async () => {
    const first = await habilis(['--json', 'migrate']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const outcome = JSON.parse(first.stdout) as { applied: string[]; current: string };
    expect(outcome.current).toBe(latestMigration());
    expect(outcome.applied.at(-1)).toBe(latestMigration());

    const again = await habilis(['migrate']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No pending migration.');
    expect(again.stdout).toContain(`Database version: ${latestMigration()}`);
  });

  it('user create prints a one-time setup link', async () => {
    const { code, stdout, stderr } = await habilis([
      'user',
      'create',
      '--email',
      'claire.martin@certifier.example',
      '--role',
      'admin',
      '--name',
      'Claire Martin',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Created user claire.martin@certifier.example (admin)');
    expect(stdout).toMatch(/^ {2}https:\/\/habilis\.test\/setup\?token=[\w-]{20,}$/m);
  });

  it('user create refuses a duplicate e-mail with a clear message and the conflict status', async () => {
    const { code, stdout, stderr } = await habilis([
      'user',
      'create',
      '--email',
      'claire.martin@certifier.example',
      '--role',
      'auditor',
    ]);
    expect(code).toBe(exitCodeOf.conflict);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'habilis: A user with e-mail claire.martin@certifier.example already exists\n  --email: already used\n',
    );
  });

  it('user create refuses an invalid role naming --role', async () => {
    const { code, stderr } = await habilis([
      'user',
      'create',
      '--email',
      'x@certifier.example',
      '--role',
      'root',
    ]);
    expect(code).toBe(exitCodeOf.validation_failed);
    expect(stderr).toContain('--role: "root" is not a role');
  });

  it('user create --json prints the user and the link as one JSON document', async () => {
    const { code, stdout } = await habilis([
      'user',
      'create',
      '--json',
      '--email',
      'lecture@certifier.example',
      '--role',
      'read_only',
    ]);
    expect(code).toBe(0);
    const body = JSON.parse(stdout) as {
      user: { email: string; role: string; displayName: string };
      setupLink: string;
    };
    expect(body.user).toMatchObject({
      email: 'lecture@certifier.example',
      role: 'read_only',
      displayName: 'lecture',
    });
    expect(body.setupLink).toMatch(/^https:\/\/habilis\.test\/setup\?token=/);
  });

  it('user create --password-stdin sets a password that signs in', async () => {
    const password = 'Qualite-2026-stdin';
    const { code, stdout } = await habilis(
      ['user', 'create', '--email', 'qm@certifier.example', '--role', 'quality_manager', '--password-stdin'],
      `${password}\n`,
    );
    expect(code).toBe(0);
    expect(stdout).not.toContain('setup?token=');
    const opened = await openServices(loadConfig(env));
    try {
      const session = await opened.services.auth.login({ email: 'qm@certifier.example', password });
      expect(session.view.user.role).toBe('quality_manager');
    } finally {
      await opened.close();
    }
  });

  it("user create --organisation finds a partner's organisation by SIRET, and names the option when none has it", async () => {
    const opened = await openServices(loadConfig(env));
    const organisation = await opened.services.organisations
      .create(systemActor('test'), buildOrganisation({ siret: validSiret(4242) }))
      .finally(() => opened.close());

    const spaced = organisation.siret.replace(/^(\d{3})(\d{3})(\d{3})/, '$1 $2 $3 ');
    const created = await habilis([
      '--json',
      'user',
      'create',
      '--email',
      'contact@partner.example',
      '--role',
      'partner',
      '--organisation',
      spaced,
    ]);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout).user.organisationId).toBe(organisation.id);

    const missing = await habilis([
      'user',
      'create',
      '--email',
      'other@partner.example',
      '--role',
      'partner',
      '--organisation',
      validSiret(4243),
    ]);
    expect(missing.code).toBe(exitCodeOf.not_found);
    expect(missing.stderr).toBe(
      `habilis: No organisation with SIRET ${validSiret(4243)}\n  --organisation: no organisation has this SIRET\n`,
    );
  });

  it('audit verify says the log is intact', async () => {
    const text = await habilis(['audit', 'verify']);
    expect(text.code).toBe(0);
    // Four users and one organisation so far, each one audit entry; the three users created without a
    // password are invitations, with one more entry each (invitation.create).
    expect(text.stdout).toMatch(/^audit log OK: 8 entries, last hash [0-9a-f]{64}\n$/);

    const json = await habilis(['--json', 'audit', 'verify']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, entries: 8, firstBroken: null });
  });

  it('audit verify names the entry altered in SQL behind the trigger, and exits non-zero', async () => {
    await withDirectDatabase(async ({ db }) => {
      // What an attacker with the table owner's rights could do: switch the append-only trigger off.
      await db.transaction().execute(async (trx) => {
        await sql`alter table audit_log disable trigger audit_log_append_only`.execute(trx);
        await sql`update audit_log set actor_label = 'someone else' where seq = 3`.execute(trx);
        await sql`alter table audit_log enable trigger audit_log_append_only`.execute(trx);
      });
    });

    const text = await habilis(['audit', 'verify']);
    expect(text.code).toBe(exitCodeOf.audit_chain_broken);
    expect(text.stdout).toBe('');
    expect(text.stderr).toBe(
      'habilis: audit log broken at entry 3: its content does not match its hash (altered after writing) (2 entries before it are intact)\n',
    );

    const json = await habilis(['--json', 'audit', 'verify']);
    expect(json.code).toBe(exitCodeOf.audit_chain_broken);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, entries: 2, firstBroken: { seq: 3 } });
  });

  it('bin/habilis.js runs in its own process: --help, and an exit status from the table', async () => {
    const help = await spawnHabilis(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^\s+user create\b/m);
    expect(help.stdout).toMatch(/^\s+audit verify\b/m);

    const verify = await spawnHabilis(['--json', 'audit', 'verify']);
    expect(verify.code).toBe(exitCodeOf.audit_chain_broken);
    expect(JSON.parse(verify.stdout).firstBroken.seq).toBe(3);
  });

  it('habilis serve starts the server, which stops cleanly on SIGTERM', async () => {
    const env0 = env.PORT;
    env.PORT = '0';
    env.HOST = '127.0.0.1';
    try {
      const started = await spawnHabilis(['serve'], /Habilis is running on/);
      expect(started.code, started.stderr).toBeNull(); // still running
      const exited = new Promise<number | null>((resolve) => started.child.on('close', resolve));
      started.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (env0 === undefined) delete env.PORT;
      else env.PORT = env0;
      delete env.HOST;
    }
  });
});
