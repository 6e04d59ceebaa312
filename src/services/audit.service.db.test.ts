import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../test/database.js';
import { buildOrganisation } from '../../test/factories.js';
import { systemActor } from '../core/access/policy.js';
import type { DatabaseHandle } from '../db/database.js';
import { recordAudit } from './audit.service.js';
import { createServices, type Services } from './index.js';

const actor = systemActor('test');

/** Changes an audit row the way an attacker with database rights would: around the append-only trigger. */
async function tamper(handle: DatabaseHandle, statement: ReturnType<typeof sql>) {
  await handle.db.transaction().execute(async (trx) => {
    await sql`alter table audit_log disable trigger audit_log_append_only`.execute(trx);
    await statement.execute(trx);
    await sql`alter table audit_log enable trigger audit_log_append_only`.execute(trx);
  });
}

describe('AuditService', () => {
  let handle: DatabaseHandle;
  let sut: Services;

  beforeAll(async () => {
    handle = await newTestDatabase();
    sut = createServices(handle, { publicUrl: 'http://t', filesDir: '/x', dataDir: '/x' });
  });
  afterAll(() => handle.close());

  it('verifies an empty log', async () => {
    expect(await sut.audit.verify(actor)).toEqual({
      ok: true,
      entries: 0,
      lastHash: null,
      firstBroken: null,
    });
  });

  it('chains every change, including concurrent ones, and verifies them', async () => {
    const created = await sut.organisations.create(actor, buildOrganisation());
    await sut.organisations.update(actor, created.id, { city: 'Nantes' });
    await Promise.all(Array.from({ length: 8 }, () => sut.organisations.create(actor, buildOrganisation())));
    const result = await sut.audit.verify(actor);
    expect(result).toMatchObject({ ok: true, entries: 10, firstBroken: null });
    const { items } = await sut.audit.list(actor, { entityId: created.id, limit: 10, offset: 0 });
    expect(items.map((e) => e.action)).toEqual(['organisation.update', 'organisation.create']);
    expect(items[0]).toMatchObject({ before: { city: 'Lyon' }, after: { city: 'Nantes' } });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the log itself', async () => {
    await expect(sql`update audit_log set action = 'x' where seq = 1`.execute(handle.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_log where seq = 1`.execute(handle.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(handle.db)).rejects.toThrow(/append-only/);
  });

  it('names the first entry whose content was altered in SQL', async () => {
    await tamper(
      handle,
      sql`update audit_log set after = jsonb_set(after, '{city}', '"Paris"') where seq = 2`,
    );
    const result = await sut.audit.verify(actor);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toEqual({
      seq: 2,
      reason: 'its content does not match its hash (altered after writing)',
    });
    expect(result.entries).toBe(1);
  });

  it('names a gap when an entry is deleted', async () => {
    await tamper(handle, sql`delete from audit_log where seq = 2`);
    const result = await sut.audit.verify(actor);
    expect(result.firstBroken).toEqual({ seq: 3, reason: 'expected entry 2, found 3 (an entry is missing)' });
  });

  it('a change that fails leaves neither the change nor an audit entry', async () => {
    const before = await sql<{ n: number }>`select count(*) as n from audit_log`.execute(handle.db);
    const existing = buildOrganisation();
    await sut.organisations.create(actor, existing);
    await expect(
      sut.organisations.create(actor, { ...existing, legalName: 'Doublon' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    const after = await sql<{ n: number }>`select count(*) as n from audit_log`.execute(handle.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n + 1);
  });
});

describe('AuditService with payloads in other spellings', () => {
  let handle: DatabaseHandle;
  let sut: Services;

  beforeAll(async () => {
    handle = await newTestDatabase();
    sut = createServices(handle, { publicUrl: 'http://t', filesDir: '/x', dataDir: '/x' });
  });
  afterAll(() => handle.close());

  // The database layer renames snake_case columns to camelCase, nested JSON included: an entry whose
  // payload kept table names or France Compétences field names must still read back as it was hashed.
  it('verifies and lists entries whose payload has snake_case and upper-case keys, unchanged', async () => {
    const payload = {
      training_sessions: 12,
      ETAT_HABILITATION: 'Actif',
      nested: [{ fiche_code: 'RNCP1234', siretPartner: '1' }],
    };
    await handle.db
      .transaction()
      .execute((trx) =>
        recordAudit(
          trx,
          actor,
          { action: 'test.spelling', entityType: 'test', entityId: 'x', before: null, after: payload },
          () => new Date(),
        ),
      );
    expect(await sut.audit.verify(actor)).toMatchObject({ ok: true, entries: 1, firstBroken: null });
    const { items } = await sut.audit.list(actor, { entityId: 'x', limit: 10, offset: 0 });
    expect(items[0]!.after).toEqual(payload);
  });
});
