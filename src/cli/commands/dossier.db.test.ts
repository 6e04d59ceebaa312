import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import {
  buildOrganisation,
  insertActiveHabilitation,
  insertChainCertification,
} from '../../../test/factories.js';
import { systemActor } from '../../core/access/policy.js';
import type { DatabaseHandle } from '../../db/database.js';
import { createServices } from '../../services/index.js';
import { exitCodeOf } from '../exit-codes.js';
import { runCli } from '../main.js';

// `habilis dossier` and `habilis dossier verify` in-process, on a test database.
describe('habilis dossier', () => {
  let handle: DatabaseHandle;
  let dir: string;

  beforeAll(async () => {
    handle = await newTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'habilis-cli-dossier-'));
    const cert = await insertChainCertification(handle.db, 'RNCP43001');
    const services = createServices(handle, {
      publicUrl: 'http://t',
      filesDir: path.join(dir, 'files'),
      dataDir: dir,
    });
    const org = await services.organisations.create(systemActor('t'), buildOrganisation());
    await insertActiveHabilitation(handle.db, org.id, cert.id);
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function habilis(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      env: { HABILIS_DATA_DIR: dir, SESSION_SECRET: 'x'.repeat(32), LOG_LEVEL: 'silent' },
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: (async function* () {})(),
      openServices: async (config) => ({
        services: createServices(handle, config),
        migration: { applied: [], current: 'test' },
        location: 'test',
        close: async () => {},
      }),
    });
    return { code, stdout, stderr };
  }

  it('writes the PDF and the ZIP, which verify then accepts', async () => {
    const out = path.join(dir, 'out');
    const made = await habilis(['dossier', '--certification', 'RNCP43001', '--out', out, '--json']);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const result = JSON.parse(made.stdout);
    expect(result).toMatchObject({ certification: 'RNCP43001', partner: null });
    expect((await readdir(out)).sort()).toEqual(
      [path.basename(result.pdf), path.basename(result.zip)].sort(),
    );
    const verified = await habilis(['dossier', 'verify', result.zip]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^dossier OK: \d+ files match the manifest/);
    expect(verified.stdout).toContain(result.manifestSha256);
  });

  it('names what is wrong: an unknown certification, a missing option, a file that is no dossier', async () => {
    const unknown = await habilis(['dossier', '--certification', 'RNCP1', '--out', path.join(dir, 'x')]);
    expect(unknown.code).toBe(exitCodeOf.not_found);
    expect(unknown.stderr).toContain('Certification RNCP1 not found');
    const missing = await habilis(['dossier', '--certification', 'RNCP43001']);
    expect(missing.code).toBe(exitCodeOf.validation_failed);
    expect(missing.stderr).toContain('--out');
    const notZip = path.join(dir, 'not.zip');
    writeFileSync(notZip, 'hello');
    const bad = await habilis(['dossier', 'verify', notZip]);
    expect(bad.code).toBe(exitCodeOf.validation_failed);
    expect(bad.stderr).toContain('file: not a readable ZIP');
  });
});
