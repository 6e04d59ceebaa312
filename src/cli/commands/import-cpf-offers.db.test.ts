import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import type { DatabaseHandle } from '../../db/database.js';
import { createServices, type Services } from '../../services/index.js';
import { exitCodeOf } from '../exit-codes.js';
import { runCli } from '../main.js';

// `habilis import cpf-offers`, run in-process against a fresh test database through runCli's openServices hook.

const sample = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../importers/cpf-catalogue/fixtures/catalogue-record-synthetic.json',
);
const dir = mkdtempSync(path.join(tmpdir(), 'habilis-cpf-cli-'));
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

describe('habilis import cpf-offers', () => {
  beforeAll(async () => {
    handle = await newTestDatabase();
    services = createServices(handle, { publicUrl: 'https://habilis.test', filesDir: dir, dataDir: dir });
    // The sample offer names RNCP37674; its seller (SIRET 99999999800019) is not known to Habilis.
    await handle.db
      .insertInto('certifications')
      .values({ code: 'RNCP37674', register: 'RNCP', title: 'Développeur web et web mobile', level: '5' })
      .execute();
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints {offers, matched, findings} with --json', async () => {
    const { code, stdout, stderr } = await habilis(['import', 'cpf-offers', sample, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({
      offers: 1,
      matched: 1,
      findings: { 'cpf.seller-not-habilitated': 1, 'cpf.title-mismatch': 0 },
      changes: { new: 1 },
      rejected: [],
    });
  });

  it('prints a readable summary, with the rejected rows and their lines', async () => {
    const file = path.join(dir, 'catalogue.csv');
    writeFileSync(
      file,
      'numero_formation;siret;intitule_formation;code_rncp\nA1;99999999800019;Développeur web et web mobile;37674\nA2;123;X;37674\n',
    );
    const { code, stdout } = await habilis(['import', 'cpf-offers', file]);
    expect(code).toBe(0);
    expect(stdout).toContain('2 row(s), 1 offer(s), 1 naming the certifications');
    expect(stdout).toContain('cpf.seller-not-habilitated: 1');
    expect(stdout).toMatch(/line 3 \(siret\): invalid_siret: .*\[A2\]/);
  });

  it('fails with import_rejected, naming the missing column, and writes nothing', async () => {
    const broken = path.join(dir, 'broken.csv');
    writeFileSync(broken, 'numero_formation;intitule_formation\nA1;X\n');
    const before = await services.cpfOffers.listImports({ kind: 'system', label: 't' }, {});
    const { code, stderr } = await habilis(['import', 'cpf-offers', broken]);
    expect(code).toBe(exitCodeOf.import_rejected);
    expect(stderr).toContain('broken.csv');
    expect(stderr).toContain('siret');
    expect((await services.cpfOffers.listImports({ kind: 'system', label: 't' }, {})).total).toBe(
      before.total,
    );
  });
});
