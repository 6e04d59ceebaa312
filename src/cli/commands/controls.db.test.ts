import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { createServices } from '../../services/index.js';
import { runCli } from '../main.js';

// `habilis controls` in-process, on a test database (PGlite, or PostgreSQL with TEST_DATABASE_URL).
describe('habilis controls', () => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await newTestDatabase();
  });
  afterAll(() => handle.close());

  async function habilis(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      env: { HABILIS_DATA_DIR: '/nonexistent-habilis', SESSION_SECRET: 'x'.repeat(32), LOG_LEVEL: 'silent' },
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

  it('run --rule --json prints the rules and the finding counts, and a second run updates instead of opening', async () => {
    const plant = controlPlanter(handle.db);
    const org = await plant.organisation({ qualiopiStatus: 'not_certified' });
    const cert = await plant.certification();
    await plant.trainingSession(org, cert.id, { startsOn: '2026-09-01', endsOn: '2099-01-01' });
    const first = await habilis(['controls', 'run', '--rule', 'qualiopi.cpf', '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result).toEqual({
      rules: [
        {
          id: 'qualiopi.cpf',
          source: expect.stringContaining('L6316-1'),
          severity: 'critical',
          subjects: 1,
          findings: { opened: 1, updated: 0, resolved: 0 },
        },
      ],
      findings: { opened: 1, updated: 0, resolved: 0 },
    });
    const second = JSON.parse(
      (await habilis(['--json', 'controls', 'run', '--rule', 'qualiopi.cpf'])).stdout,
    );
    expect(second.findings).toEqual({ opened: 0, updated: 1, resolved: 0 });
  });

  it('run without --rule runs every rule and prints one line each', async () => {
    const { code, stdout } = await habilis(['controls', 'run']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Controls run on \d{4}-\d{2}-\d{2}: 20 rule\(s\)/);
    expect(stdout).toContain('qualiopi.cpf');
    expect(stdout).toMatch(/Findings: \d+ opened, \d+ updated, \d+ resolved/);
  });

  it('an unknown rule is a usage error on --rule (exit code of validation_failed)', async () => {
    const { code, stderr } = await habilis(['controls', 'run', '--rule', 'nope.nope']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('--rule: unknown rule nope.nope');
  });

  it('plan --year proposes a draft, shows it again, and --commit commits it', async () => {
    const year = String(new Date().getFullYear() + 1);
    const first = await habilis(['--json', 'controls', 'plan', '--year', year]);
    expect(first.stderr).toBe('');
    const draft = JSON.parse(first.stdout);
    expect(draft.plan).toMatchObject({ year: Number(year), status: 'draft' });
    expect(draft.entries.total).toBe(draft.plan.entries);
    const again = await habilis(['controls', 'plan', '--year', year]);
    expect(again.stdout).toMatch(new RegExp(`^Plan de contrôle ${year} \\(draft\\)`));
    const committed = JSON.parse(
      (await habilis(['--json', 'controls', 'plan', '--year', year, '--commit'])).stdout,
    );
    expect(committed.plan.status).toBe('committed');
    const bad = await habilis(['controls', 'plan', '--year', 'soon']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--year');
  });

  it('risk lists the partners by score, and explains one partner by SIRET', async () => {
    const plant = controlPlanter(handle.db);
    const org = await plant.organisation({ legalName: 'Risque Test', qualiopiStatus: 'lapsed' });
    const { siret } = await handle.db
      .selectFrom('organisations')
      .select('siret')
      .where('id', '=', org)
      .executeTakeFirstOrThrow();
    const list = JSON.parse((await habilis(['--json', 'risk', '--limit', '500'])).stdout);
    expect(list.items.map((s: { organisationId: string }) => s.organisationId)).toContain(org);
    const one = await habilis(['risk', '--organisation', siret]);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('Risque Test');
    expect(one.stdout).toMatch(/lastAudit\s+—\s+20\.0 \/ 20\s+Jamais audité/);
    const unknown = await habilis(['risk', '--organisation', '80875076400025']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('80875076400025');
  });

  it('list prints the catalogue', async () => {
    const { code, stdout } = await habilis(['controls', 'list']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/convention\.missing\s+major/);
  });
});
