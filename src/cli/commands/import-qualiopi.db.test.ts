import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { buildOrganisation } from '../../../test/factories.js';
import { systemActor } from '../../core/access/policy.js';
import type { DatabaseHandle } from '../../db/database.js';
import { createServices, type Services } from '../../services/index.js';
import { exitCodeOf } from '../exit-codes.js';
import { runCli } from '../main.js';

// `habilis import qualiopi`, run in-process against a fresh test database through runCli's openServices hook.

const sample = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../importers/lpof/fixtures/lpof-header-and-synthetic-rows.csv',
);
const dir = mkdtempSync(path.join(tmpdir(), 'habilis-qualiopi-cli-'));
let handle: DatabaseHandle;
let services: Services;

async function habilis(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: { HABILIS_DATA_DIR: dir, PUBLIC_URL: 'https://habilis.test', LOG_LEVEL: 'silent' },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: (async function* () {})(),
    openServices: async () => ({
      services,
      migration: { applied: [], current: null } as never,
      location: 'test database',
      close: async () => {},
    }),
  });
  return { code, stdout, stderr };
}

describe('habilis import qualiopi', () => {
  beforeAll(async () => {
    handle = await newTestDatabase();
    services = createServices(handle, { publicUrl: 'https://habilis.test', filesDir: dir, dataDir: dir });
    // The sample's first row (SIRET 99999999800019, training only), not yet known as certified.
    await services.organisations.create(
      systemActor('test'),
      buildOrganisation({ siret: '99999999800019', nda: null, qualiopiStatus: 'unknown' }),
    );
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints one JSON summary with --json', async () => {
    const rows = readFileSync(sample, 'utf8').trim().split(/\r?\n/).length - 1;
    const { code, stdout, stderr } = await habilis(['import', 'qualiopi', sample, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ rows, matched: 1, updated: 1, gained: 1, lost: 0 });
  });

  it('prints a readable summary without --json', async () => {
    const { code, stdout } = await habilis(['import', 'qualiopi', sample]);
    expect(code).toBe(0);
    expect(stdout).toContain('1 organisation(s) matched, 0 updated');
  });

  it('fails with import_rejected on a file it cannot read', async () => {
    const broken = path.join(dir, 'broken.csv');
    writeFileSync(broken, 'not;the;list\r\n1;2;3\r\n');
    const { code, stderr } = await habilis(['import', 'qualiopi', broken]);
    expect(code).toBe(exitCodeOf.import_rejected);
    expect(stderr).toContain('broken.csv');
  });
});
