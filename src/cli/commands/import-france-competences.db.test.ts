import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import type { DatabaseHandle } from '../../db/database.js';
import { createServices, type Services } from '../../services/index.js';
import { exitCodeOf } from '../exit-codes.js';
import { runCli } from '../main.js';

// `habilis import france-competences`, run in-process against a fresh test database (PGlite, or
// PostgreSQL with TEST_DATABASE_URL) through runCli's openServices hook.

const fixtures = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../importers/france-competences/fixtures',
);
const rncpXml = path.join(fixtures, 'rncp-v4.1-fiches-sample.xml');
const dir = mkdtempSync(path.join(tmpdir(), 'habilis-fc-cli-'));
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

describe('habilis import france-competences', () => {
  beforeAll(async () => {
    handle = await newTestDatabase();
    services = createServices(handle, { publicUrl: 'https://habilis.test', filesDir: dir, dataDir: dir });
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints one JSON summary with --json', async () => {
    const { code, stdout, stderr } = await habilis([
      'import',
      'france-competences',
      rncpXml,
      '--certifier',
      '52875765100013',
      '--json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({
      certifications: 3,
      activeCertifications: 2,
      skillBlocks: 12,
      declaredPartners: 27,
      activeDeclaredPartners: 27,
      certifiers: 4,
      rejected: [],
      changes: { newFiches: 3, changedFiches: 0 },
      reconciliation: { ownedCertifications: 1, findingsOpened: 24 },
    });
  });

  it('prints readable lines without --json, and nothing changes the second time', async () => {
    const { code, stdout } = await habilis([
      'import',
      'france-competences',
      rncpXml,
      '--certifier',
      '52875765100013',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'rncp-v4.1-fiches-sample.xml: 3 fiche(s) (2 active), 12 skill block(s), 27 declared partner(s) (27 active), 4 certifier(s)',
    );
    expect(stdout).toContain('changes: 0 new, 0 changed, 3 unchanged');
  });

  it('fails with import_rejected, naming the line and column, for a broken file', async () => {
    const broken = path.join(dir, 'export_fiches_RNCP_V4_1_2026-08-17.xml');
    writeFileSync(broken, readFileSync(rncpXml).subarray(0, 20_000));
    const { code, stderr, stdout } = await habilis(['import', 'france-competences', broken, '--json']);
    expect(code).toBe(exitCodeOf.import_rejected);
    expect(stderr).toMatch(
      /^habilis: export_fiches_RNCP_V4_1_2026-08-17\.xml \(line \d+, column \d+\): malformed or truncated XML/,
    );
    expect(JSON.parse(stdout).error).toMatchObject({
      code: 'import_rejected',
      details: { line: expect.any(Number) },
    });
  });

  it('refuses an invalid SIRET and a missing file', async () => {
    expect((await habilis(['import', 'france-competences', rncpXml, '--certifier', '123'])).code).toBe(
      exitCodeOf.validation_failed,
    );
    expect((await habilis(['import', 'france-competences', path.join(dir, 'absent.xml')])).code).toBe(
      exitCodeOf.not_found,
    );
  });
});
