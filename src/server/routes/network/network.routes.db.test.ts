import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCertification,
  buildConvention,
  buildHabilitation,
  buildOrganisation,
} from '../../../../test/factories.js';
import { newTestServer, type SignedIn, system, type TestServer } from '../../../../test/server.js';
import { calendarDay } from '../../../core/habilitations/period.js';

describe('network routes', () => {
  let server: TestServer;
  let admin: SignedIn;
  const ids: Record<string, string> = {};
  let certA: string;
  let certB: string;

  const get = (url: string, user: SignedIn = admin) => server.as(user, { method: 'GET', url });
  const names = async (url: string) => {
    const res = await get(url);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as { legalName: string }[]).map((i) => i.legalName);
  };

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    const s = server.services;
    certA = (await s.certifications.create(system, buildCertification())).id;
    certB = (await s.certifications.create(system, buildCertification())).id;
    const orgs = [
      { key: 'montpellier', legalName: 'Alpha Formation', postalCode: '34000', city: 'Montpellier' },
      {
        key: 'paris',
        legalName: 'Bêta Conseil',
        postalCode: '75011',
        city: 'Paris',
        qualiopiStatus: 'lapsed',
      },
      { key: 'toulouse', legalName: 'Gamma Compétences', postalCode: '31000', city: 'Toulouse' },
      { key: 'ajaccio', legalName: 'Delta Corse', postalCode: '20000', city: 'Ajaccio' },
      { key: 'none', legalName: 'Epsilon Sans Habilitation', postalCode: '69003', city: 'Lyon' },
    ] as const;
    for (const o of orgs) {
      const { key, ...input } = o;
      ids[key] = (await s.organisations.create(system, buildOrganisation(input))).id;
    }
    // Montpellier: A active (via SQL status), B application. Paris: A suspended. Toulouse: B application.
    const hab = async (org: string, cert: string) =>
      (await s.habilitations.create(system, buildHabilitation(ids[org]!, cert))).id;
    const mA = await hab('montpellier', certA);
    await hab('montpellier', certB);
    const pA = await hab('paris', certA);
    await hab('toulouse', certB);
    await hab('ajaccio', certA);
    await server.handle.db
      .updateTable('habilitations')
      .set({ status: 'active' })
      .where('id', '=', mA)
      .execute();
    await server.handle.db
      .updateTable('habilitations')
      .set({ status: 'suspended' })
      .where('id', '=', pA)
      .execute();
  });
  afterAll(() => server.close());

  it('lists with counts and the region read from the postal code', async () => {
    const res = await get('/api/network?sort=legalName');
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.total).toBe(5);
    const alpha = page.items.find((i: { legalName: string }) => i.legalName === 'Alpha Formation');
    expect(alpha).toMatchObject({
      regionCode: '76',
      habilitationCount: 2,
      activeHabilitationCount: 1,
      suspendedHabilitationCount: 0,
    });
    expect(page.items.find((i: { city: string }) => i.city === 'Ajaccio').regionCode).toBe('94');
  });

  it('filters by certification, habilitation status, region and Qualiopi, combined', async () => {
    expect(await names(`/api/network?certificationId=${certA}`)).toEqual([
      'Alpha Formation',
      'Bêta Conseil',
      'Delta Corse',
    ]);
    expect(await names(`/api/network?certificationId=${certB}&habilitationStatus=application`)).toEqual([
      'Alpha Formation',
      'Gamma Compétences',
    ]);
    // Montpellier's B habilitation is an application: not active on B.
    expect(await names(`/api/network?certificationId=${certB}&habilitationStatus=active`)).toEqual([]);
    expect(await names('/api/network?habilitationStatus=suspended')).toEqual(['Bêta Conseil']);
    expect(await names('/api/network?habilitationStatus=none')).toEqual(['Epsilon Sans Habilitation']);
    expect(await names('/api/network?region=76')).toEqual(['Alpha Formation', 'Gamma Compétences']);
    expect(await names(`/api/network?region=76&certificationId=${certA}`)).toEqual(['Alpha Formation']);
    expect(await names('/api/network?qualiopiStatus=lapsed')).toEqual(['Bêta Conseil']);
    expect(await names('/api/network?region=11&qualiopiStatus=certified')).toEqual([]);
  });

  it('sorts and pages, the total counting every match', async () => {
    expect(await names('/api/network?sort=city&order=desc')).toEqual([
      'Gamma Compétences',
      'Bêta Conseil',
      'Alpha Formation',
      'Epsilon Sans Habilitation',
      'Delta Corse',
    ]);
    expect(await names('/api/network?sort=activeHabilitations&order=desc&limit=1')).toEqual([
      'Alpha Formation',
    ]);
    const second = (await get('/api/network?sort=legalName&limit=2&offset=2')).json();
    expect(second.total).toBe(5);
    expect(second.items.map((i: { legalName: string }) => i.legalName)).toEqual([
      'Delta Corse',
      'Epsilon Sans Habilitation',
    ]);
  });

  it('refuses an unknown filter value with the field named, and the risk filter to partners', async () => {
    const bad = await get('/api/network?region=99&habilitationStatus=dormant');
    expect(bad.statusCode).toBe(400);
    const fields = (bad.json().errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['habilitationStatus', 'region']);
    const partner = await server.signIn('partner', { organisationId: ids.paris! });
    const own = (await get('/api/network?withRisk=true', partner)).json();
    expect(own.items.map((i: { id: string }) => i.id)).toEqual([ids.paris]);
    expect(own.items[0].risk).toBeNull();
    expect((await get('/api/network?risk=high', partner)).statusCode).toBe(403);
  });

  it('filters by risk level with the risk service, and shows each row’s score', async () => {
    const res = await get('/api/network?withRisk=true');
    expect(res.statusCode, res.body).toBe(200);
    const all = res.json();
    expect((await get('/api/network')).json().items[0].risk).toBeNull();
    for (const item of all.items) expect(item.risk).toMatchObject({ level: expect.any(String) });
    const levels = new Set(all.items.map((i: { risk: { level: string } }) => i.risk.level));
    for (const level of ['low', 'medium', 'high']) {
      const page = (await get(`/api/network?risk=${level}&withRisk=true`)).json();
      expect(page.items.every((i: { risk: { level: string } }) => i.risk.level === level)).toBe(true);
      expect(page.total > 0).toBe(levels.has(level));
    }
  });

  it('keeps the risk filter current: a change since the last scoring, or a new day, scores again', async () => {
    const level = async (org: string) =>
      (await get(`/api/risk-scores/${org}`)).json().level as 'low' | 'medium' | 'high';
    const filtered = async (risk: string) => {
      const res = await get(`/api/network?risk=${risk}&limit=200`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { id: string }[]).map((i) => i.id);
    };
    const before = await level(ids.toulouse!);
    expect(await filtered(before)).toContain(ids.toulouse);
    // A critical finding (an audited change) raises the score by 30 points: the filter follows at once.
    await server.services.findings.create(system, {
      organisationId: ids.toulouse,
      title: 'Évaluations tenues sans jury',
      severity: 'critical',
    });
    const after = await level(ids.toulouse!);
    expect(after).not.toBe(before);
    expect(await filtered(after)).toContain(ids.toulouse);
    expect(await filtered(before)).not.toContain(ids.toulouse);
    // Computed on another day (lastAudit and Qualiopi expiry move with the date): scored again.
    const state = () =>
      sql<{ asOf: string; auditSeq: string }>`select as_of::text, audit_seq::text
        from organisation_risk_levels_state`.execute(server.handle.db);
    await sql`update organisation_risk_levels_state set as_of = as_of - 1`.execute(server.handle.db);
    await sql`delete from organisation_risk_levels`.execute(server.handle.db);
    expect(await filtered(after)).toContain(ids.toulouse);
    expect((await state()).rows[0]!.asOf).toBe(calendarDay(new Date()));
  });

  it('exports the filtered list as CSV and XLSX', async () => {
    const csv = await get(`/api/network/export?certificationId=${certA}&sort=legalName&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^SIRET;Raison sociale;/);
    expect(lines[1]).toContain('Alpha Formation');
    expect(lines[1]).toContain('Occitanie');
    const xlsx = await get('/api/network/export?region=76&format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Réseau')!;
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(2).getCell(2).value).toBe('Alpha Formation');
  });

  it('tells a partner’s story newest first, one page at a time, with authors', async () => {
    const s = server.services;
    const org = (await s.organisations.create(system, buildOrganisation({ legalName: 'Zêta Formation' }))).id;
    const { displayName } = await server.handle.db
      .selectFrom('users')
      .select('displayName')
      .where('id', '=', admin.userId)
      .executeTakeFirstOrThrow();
    const actor = {
      kind: 'user',
      userId: admin.userId,
      role: 'admin',
      organisationId: null,
      label: displayName,
    } as const;
    const hab = await s.habilitations.create(actor, buildHabilitation(org, certA));
    await s.habilitations.decide(actor, hab.id, { toStatus: 'review', reasons: 'Dossier complet' });
    const conv = await s.conventions.create(actor, buildConvention(org, [certA]));
    await s.conventions.sign(actor, conv.id, { signedOn: '2025-01-02' });
    await s.habilitations.decide(actor, hab.id, { toStatus: 'active', reasons: 'Avis favorable du comité' });
    await s.organisations.update(actor, org, { city: 'Nîmes' });
    await s.habilitations.decide(actor, hab.id, { toStatus: 'suspended', reasons: 'Écarts majeurs' });

    const res = await get(`/api/organisations/${org}/timeline?limit=50`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    const story = page.items.map((e: { action: string; toStatus: string | null }) =>
      e.toStatus && e.action === 'habilitation.decide' ? `${e.action}:${e.toStatus}` : e.action,
    );
    expect(story).toEqual([
      'habilitation.decide:suspended',
      'organisation.update',
      'habilitation.decide:active',
      'convention.sign',
      'convention.create',
      'habilitation.decide:review',
      'habilitation.create',
      'organisation.create',
    ]);
    expect(page.total).toBe(8);
    const suspension = page.items[0];
    expect(suspension).toMatchObject({
      subject: expect.stringMatching(/^RNCP/),
      actor: displayName,
      text: 'Écarts majeurs',
      fromStatus: 'active',
      fromAuditLog: false,
      dateOnly: false,
    });
    expect(page.items[3]).toMatchObject({ subject: conv.reference, actor: displayName, dateOnly: false });
    expect(page.items[1]).toMatchObject({ fromAuditLog: true, actor: displayName });

    const second = (await get(`/api/organisations/${org}/timeline?limit=3&offset=3`)).json();
    expect(second.total).toBe(8);
    expect(second.items.map((e: { key: string }) => e.key)).toEqual(
      page.items.slice(3, 6).map((e: { key: string }) => e.key),
    );
    const beyond = (await get(`/api/organisations/${org}/timeline?limit=3&offset=30`)).json();
    expect(beyond).toMatchObject({ items: [], total: 8 });

    // A partner user reads its own story from the records (no audit-log entries), and nobody else's.
    const partner = await server.signIn('partner', { organisationId: org });
    const own = (await get(`/api/organisations/${org}/timeline`, partner)).json();
    expect(own.items.some((e: { fromAuditLog: boolean }) => e.fromAuditLog)).toBe(false);
    expect(own.total).toBe(7);
    expect((await get(`/api/organisations/${ids.paris}/timeline`, partner)).statusCode).toBe(404);
    const unknown = await get('/api/organisations/00000000-0000-4000-8000-000000000000/timeline');
    expect(unknown.statusCode).toBe(404);

    // The audit log filtered by organisation: its own entries and its records', nobody else's.
    const log = (await get(`/api/audit-log?organisationId=${org}&limit=100`)).json();
    expect(log.total).toBe(8);
    expect(new Set(log.items.map((e: { entityType: string }) => e.entityType))).toEqual(
      new Set(['organisation', 'habilitation', 'convention']),
    );
  });
});
