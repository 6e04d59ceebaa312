import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCandidate } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';
import type { Database } from '../../../db/database.js';

/** A certification with two skill blocks and a planned jury, straight in SQL: this suite is about certificates. */
async function seedCertificationAndJury(db: Database, code: string) {
  const { id } = await db
    .insertInto('certifications')
    .values({ code, register: 'RNCP', title: 'Responsable qualité' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const blocks = await db
    .insertInto('skillBlocks')
    .values([1, 2].map((i) => ({ certificationId: id, code: `${code}BC0${i}`, title: `Bloc ${i}` })))
    .returning(['id', 'code'])
    .execute();
  const jury = await db
    .insertInto('juries')
    .values({ certificationId: id, meetsOn: '2026-11-02' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, juryId: jury.id, blocks: blocks.sort((a, b) => a.code.localeCompare(b.code)) };
}

describe('certificate routes', () => {
  let server: TestServer;
  let admin: SignedIn;
  let partnerA: SignedIn;
  let partnerB: SignedIn;
  let seed: Awaited<ReturnType<typeof seedCertificationAndJury>>;
  const deliberation: Record<string, string> = {};
  const year = new Date().getUTCFullYear();

  const certificateCount = async () =>
    (
      await server.handle.db
        .selectFrom('certificates')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  const deliberate = async (key: string, user: SignedIn, decision: string, skillBlockIds: string[] = []) => {
    const candidateId = (
      await server.as(user, {
        method: 'POST',
        url: '/api/candidates',
        payload: buildCandidate({ firstNames: 'Zoé' }),
      })
    ).json().id;
    const res = await server.as(admin, {
      method: 'POST',
      url: `/api/juries/${seed.juryId}/deliberations`,
      payload: { candidateId, decision, skillBlockIds },
    });
    expect(res.statusCode).toBe(201);
    deliberation[key] = res.json().id;
  };

  const issue = (key: string, extra: Record<string, unknown> = {}) =>
    server.as(admin, {
      method: 'POST',
      url: '/api/certificates',
      payload: { deliberationId: deliberation[key], ...extra },
    });

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    partnerA = await server.signIn('partner');
    partnerB = await server.signIn('partner');
    seed = await seedCertificationAndJury(server.handle.db, 'RNCP38001');
    await deliberate('whole', partnerA, 'certified');
    await deliberate('blocks', partnerA, 'certified_by_blocks', [seed.blocks[1]!.id]);
    await deliberate('failed', partnerA, 'failed');
    await deliberate('postponed', partnerA, 'postponed');
    await deliberate('b1', partnerB, 'certified');
    await deliberate('b2', partnerB, 'certified');
    await deliberate('b3', partnerB, 'certified');
    await deliberate('old', partnerB, 'certified');
    await deliberate('disclose', partnerB, 'certified');
    // The president signs the minutes (status in SQL: this suite is not about juries); certificates rest on them.
    await server.handle.db
      .updateTable('juries')
      .set({ status: 'signed', signedAt: new Date() })
      .where('id', '=', seed.juryId)
      .execute();
  });
  afterAll(() => server.close());

  it('issues certificates numbered in sequence within the year, with a random verification code', async () => {
    const first = await issue('whole');
    expect(first.statusCode).toBe(201);
    const second = await issue('blocks');
    expect(second.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      number: `${year}-000001`,
      skillBlocks: [],
      accrochageStatus: 'pending',
    });
    expect(second.json()).toMatchObject({
      number: `${year}-000002`,
      skillBlocks: [{ code: 'RNCP38001BC02' }],
    });
    expect(first.json().verificationCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    expect(first.json().verificationCode).not.toBe(second.json().verificationCode);
    const log = await server.as(admin, {
      method: 'GET',
      url: `/api/audit-log?entityType=certificate&entityId=${first.json().id}`,
    });
    expect(log.json().items[0]).toMatchObject({ action: 'certificate.issue', actorId: admin.userId });
  });

  it('refuses (409) a failed or postponed deliberation, naming the decision, and writes nothing', async () => {
    const before = await certificateCount();
    const failed = await issue('failed');
    expect(failed.statusCode).toBe(409);
    expect(failed.json().errors).toEqual([{ field: 'deliberationId', message: 'decision is failed' }]);
    expect((await issue('postponed')).statusCode).toBe(409);
    expect(await certificateCount()).toBe(before);
  });

  it('refuses (409 jury_minutes_unsigned) a deliberation whose jury has not signed its minutes, naming the jury', async () => {
    const { id: juryId } = await server.handle.db
      .insertInto('juries')
      .values({ certificationId: seed.id, meetsOn: '2026-11-20', status: 'deliberated' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const candidateId = (
      await server.as(admin, { method: 'POST', url: '/api/candidates', payload: buildCandidate() })
    ).json().id;
    const decided = await server.as(admin, {
      method: 'POST',
      url: `/api/juries/${juryId}/deliberations`,
      payload: { candidateId, decision: 'certified' },
    });
    expect(decided.statusCode).toBe(201);
    const before = await certificateCount();
    const res = await server.as(admin, {
      method: 'POST',
      url: '/api/certificates',
      payload: { deliberationId: decided.json().id },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'jury_minutes_unsigned',
      details: { juryId, juryStatus: 'deliberated' },
      errors: [{ field: 'deliberationId' }],
    });
    expect(res.json().detail).toContain(juryId);
    expect(await certificateCount()).toBe(before);
  });

  it('issues one certificate per deliberation (409 the second time)', async () => {
    const res = await issue('whole');
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0].message).toBe(`already issued as ${year}-000001`);
  });

  it('numbers each year on its own, and gives distinct numbers to issues made at the same time', async () => {
    const old = await issue('old', { issuedOn: `${year - 1}-12-18` });
    expect(old.json().number).toBe(`${year - 1}-000001`);
    const together = await Promise.all([issue('b1'), issue('b2')]);
    expect(together.map((r) => r.statusCode)).toEqual([201, 201]);
    expect(together.map((r) => r.json().number).sort()).toEqual([`${year}-000003`, `${year}-000004`]);
  });

  it('refuses an issue date in the future (400)', async () => {
    const res = await issue('b3', { issuedOn: `${year + 1}-01-01` });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'issuedOn', message: 'must not be in the future' }]);
  });

  it('a partner reads its own candidates’ certificates only (404 for others)', async () => {
    const own = (
      await server.as(admin, { method: 'GET', url: `/api/certificates?year=${year}&limit=200` })
    ).json().items as { id: string; number: string }[];
    const ofA = own.find((c) => c.number === `${year}-000001`)!;
    expect(
      (await server.as(partnerA, { method: 'GET', url: `/api/certificates/${ofA.id}` })).statusCode,
    ).toBe(200);
    expect(
      (await server.as(partnerB, { method: 'GET', url: `/api/certificates/${ofA.id}` })).statusCode,
    ).toBe(404);
    const listB = (await server.as(partnerB, { method: 'GET', url: '/api/certificates' })).json();
    expect(listB.items.map((c: { id: string }) => c.id)).not.toContain(ofA.id);
    expect(listB.total).toBe(3);
  });

  it('only certifier staff issue (403 for an auditor)', async () => {
    const auditor = await server.signIn('auditor');
    const res = await server.as(auditor, {
      method: 'POST',
      url: '/api/certificates',
      payload: { deliberationId: deliberation.b3 },
    });
    expect(res.statusCode).toBe(403);
  });

  it('anyone checks a code without signing in; revocation needs reasons and shows in the check', async () => {
    const issued = (await issue('b3')).json();
    const check = await server.as(undefined, {
      method: 'GET',
      url: `/api/certificates/verify/${issued.verificationCode.toLowerCase()}`,
    });
    expect(check.statusCode).toBe(200);
    expect(check.json()).toMatchObject({
      number: issued.number,
      status: 'valid',
      certificationCode: 'RNCP38001',
    });
    // Initials only: the public check confirms the paper in hand, it does not publish who holds what.
    expect(check.json().holderName).toBe('Z. M.');
    expect(JSON.stringify(check.json())).not.toMatch(/Zoé|Martin/);
    expect(Object.keys(check.json()).sort()).toEqual([
      'certificationCode',
      'certificationTitle',
      'holderName',
      'issuedOn',
      'number',
      'skillBlocks',
      'status',
    ]);

    const bare = await server.as(admin, {
      method: 'POST',
      url: `/api/certificates/${issued.id}/revoke`,
      payload: {},
    });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors[0].field).toBe('reason');
    const revoked = await server.as(admin, {
      method: 'POST',
      url: `/api/certificates/${issued.id}/revoke`,
      payload: { reason: 'Fraude constatée à l’épreuve écrite' },
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ revocationReason: 'Fraude constatée à l’épreuve écrite' });
    const after = await server.as(undefined, {
      method: 'GET',
      url: `/api/certificates/verify/${issued.verificationCode}`,
    });
    expect(after.json().status).toBe('revoked');
    const again = await server.as(admin, {
      method: 'POST',
      url: `/api/certificates/${issued.id}/revoke`,
      payload: { reason: 'Deuxième révocation' },
    });
    expect(again.statusCode).toBe(409);
  });

  it('the public check shows the full name only with the holder’s consent, recorded and audited', async () => {
    const issued = (await issue('disclose')).json();
    expect(issued).toMatchObject({ disclosure: 'initials', disclosureConsent: null });
    const check = () =>
      server.as(undefined, { method: 'GET', url: `/api/certificates/verify/${issued.verificationCode}` });
    expect((await check()).json().holderName).toBe('Z. M.');

    const url = `/api/certificates/${issued.id}/disclosure`;
    const noConsent = await server.as(admin, { method: 'PUT', url, payload: { disclosure: 'full_name' } });
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.json().errors).toEqual([
      { field: 'consent', message: 'showing the full name needs the holder’s consent: say how it was given' },
    ]);
    const byPartner = await server.as(partnerB, {
      method: 'PUT',
      url,
      payload: { disclosure: 'full_name', consent: 'Courriel du 12/03/2026' },
    });
    expect(byPartner.statusCode).toBe(403);
    expect((await check()).json().holderName).toBe('Z. M.');

    const agreed = await server.as(admin, {
      method: 'PUT',
      url,
      payload: { disclosure: 'full_name', consent: 'Courriel du 12/03/2026' },
    });
    expect(agreed.statusCode).toBe(200);
    expect(agreed.json()).toMatchObject({
      disclosure: 'full_name',
      disclosureConsent: 'Courriel du 12/03/2026',
    });
    expect((await check()).json().holderName).toBe(issued.holderName);
    const log = await server.as(admin, {
      method: 'GET',
      url: `/api/audit-log?entityType=certificate&entityId=${issued.id}`,
    });
    expect(log.json().items[0]).toMatchObject({
      action: 'certificate.set_disclosure',
      before: { disclosure: 'initials', disclosureConsent: null },
      after: { disclosure: 'full_name', disclosureConsent: 'Courriel du 12/03/2026' },
    });

    // Withdrawn: back to initials, and the consent is no longer kept on the certificate (the log has it).
    const withdrawn = await server.as(admin, { method: 'PUT', url, payload: { disclosure: 'initials' } });
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json()).toMatchObject({ disclosure: 'initials', disclosureConsent: null });
    expect((await check()).json().holderName).toBe('Z. M.');
  });

  it('an unknown verification code is 404', async () => {
    const res = await server.as(undefined, {
      method: 'GET',
      url: '/api/certificates/verify/ABCD-EFGH-JKMN-PQRS-TVWX',
    });
    expect(res.statusCode).toBe(404);
  });
});
