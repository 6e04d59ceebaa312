import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

interface Sheet {
  control: { id: string; status: string };
  items: {
    checkpoint: { id: string; code: string; requirementRef: string };
    result: string | null;
    findingId: string | null;
  }[];
  progress: { total: number; answered: number; minor: number; major: number };
}

describe('audit checklists and sheets', () => {
  let server: TestServer;
  let auditor: SignedIn;
  let partner: SignedIn;
  let templates: { id: string; code: string; kind: string; checkpoints: { requirementRef: string }[] }[];

  const plan = async (kind: string, templateCode: string) => {
    const template = templates.find((t) => t.code === templateCode);
    const res = await server.as(auditor, {
      method: 'POST',
      url: '/api/controls',
      payload: {
        kind,
        title: 'Visite annuelle',
        organisationId: partner.organisationId,
        plannedOn: '2026-12-01',
        checklistTemplateId: template?.id,
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; checklistTemplateId: string };
  };

  const sheet = async (id: string) =>
    (await server.as(auditor, { method: 'GET', url: `/api/controls/${id}/sheet` })).json() as Sheet;

  const record = (controlId: string, checkpointId: string, payload: unknown) =>
    server.as(auditor, {
      method: 'PUT',
      url: `/api/controls/${controlId}/checkpoints/${checkpointId}`,
      payload,
    });

  beforeAll(async () => {
    server = await newTestServer();
    auditor = await server.signIn('auditor');
    partner = await server.signIn('partner');
    templates = (await server.as(auditor, { method: 'GET', url: '/api/checklist-templates' })).json().items;
  });
  afterAll(() => server.close());

  it('ships a checklist for every audit kind, tied to RNQ indicators 3, 7, 16 and 27 among others', () => {
    expect(new Set(templates.map((t) => t.kind))).toEqual(
      new Set([
        'documentary',
        'on_site',
        'observation',
        'mystery_shop',
        'communication_review',
        'self_assessment',
      ]),
    );
    const refs = templates.flatMap((t) => t.checkpoints.map((c) => c.requirementRef));
    for (const indicator of [3, 7, 16, 27]) expect(refs).toContain(`RNQ indicateur ${indicator}`);
    expect(refs.some((r) => r.startsWith('Convention'))).toBe(true);
    expect(refs.some((r) => r.startsWith('France Compétences'))).toBe(true);
  });

  it('records results one by one; a major one raises a finding that follows the auditor’s reading', async () => {
    const control = await plan('on_site', 'visite-sur-site');
    const first = await sheet(control.id);
    expect(first.progress).toEqual({ total: 7, answered: 0, minor: 0, major: 0 });
    const [a, b] = first.items;
    if (!a || !b) throw new Error('checkpoints expected');

    const conform = await record(control.id, a.checkpoint.id, { result: 'conform' });
    expect(conform.statusCode).toBe(200);
    expect(conform.json()).toMatchObject({ control: { status: 'in_progress' }, progress: { answered: 1 } });

    const bare = await record(control.id, b.checkpoint.id, { result: 'major' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors).toEqual([
      { field: 'comment', message: 'a non-conform result needs a comment (what was seen)' },
    ]);

    const major = (
      await record(control.id, b.checkpoint.id, { result: 'major', comment: 'Pas de référent handicap' })
    ).json() as Sheet;
    const findingId = major.items[1]?.findingId;
    expect(findingId).toBeTruthy();
    const finding = (await server.as(auditor, { method: 'GET', url: `/api/findings/${findingId}` })).json();
    expect(finding).toMatchObject({
      organisationId: partner.organisationId,
      controlId: control.id,
      severity: 'major',
      status: 'open',
      checkpoint: { code: 'SITE-02', requirementRef: 'RNQ indicateur 26' },
    });
    // The partner sees the finding about itself.
    expect((await server.as(partner, { method: 'GET', url: `/api/findings/${findingId}` })).statusCode).toBe(
      200,
    );

    // Read again as minor: the same finding, now minor.
    const minor = (
      await record(control.id, b.checkpoint.id, { result: 'minor', comment: 'Référent nommé, non affiché' })
    ).json() as Sheet;
    expect(minor.items[1]?.findingId).toBe(findingId);
    expect(minor.progress).toMatchObject({ minor: 1, major: 0 });
    const updated = (await server.as(auditor, { method: 'GET', url: `/api/findings/${findingId}` })).json();
    expect(updated.severity).toBe('minor');

    // Then conform: nobody qualified it yet, so it is dismissed (closed), and the history says why.
    await record(control.id, b.checkpoint.id, { result: 'conform' });
    const dismissed = (await server.as(auditor, { method: 'GET', url: `/api/findings/${findingId}` })).json();
    expect(dismissed.status).toBe('closed');
    expect(dismissed.timeline.at(-1)).toMatchObject({
      status: 'closed',
      note: expect.stringMatching(/SITE-02/),
    });

    const log = await server.as(auditor, {
      method: 'GET',
      url: `/api/audit-log?entityType=control&entityId=${control.id}&limit=50`,
    });
    expect(
      log
        .json()
        .items.filter((e: { action: string }) => e.action === 'control.checkpoint')
        .map((e: { after: { result: string } }) => e.after.result),
    ).toEqual(expect.arrayContaining(['conform', 'major', 'minor']));
  });

  it('refuses results on a done audit (409), an unknown checkpoint (404), a checklist of another kind (400)', async () => {
    const control = await plan('documentary', 'documentaire-partenaire');
    const { items } = await sheet(control.id);
    const done = await server.as(auditor, {
      method: 'PATCH',
      url: `/api/controls/${control.id}`,
      payload: { status: 'done' },
    });
    expect(done.statusCode).toBe(200);
    const late = await record(control.id, items[0]?.checkpoint.id ?? '', { result: 'conform' });
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toBe('The audit is done: its results can no longer change');

    const other = await plan('documentary', 'documentaire-partenaire');
    const foreign = (await sheet((await plan('on_site', 'visite-sur-site')).id)).items[0]?.checkpoint.id;
    expect((await record(other.id, foreign ?? '', { result: 'conform' })).statusCode).toBe(404);

    const mismatch = await server.as(auditor, {
      method: 'POST',
      url: '/api/controls',
      payload: {
        kind: 'documentary',
        title: 'x',
        checklistTemplateId: templates.find((t) => t.kind === 'on_site')?.id,
      },
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().errors[0]).toEqual({
      field: 'checklistTemplateId',
      message: 'a on_site checklist, not a documentary one',
    });
  });

  it('adds a checklist of the certifier’s own; refuses a duplicate code (409) and a partner (403)', async () => {
    const payload = {
      code: 'jury-vae',
      kind: 'observation',
      title: 'Observation d’un jury VAE',
      checkpoints: [
        {
          code: 'VAE-01',
          question: 'Le livret 2 est communiqué au jury avant l’entretien.',
          requirementFramework: 'referentiel',
          requirementRef: 'Référentiel de certification — VAE',
        },
      ],
    };
    const created = await server.as(auditor, { method: 'POST', url: '/api/checklist-templates', payload });
    expect(created.statusCode).toBe(201);
    expect(created.json().checkpoints[0]).toMatchObject({ position: 1, code: 'VAE-01' });
    expect(
      (await server.as(auditor, { method: 'POST', url: '/api/checklist-templates', payload })).statusCode,
    ).toBe(409);
    expect((await server.as(partner, { method: 'GET', url: '/api/checklist-templates' })).statusCode).toBe(
      403,
    );
  });
});
