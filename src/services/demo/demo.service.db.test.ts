import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { systemActor } from '../../core/access/policy.js';
import type { DatabaseHandle } from '../../db/database.js';
import { createServices, type Services } from '../index.js';

const actor = systemActor('test');
const config = { publicUrl: 'http://t', filesDir: '/x', dataDir: '/x' };
// A fixed "today" so the network (which sessions already have results) does not depend on the run date.
const now = () => new Date('2026-11-23T10:00:00Z');

const count = async (handle: DatabaseHandle, table: string) =>
  (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(handle.db)).rows[0]!.n;

describe('DemoService', () => {
  let handle: DatabaseHandle;
  let sut: Services;

  beforeAll(async () => {
    handle = await newTestDatabase();
    sut = createServices(handle, config, now);
  });
  afterAll(() => handle.close());

  it('loads the whole chain for 40 partners, consistent with the database', async () => {
    const summary = await sut.demo.load(actor, { seed: 42 });
    expect(summary).toMatchObject({
      seed: 42,
      certifications: 3,
      skillBlocks: 8,
      partners: 40,
      conventions: 40,
    });
    expect(summary.habilitations).toBeGreaterThanOrEqual(40);
    expect(await count(handle, 'habilitations')).toBe(summary.habilitations);
    expect(await count(handle, 'training_sessions')).toBe(summary.trainingSessions);
    expect(await count(handle, 'candidates')).toBe(summary.candidates);
    expect(await count(handle, 'assessment_results')).toBe(summary.assessmentResults);
    expect(await count(handle, 'certificates')).toBe(summary.certificates);
    expect(summary.certificates).toBeGreaterThan(50);
    expect(summary.findings).toBeGreaterThan(0);
  });

  it('certifies only candidates who passed every block, and lists the blocks of partial successes', async () => {
    const wrong = await sql<{ n: number }>`
      select count(*) as n from certificates c
      join deliberations d on d.id = c.deliberation_id
      where d.decision <> 'certified'
         or exists (select 1 from assessment_results r join assessment_sessions s on s.id = r.assessment_session_id
                    where r.candidate_id = c.candidate_id and s.certification_id = c.certification_id and r.decision <> 'passed')`.execute(
      handle.db,
    );
    expect(wrong.rows[0]!.n).toBe(0);
    const partialWithoutBlocks = await sql<{ n: number }>`
      select count(*) as n from deliberations d where d.decision = 'certified_by_blocks'
        and not exists (select 1 from deliberation_skill_blocks b where b.deliberation_id = d.id)`.execute(
      handle.db,
    );
    expect(partialWithoutBlocks.rows[0]!.n).toBe(0);
  });

  it('gives every partner a valid SIRET and the demo accounts a working sign-in', async () => {
    const orgs = await handle.db.selectFrom('organisations').select('siret').execute();
    const { siretError } = await import('../../core/validators/identifiers.js');
    expect(orgs.filter((o) => siretError(o.siret) !== null)).toEqual([]);
    const users = await sut.users.list(actor, { limit: 50, offset: 0 });
    expect(users.total).toBe(6);
  });

  it('writes one audit entry, and the chain verifies', async () => {
    const { items } = await sut.audit.list(actor, { entityType: 'certifier', limit: 5, offset: 0 });
    expect(items.map((e) => e.action)).toEqual(['demo.load']);
    expect(JSON.stringify(items[0]!.after)).not.toContain('password');
    expect((await sut.audit.verify(actor)).ok).toBe(true);
  });

  it('refuses to load twice, leaving the data as it was', async () => {
    const before = await count(handle, 'candidates');
    await expect(sut.demo.load(actor, { seed: 42 })).rejects.toMatchObject({ code: 'conflict' });
    expect(await count(handle, 'candidates')).toBe(before);
  });

  it('is reproducible: the same seed gives the same network', async () => {
    const other = await newTestDatabase();
    try {
      const second = createServices(other, config, now);
      const a = await sut.demo.load(actor, { seed: 7 }).catch(() => null); // this database is full: refused
      expect(a).toBeNull();
      const s1 = await second.demo.load(actor, { seed: 42 });
      const names = async (h: DatabaseHandle) =>
        (
          await h.db.selectFrom('organisations').select(['siret', 'legalName']).orderBy('siret').execute()
        ).map((o) => `${o.siret} ${o.legalName}`);
      expect(await names(other)).toEqual(await names(handle));
      expect(s1.assessmentResults).toBe(await count(handle, 'assessment_results'));
    } finally {
      await other.close();
    }
  });
});
