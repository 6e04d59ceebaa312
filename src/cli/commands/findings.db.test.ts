import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { controlPlanter } from '../../../test/factories.js';
import type { DatabaseHandle } from '../../db/database.js';
import { createServices } from '../../services/index.js';
import { runCli } from '../main.js';

// `habilis findings remind` in-process, on a test database (PGlite, or PostgreSQL with TEST_DATABASE_URL).
describe('habilis findings remind', () => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await newTestDatabase();
  });
  afterAll(() => handle.close());

  async function habilis(argv: string[]) {
    let stdout = '';
    const code = await runCli(argv, {
      env: { HABILIS_DATA_DIR: '/nonexistent-habilis', SESSION_SECRET: 'x'.repeat(32), LOG_LEVEL: 'silent' },
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => {} },
      stdin: (async function* () {})(),
      openServices: async (config) => ({
        services: createServices(handle, config),
        migration: { applied: [], current: 'test' },
        location: 'test',
        close: async () => {},
      }),
    });
    return { code, stdout };
  }

  it('reminds a partner whose request is past due, once a day (--json)', async () => {
    const organisationId = await controlPlanter(handle.db).organisation();
    // A request already past due, written as the loop leaves it.
    const { id } = await handle.db
      .insertInto('findings')
      .values({
        organisationId,
        title: 'Émargements manquants',
        severity: 'major',
        status: 'action_requested',
        actionDueOn: '2026-01-05',
        actionRequest: 'Plan attendu',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const first = await habilis(['findings', 'remind', '--json']);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    // Far past the due date: escalated at once.
    expect(summary.items).toEqual([expect.objectContaining({ findingId: id, kind: 'escalation' })]);
    const again = JSON.parse((await habilis(['findings', 'remind', '--json'])).stdout);
    expect(again).toMatchObject({ reminded: 0, escalated: 0, items: [] });
  });
});
