import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCertification,
  buildConvention,
  buildHabilitation,
  buildOrganisation,
} from '../../../../test/factories.js';
import { newTestServer, type SignedIn, system, type TestServer } from '../../../../test/server.js';
import { declarationDueOn } from '../../../core/declarations/declaration.js';
import { calendarDay } from '../../../core/habilitations/period.js';

interface Change {
  changeId: string;
  kind: string;
  habilitationId: string;
  status: string;
  dueOn: string;
  decidedOn: string;
  daysLeft: number;
  franceCompetencesValue: string;
  declaredOn: string | null;
}

describe('declarations to France Compétences', () => {
  let server: TestServer;
  let admin: SignedIn;
  let readOnly: SignedIn;
  let partner: SignedIn;
  const today = calendarDay(new Date());
  const due = declarationDueOn(today);
  let orgId: string;
  let siret: string;
  let certId: string;
  let certCode: string;
  let trainId: string;
  let evaluateId: string;

  const changes = async (query = '') =>
    server.as(admin, { method: 'GET', url: `/api/declarations/changes?limit=200${query}` });
  const mark = (payload: unknown, user: SignedIn = admin) =>
    server.as(user, { method: 'POST', url: '/api/declarations/changes/declared', payload });

  /** A habilitation granted: application → review → active (a signed convention covers it). */
  async function grant(scope: 'train' | 'evaluate' | 'both'): Promise<string> {
    const { habilitations } = server.services;
    const hab = await habilitations.create(system, buildHabilitation(orgId, certId, { scope }));
    await habilitations.decide(system, hab.id, { toStatus: 'review', reasons: 'Dossier complet' });
    await habilitations.decide(system, hab.id, { toStatus: 'active', reasons: 'Habilitation accordée' });
    return hab.id;
  }

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    readOnly = await server.signIn('read_only');
    partner = await server.signIn('partner');
    const { services } = server;
    const organisation = await services.organisations.create(system, buildOrganisation());
    orgId = organisation.id;
    siret = organisation.siret;
    const cert = await services.certifications.create(system, buildCertification());
    certId = cert.id;
    certCode = cert.code;
    const convention = await services.conventions.create(system, buildConvention(orgId, [certId]));
    await services.conventions.sign(system, convention.id, { signedOn: '2025-01-01' });
    trainId = await grant('train');
    evaluateId = await grant('evaluate');
  });
  afterAll(() => server.close());

  it('lists each grant as a change to declare within two months, and not the application or the review', async () => {
    const res = await changes();
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Change[];
    expect(items.map((c) => [c.habilitationId, c.kind]).sort()).toEqual(
      [
        [trainId, 'added'],
        [evaluateId, 'added'],
      ].sort(),
    );
    for (const c of items) {
      expect(c).toMatchObject({ decidedOn: today, dueOn: due, status: 'pending', declaredOn: null });
      expect(c.changeId).toMatch(/^decision:/);
    }
    expect(items.find((c) => c.habilitationId === trainId)?.franceCompetencesValue).toBe(
      'HABILITATION_FORMER',
    );
    expect(res.json().counts).toEqual({ overdue: 0, dueSoon: 0, pending: 2, declared: 0 });
  });

  it('says due soon within 14 days of the deadline and overdue after it', async () => {
    const dayBefore = (iso: string, n: number) =>
      new Date(Date.parse(`${iso}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
    const soon = (await changes(`&on=${dayBefore(due, 10)}`)).json();
    expect(soon.counts).toMatchObject({ dueSoon: 2, overdue: 0 });
    expect(soon.items[0].daysLeft).toBe(10);
    const late = (await changes(`&on=${dayBefore(due, -1)}&status=overdue`)).json();
    expect(late.total).toBe(2);
    expect(late.items[0].daysLeft).toBe(-1);
  });

  it('counts a suspension, a withdrawal and a change of scope as changes, not a watch', async () => {
    const { habilitations } = server.services;
    await habilitations.decide(system, evaluateId, { toStatus: 'under_watch', reasons: 'Écarts relevés' });
    await habilitations.decide(system, evaluateId, { toStatus: 'suspended', reasons: 'Écarts non corrigés' });
    await habilitations.decide(system, evaluateId, { toStatus: 'withdrawn', reasons: 'Retrait' });
    await habilitations.update(system, trainId, { scope: 'both' });
    const items = (await changes('&status=open')).json().items as Change[];
    expect(items.filter((c) => c.habilitationId === evaluateId).map((c) => c.kind)).toEqual([
      'added',
      'suspended',
      'withdrawn',
    ]);
    const scope = items.find((c) => c.kind === 'scope_changed');
    expect(scope).toMatchObject({
      habilitationId: trainId,
      franceCompetencesValue: 'HABILITATION_ORGA_FORM',
    });
    expect(scope?.changeId).toMatch(/^scope:\d+$/);
  });

  it('records changes as declared, with the day and the reference, in the audit log', async () => {
    const open = (await changes('&status=open')).json().items as Change[];
    const added = open.filter((c) => c.kind === 'added').map((c) => c.changeId);
    const res = await mark({ changeIds: added, declaredOn: today, reference: 'CertifPro 2026-118' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((c: Change) => c.status)).toEqual(['declared', 'declared']);
    const after = (await changes()).json();
    expect(after.counts.declared).toBe(2);
    expect(after.items.filter((c: Change) => c.declaredOn === today)).toHaveLength(2);
    const audit = await server.as(admin, { method: 'GET', url: '/api/audit-log?limit=5' });
    expect(audit.json().items.map((e: { action: string }) => e.action)).toContain('declaration.declare');
  });

  it('refuses the whole batch, naming each faulty entry, and records nothing', async () => {
    const open = (await changes('&status=open')).json().items as Change[];
    const declared = (await changes('&status=declared')).json().items as Change[];
    const res = await mark({
      changeIds: [open[0]!.changeId, declared[0]!.changeId, 'decision:00000000-0000-4000-8000-000000000000'],
      declaredOn: today,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'changeIds/1', message: `${declared[0]!.changeId} was already declared on ${today}` },
      {
        field: 'changeIds/2',
        message: 'decision:00000000-0000-4000-8000-000000000000 is not a change to declare',
      },
    ]);
    expect((await changes('&status=declared')).json().total).toBe(2);

    const future = await mark({ changeIds: [open[0]!.changeId], declaredOn: '2999-01-01' });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].field).toBe('declaredOn');
    const early = await mark({ changeIds: [open[0]!.changeId], declaredOn: '2020-01-01' });
    expect(early.json().errors[0]).toMatchObject({ field: 'changeIds/0' });
    const noProof = await mark({
      changeIds: [open[0]!.changeId],
      declaredOn: today,
      evidenceId: '00000000-0000-4000-8000-000000000009',
    });
    expect(noProof.json().errors).toEqual([{ field: 'evidenceId', message: 'unknown evidence file' }]);
    expect((await changes('&status=declared')).json().total).toBe(2);
  });

  it('lets read-only staff read but not declare, and keeps partners out', async () => {
    expect((await changes()).statusCode).toBe(200);
    expect((await server.as(readOnly, { method: 'GET', url: '/api/declarations/changes' })).statusCode).toBe(
      200,
    );
    expect((await mark({ changeIds: ['scope:1'], declaredOn: today }, readOnly)).statusCode).toBe(403);
    expect((await server.as(partner, { method: 'GET', url: '/api/declarations/partners' })).statusCode).toBe(
      403,
    );
  });

  it('gives one row per partner × certification, combining train and evaluate', async () => {
    const res = await server.as(admin, { method: 'GET', url: '/api/declarations/partners' });
    expect(res.statusCode).toBe(200);
    // trainId is now `both` and listed; evaluateId is withdrawn: the listed one is shown.
    expect(res.json().items).toEqual([
      expect.objectContaining({
        siret,
        certificationCode: certCode,
        franceCompetencesValue: 'HABILITATION_ORGA_FORM',
        state: 'Actif',
        startsOn: '2025-01-01',
        endsOn: null,
        lastChangeOn: today,
        dueOn: due,
        declaredOn: today,
      }),
    ]);
  });

  it('exports the list as CSV with a file name', async () => {
    const res = await server.as(admin, {
      method: 'GET',
      url: '/api/declarations/partners/export?format=csv',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="declaration-france-competences-${today}.csv"; filename*=UTF-8''declaration-france-competences-${today}.csv`,
    );
    const lines = res.body
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'SIRET;Raison sociale;Code certification;Intitulé certification;Habilitation France Compétences;État;Début;Fin;Dernier changement;À déclarer avant;Déclaré le',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]!.split(';').slice(0, 6)).toEqual([
      siret,
      expect.any(String),
      certCode,
      expect.any(String),
      'HABILITATION_ORGA_FORM',
      'Actif',
    ]);
  });

  it('exports the list as XLSX that reads back', async () => {
    const res = await server.as(admin, {
      method: 'GET',
      url: '/api/declarations/partners/export?format=xlsx&pendingOnly=true',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toContain(`declaration-france-competences-${today}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Partenaires')!;
    expect(sheet.getRow(1).getCell(5).value).toBe('Habilitation France Compétences');
    expect(sheet.getRow(2).getCell(1).value).toBe(siret);
    expect(sheet.getRow(2).getCell(5).value).toBe('HABILITATION_ORGA_FORM');
    expect(sheet.getRow(2).getCell(10).value).toEqual(new Date(`${due}T00:00:00Z`));
    expect(sheet.rowCount).toBe(2);
  });

  it('drops a pair from the pending list once all its changes are declared', async () => {
    const open = (await changes('&status=open')).json().items as Change[];
    expect((await mark({ changeIds: open.map((c) => c.changeId), declaredOn: today })).statusCode).toBe(200);
    const pending = await server.as(admin, {
      method: 'GET',
      url: '/api/declarations/partners?pendingOnly=true',
    });
    expect(pending.json().items).toEqual([]);
  });
});
