import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCertification,
  buildConvention,
  buildHabilitation,
  multipartFile,
} from '../../../../test/factories.js';
import { newTestServer, type SignedIn, system, type TestServer } from '../../../../test/server.js';
import { calendarDay } from '../../../core/habilitations/period.js';
import { outboxDir } from '../../../services/mail/mailer.js';

const pdf = (text: string) => `%PDF-1.7\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n`;
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('requests to partners', () => {
  let server: TestServer;
  let quality: SignedIn;
  let auditor: SignedIn;
  let readOnly: SignedIn;
  let partnerA: SignedIn;
  let partnerB: SignedIn;
  let habilitationA: string;
  let habilitationB: string;
  let findingB: string;
  const today = calendarDay(new Date());

  const post = (user: SignedIn, url: string, payload: object) =>
    server.as(user, { method: 'POST', url, payload });
  const get = (user: SignedIn, url: string) => server.as(user, { method: 'GET', url });
  const upload = (user: SignedIn, query: string, name: string, content: string) => {
    const body = multipartFile(name, content);
    return server.as(user, { method: 'POST', url: `/api/evidence${query}`, ...body });
  };
  const ask = (user: SignedIn, overrides: object = {}) =>
    post(user, '/api/requests', {
      organisationId: partnerA.organisationId,
      kind: 'documents',
      title: 'Feuilles d’émargement de la session de mars',
      body: 'Merci de déposer les feuilles d’émargement signées de la session du 12 mars.',
      dueOn: addDays(today, 14),
      habilitationId: habilitationA,
      ...overrides,
    });
  const outbox = async () => {
    const dir = outboxDir(server.services.ctx.config.dataDir);
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.eml')).sort();
    return Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')));
  };
  const counts = async () => {
    const r = await sql<{ requests: number; events: number; audit: number }>`select
      (select count(*)::int from partner_requests) as requests,
      (select count(*)::int from partner_request_events) as events,
      (select count(*)::int from audit_log) as audit`.execute(server.handle.db);
    return r.rows[0];
  };

  beforeAll(async () => {
    server = await newTestServer();
    quality = await server.signIn('quality_manager');
    auditor = await server.signIn('auditor');
    readOnly = await server.signIn('read_only');
    partnerA = await server.signIn('partner');
    partnerB = await server.signIn('partner');
    const cert = await server.services.certifications.create(system, buildCertification());
    habilitationA = (
      await server.services.habilitations.create(system, buildHabilitation(partnerA.organisationId!, cert.id))
    ).id;
    habilitationB = (
      await server.services.habilitations.create(system, buildHabilitation(partnerB.organisationId!, cert.id))
    ).id;
    findingB = (
      await server.services.findings.create(system, {
        organisationId: partnerB.organisationId,
        title: 'Émargements incomplets',
        severity: 'minor',
      })
    ).id;
  });
  afterAll(() => server.close());

  it('the certifier asks, the partner answers with a file, the certifier asks again, then accepts', async () => {
    const created = await ask(quality);
    expect(created.statusCode, created.body).toBe(201);
    const request = created.json();
    expect(request).toMatchObject({
      status: 'open',
      displayStatus: 'open',
      habilitationId: habilitationA,
      habilitationLabel: expect.stringMatching(/^RNCP/),
      events: [{ kind: 'created' }],
    });
    // The partner's users are told, in French, with the link to the request.
    const mail = (await outbox()).at(-1)!;
    expect(mail).toContain('Le certificateur demande à');
    expect(mail).toContain(
      `To: ${(await server.services.users.list(system, { q: 'partner', limit: 50, offset: 0 })).items.find((u) => u.organisationId === partnerA.organisationId)?.email}`,
    );
    expect(mail).toContain(`/requests/${request.id}`);

    const mine = await get(partnerA, '/api/requests');
    expect(mine.json().items.map((r: { id: string }) => r.id)).toEqual([request.id]);

    // The partner uploads its file for the request, then answers with it.
    const file = await upload(
      partnerA,
      `?entityType=partner_request&entityId=${request.id}`,
      'emargement.pdf',
      pdf('mars'),
    );
    expect(file.statusCode, file.body).toBe(201);
    const answered = await post(partnerA, `/api/requests/${request.id}/answers`, {
      message: 'Voici les feuilles signées.',
      evidenceIds: [file.json().id],
    });
    expect(answered.statusCode, answered.body).toBe(201);
    expect(answered.json()).toMatchObject({
      status: 'answered',
      events: [
        { kind: 'created' },
        {
          kind: 'answered',
          message: 'Voici les feuilles signées.',
          evidence: [{ fileName: 'emargement.pdf' }],
        },
      ],
    });
    const twice = await post(partnerA, `/api/requests/${request.id}/answers`, { message: 'Encore' });
    expect(twice.statusCode).toBe(409);
    // The answer's author is told.
    expect((await outbox()).at(-1)).toContain('a répondu à la demande');

    const reopened = await post(quality, `/api/requests/${request.id}/review`, {
      decision: 'reopen',
      message: 'La feuille du 13 mars manque.',
      dueOn: addDays(today, 21),
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'reopened', dueOn: addDays(today, 21) });
    const second = await post(partnerA, `/api/requests/${request.id}/answers`, {
      message: 'Feuille du 13 ajoutée.',
    });
    expect(second.statusCode).toBe(201);
    const accepted = await post(auditor, `/api/requests/${request.id}/review`, { decision: 'accept' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().status).toBe('accepted');
    expect(accepted.json().events.map((e: { kind: string }) => e.kind)).toEqual([
      'created',
      'answered',
      'reopened',
      'answered',
      'accepted',
    ]);
    const linked = await get(quality, `/api/evidence?entityType=partner_request&entityId=${request.id}`);
    expect(linked.json().items.map((e: { fileName: string }) => e.fileName)).toEqual(['emargement.pdf']);
    const audit = (
      await get(quality, `/api/audit-log?entityType=partner_request&entityId=${request.id}`)
    ).json();
    expect(audit.items.map((e: { action: string }) => e.action).sort()).toEqual([
      'request.accept',
      'request.answer',
      'request.answer',
      'request.create',
      'request.reopen',
    ]);
  });

  it('lists with filters: overdue, awaiting the partner or the certifier, by link', async () => {
    const late = (
      await ask(quality, { title: 'Programme de formation', kind: 'information', habilitationId: null })
    ).json();
    await sql`update partner_requests set due_on = ${addDays(today, -3)} where id = ${late.id}`.execute(
      server.handle.db,
    );
    const overdue = await get(quality, '/api/requests?status=overdue');
    expect(
      overdue.json().items.map((r: { id: string; displayStatus: string }) => [r.id, r.displayStatus]),
    ).toEqual([[late.id, 'overdue']]);
    const open = await get(quality, '/api/requests?status=open');
    expect(open.json().items.map((r: { id: string }) => r.id)).not.toContain(late.id);
    const awaiting = await get(
      quality,
      `/api/requests?awaiting=partner&organisationId=${partnerA.organisationId}`,
    );
    expect(awaiting.json().items.map((r: { id: string }) => r.id)).toContain(late.id);
    const byHabilitation = await get(readOnly, `/api/requests?habilitationId=${habilitationA}`);
    expect(byHabilitation.json().total).toBe(1);
    const searched = await get(quality, '/api/requests?q=programme');
    expect(searched.json().items.map((r: { id: string }) => r.id)).toEqual([late.id]);
  });

  it('the habilitation and convention screens read their own requests, open and answered, scoped to the partner', async () => {
    const cert = await server.services.certifications.create(system, buildCertification());
    const conventionA = (
      await server.services.conventions.create(system, buildConvention(partnerA.organisationId!, [cert.id]))
    ).id;
    const onConvention = (
      await ask(quality, {
        title: 'Annexe financière signée',
        habilitationId: null,
        conventionId: conventionA,
      })
    ).json();
    const onHabilitation = (await ask(quality, { title: 'Liste des formateurs' })).json();
    const stillOpen = (await ask(quality, { title: 'CV des évaluateurs' })).json();
    expect(
      (await post(partnerA, `/api/requests/${onHabilitation.id}/answers`, { message: 'Liste jointe' }))
        .statusCode,
    ).toBe(201);

    const read = async (user: SignedIn, query: string) =>
      (await get(user, `/api/requests?${query}&limit=200`))
        .json()
        .items.map((r: { id: string; displayStatus: string }) => [r.id, r.displayStatus]);
    // Certifier staff, on the habilitation's screen: the open and the answered ones, none of the convention's.
    const onHabilitationScreen = await read(
      quality,
      `organisationId=${partnerA.organisationId}&habilitationId=${habilitationA}`,
    );
    expect(onHabilitationScreen).toContainEqual([onHabilitation.id, 'answered']);
    expect(onHabilitationScreen.map(([id]: string[]) => id)).not.toContain(onConvention.id);
    expect(onHabilitationScreen).toContainEqual([stillOpen.id, 'open']);
    expect(
      await read(quality, `organisationId=${partnerA.organisationId}&conventionId=${conventionA}`),
    ).toEqual([[onConvention.id, 'open']]);
    // The partner user, on the same screens: the same requests…
    expect(
      await read(partnerA, `organisationId=${partnerA.organisationId}&conventionId=${conventionA}`),
    ).toEqual([[onConvention.id, 'open']]);
    expect(
      (await read(partnerA, `organisationId=${partnerA.organisationId}&habilitationId=${habilitationA}`)).map(
        ([id]: string[]) => id,
      ),
    ).toContain(onHabilitation.id);
    // …and nothing through another partner's habilitation or convention, whatever the organisation asked.
    expect(await read(partnerB, `habilitationId=${habilitationA}`)).toEqual([]);
    expect(
      await read(partnerB, `organisationId=${partnerA.organisationId}&conventionId=${conventionA}`),
    ).toEqual([]);
    const conventionPage = await get(partnerB, `/api/conventions/${conventionA}`);
    expect(conventionPage.statusCode).toBe(404);
  });

  it('a partner sees nothing of another partner: request, its files, its organisation are not found', async () => {
    const forB = (
      await ask(quality, {
        organisationId: partnerB.organisationId,
        habilitationId: habilitationB,
        findingId: findingB,
        title: 'Plan d’action',
      })
    ).json();
    const fileB = (
      await upload(partnerB, `?entityType=partner_request&entityId=${forB.id}`, 'plan.pdf', pdf('B'))
    ).json();
    await post(partnerB, `/api/requests/${forB.id}/answers`, {
      message: 'Plan joint',
      evidenceIds: [fileB.id],
    });

    for (const url of [
      `/api/requests/${forB.id}`,
      `/api/evidence/${fileB.id}`,
      `/api/evidence/${fileB.id}/content`,
      `/api/organisations/${partnerB.organisationId}`,
    ]) {
      const res = await get(partnerA, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().code, url).toBe('not_found');
    }
    expect(
      (await get(partnerA, `/api/requests?organisationId=${partnerB.organisationId}`)).json().total,
    ).toBe(0);
    expect(
      (await get(partnerA, '/api/requests'))
        .json()
        .items.map((r: { organisationId: string }) => r.organisationId),
    ).not.toContain(partnerB.organisationId);
    const answerOther = await post(partnerA, `/api/requests/${forB.id}/answers`, { message: 'intrus' });
    expect(answerOther.statusCode).toBe(404);
    // Nor may it attach another partner's file to its own request, nor upload onto another's request.
    const own = (await ask(quality, { title: 'Attestation' })).json();
    const stolen = await post(partnerA, `/api/requests/${own.id}/answers`, { evidenceIds: [fileB.id] });
    expect(stolen.statusCode).toBe(404);
    expect(stolen.json().errors[0].field).toBe('evidenceIds/0');
    const onOther = await upload(
      partnerA,
      `?entityType=partner_request&entityId=${forB.id}`,
      'x.pdf',
      pdf('x'),
    );
    expect(onOther.statusCode).toBe(404);
  });

  it('refuses bad input and nothing is written', async () => {
    const before = await counts();
    const cases: [object, number, string][] = [
      [{ dueOn: addDays(today, -1) }, 400, 'dueOn'],
      [{ dueOn: '2026-02-30' }, 400, 'dueOn'],
      [{ title: '   ' }, 400, 'title'],
      [{ kind: 'money' }, 400, 'kind'],
      [{ habilitationId: habilitationB }, 409, 'habilitationId'],
      [{ findingId: '00000000-0000-4000-8000-000000000000' }, 404, ''],
      [{ organisationId: '00000000-0000-4000-8000-000000000000', habilitationId: null }, 404, ''],
    ];
    for (const [overrides, status, field] of cases) {
      const res = await ask(quality, overrides);
      expect(res.statusCode, JSON.stringify(overrides)).toBe(status);
      if (field) expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const empty = await post(
      partnerA,
      `/api/requests/${(await get(partnerA, '/api/requests')).json().items[0].id}/answers`,
      {},
    );
    expect(empty.statusCode).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('a partner may not ask or review; read-only staff may not ask', async () => {
    expect((await ask(partnerA)).statusCode).toBe(403);
    expect((await ask(readOnly)).statusCode).toBe(403);
    const any = (await get(quality, '/api/requests')).json().items[0].id;
    expect((await post(partnerA, `/api/requests/${any}/review`, { decision: 'accept' })).statusCode).toBe(
      403,
    );
    expect((await post(quality, `/api/requests/${any}/answers`, { message: 'x' })).statusCode).toBe(403);
  });
});
