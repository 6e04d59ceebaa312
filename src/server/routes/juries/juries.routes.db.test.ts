import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCandidate } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';
import type { Database } from '../../../db/database.js';

/** A certification with two skill blocks, straight in SQL: this suite is not about certifications. */
async function seedCertification(db: Database, code: string) {
  const { id } = await db
    .insertInto('certifications')
    .values({ code, register: 'RNCP', title: `Titre ${code}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const blocks = await db
    .insertInto('skillBlocks')
    .values([1, 2].map((i) => ({ certificationId: id, code: `${code}BC0${i}`, title: `Bloc ${i}` })))
    .returning(['id', 'code'])
    .execute();
  return { id, blocks: blocks.sort((a, b) => a.code.localeCompare(b.code)) };
}

const president = { fullName: 'Hélène Garnier', role: 'president' };
const professional = {
  fullName: 'Paul Roux',
  role: 'professional',
  hasConflictOfInterest: true,
  conflictNote: 'Ancien formateur de l’organisme Formasud',
};

describe('jury routes', () => {
  let server: TestServer;
  let admin: SignedIn;
  let cert: Awaited<ReturnType<typeof seedCertification>>;
  let otherCert: Awaited<ReturnType<typeof seedCertification>>;
  let candidate: string;

  const juryCount = async () =>
    (
      await server.handle.db
        .selectFrom('juries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  const newJury = async (members: unknown[] = [president, professional]) => {
    const res = await server.as(admin, {
      method: 'POST',
      url: '/api/juries',
      payload: { certificationId: cert.id, meetsOn: '2026-11-10', place: 'Lyon', members },
    });
    expect(res.statusCode).toBe(201);
    return res.json();
  };

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    cert = await seedCertification(server.handle.db, 'RNCP37001');
    otherCert = await seedCertification(server.handle.db, 'RNCP37002');
    candidate = (
      await server.as(admin, { method: 'POST', url: '/api/candidates', payload: buildCandidate() })
    ).json().id;
  });
  afterAll(() => server.close());

  it('convenes a jury with its members and their declarations, and writes the audit log', async () => {
    const jury = await newJury();
    expect(jury).toMatchObject({
      status: 'planned',
      members: [
        { fullName: 'Hélène Garnier', role: 'president', hasConflictOfInterest: false },
        {
          fullName: 'Paul Roux',
          hasConflictOfInterest: true,
          conflictNote: 'Ancien formateur de l’organisme Formasud',
        },
      ],
    });
    const log = await server.as(admin, {
      method: 'GET',
      url: `/api/audit-log?entityType=jury&entityId=${jury.id}`,
    });
    expect(log.json().items[0]).toMatchObject({ action: 'jury.create' });
  });

  it('refuses two presidents and an undescribed conflict of interest, naming the fields, and writes nothing', async () => {
    const before = await juryCount();
    const res = await server.as(admin, {
      method: 'POST',
      url: '/api/juries',
      payload: {
        certificationId: cert.id,
        meetsOn: '2026-11-10',
        members: [
          { fullName: 'A', role: 'member', hasConflictOfInterest: true },
          president,
          { ...president, fullName: 'B' },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'members/0/conflictNote', message: 'a declared conflict of interest says what it is' },
      { field: 'members/2/role', message: 'a jury has one president' },
    ]);
    expect(await juryCount()).toBe(before);
  });

  it('juries are the certifier’s: a partner may not read them, an auditor may not convene one (403)', async () => {
    const partner = await server.signIn('partner');
    expect((await server.as(partner, { method: 'GET', url: '/api/juries' })).statusCode).toBe(403);
    const auditor = await server.signIn('auditor');
    const res = await server.as(auditor, {
      method: 'POST',
      url: '/api/juries',
      payload: { certificationId: cert.id, meetsOn: '2026-11-10' },
    });
    expect(res.statusCode).toBe(403);
    expect((await server.as(auditor, { method: 'GET', url: '/api/juries' })).statusCode).toBe(200);
  });

  it('a certification by blocks names blocks of the certification; a candidate is deliberated once', async () => {
    const jury = await newJury();
    const url = `/api/juries/${jury.id}/deliberations`;
    const none = await server.as(admin, {
      method: 'POST',
      url,
      payload: { candidateId: candidate, decision: 'certified_by_blocks' },
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors).toEqual([
      { field: 'skillBlockIds', message: 'name the skill blocks validated' },
    ]);
    const foreign = await server.as(admin, {
      method: 'POST',
      url,
      payload: {
        candidateId: candidate,
        decision: 'certified_by_blocks',
        skillBlockIds: [otherCert.blocks[0]!.id],
      },
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors[0].field).toBe('skillBlockIds/0');
    const ok = await server.as(admin, {
      method: 'POST',
      url,
      payload: {
        candidateId: candidate,
        decision: 'certified_by_blocks',
        skillBlockIds: [cert.blocks[1]!.id],
      },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ decision: 'certified_by_blocks', skillBlockIds: [cert.blocks[1]!.id] });
    const twice = await server.as(admin, {
      method: 'POST',
      url,
      payload: { candidateId: candidate, decision: 'failed' },
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().errors).toEqual([
      { field: 'candidateId', message: 'already deliberated by this jury' },
    ]);
  });

  it('signs only after deliberating, with a president free of conflict; signed minutes are final', async () => {
    const jury = await newJury([
      { ...president, hasConflictOfInterest: true, conflictNote: 'Tutrice du candidat' },
    ]);
    const url = `/api/juries/${jury.id}`;
    const empty = await server.as(admin, { method: 'PATCH', url, payload: { status: 'deliberated' } });
    expect(empty.statusCode).toBe(409);
    await server.as(admin, {
      method: 'POST',
      url: `${url}/deliberations`,
      payload: { candidateId: candidate, decision: 'certified' },
    });
    const skip = await server.as(admin, { method: 'PATCH', url, payload: { status: 'signed' } });
    expect(skip.statusCode).toBe(409);
    expect(
      (await server.as(admin, { method: 'PATCH', url, payload: { status: 'deliberated' } })).statusCode,
    ).toBe(200);
    const biased = await server.as(admin, { method: 'PATCH', url, payload: { status: 'signed' } });
    expect(biased.statusCode).toBe(409);
    expect(biased.json().detail).toMatch(/declared a conflict of interest/);
    const members = await server.as(admin, {
      method: 'PUT',
      url: `${url}/members`,
      payload: { members: [president] },
    });
    expect(members.statusCode).toBe(200);
    const signed = await server.as(admin, { method: 'PATCH', url, payload: { status: 'signed' } });
    expect(signed.statusCode).toBe(200);
    expect(signed.json().signedAt).not.toBeNull();
    const late = await server.as(admin, {
      method: 'POST',
      url: `${url}/deliberations`,
      payload: { candidateId: candidate, decision: 'failed' },
    });
    expect(late.statusCode).toBe(409);
    expect((await server.as(admin, { method: 'PATCH', url, payload: { place: 'Paris' } })).statusCode).toBe(
      409,
    );
  });

  it('changes the composition until the minutes are signed: validated, audited, certifier staff only', async () => {
    const jury = await newJury();
    const url = `/api/juries/${jury.id}/members`;
    const twoPresidents = await server.as(admin, {
      method: 'PUT',
      url,
      payload: { members: [president, { ...professional, role: 'president' }] },
    });
    expect(twoPresidents.statusCode).toBe(400);
    expect(twoPresidents.json().errors).toEqual([
      { field: 'members/1/role', message: 'a jury has one president' },
    ]);
    const undescribed = await server.as(admin, {
      method: 'PUT',
      url,
      payload: { members: [president, { ...professional, conflictNote: null }] },
    });
    expect(undescribed.statusCode).toBe(400);
    expect(undescribed.json().errors[0].field).toBe('members/1/conflictNote');
    const partner = await server.signIn('partner');
    const byPartner = await server.as(partner, { method: 'PUT', url, payload: { members: [president] } });
    expect(byPartner.statusCode).toBe(403);
    const unchanged = await server.as(admin, { method: 'GET', url: `/api/juries/${jury.id}` });
    expect(unchanged.json().members).toHaveLength(2);

    const renamed = { ...professional, fullName: 'Nadia Benali-Roux' };
    const ok = await server.as(admin, { method: 'PUT', url, payload: { members: [president, renamed] } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().members.map((m: { fullName: string }) => m.fullName)).toContain('Nadia Benali-Roux');
    const log = await server.as(admin, {
      method: 'GET',
      url: `/api/audit-log?entityType=jury&entityId=${jury.id}`,
    });
    expect(log.json().items[0]).toMatchObject({
      action: 'jury.set_members',
      before: expect.arrayContaining([expect.objectContaining({ fullName: professional.fullName })]),
      after: expect.arrayContaining([expect.objectContaining({ fullName: 'Nadia Benali-Roux' })]),
    });

    // Once the minutes are signed the composition is history: refused, and left as it was.
    await server.handle.db
      .updateTable('juries')
      .set({ status: 'signed', signedAt: new Date() })
      .where('id', '=', jury.id)
      .execute();
    const afterSigning = await server.as(admin, { method: 'PUT', url, payload: { members: [president] } });
    expect(afterSigning.statusCode).toBe(409);
    expect(afterSigning.json().code).toBe('conflict');
    const kept = await server.as(admin, { method: 'GET', url: `/api/juries/${jury.id}` });
    expect(kept.json().members.map((m: { fullName: string }) => m.fullName)).toContain('Nadia Benali-Roux');
  });

  it('an unknown jury is 404', async () => {
    const res = await server.as(admin, {
      method: 'GET',
      url: '/api/juries/00000000-0000-4000-8000-000000000000',
    });
    expect(res.statusCode).toBe(404);
  });
});
