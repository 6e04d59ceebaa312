import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartFile } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';
import { can, roles } from '../../../core/access/policy.js';
import type { Contract } from '../../../core/contracts/contract.js';
import * as registryContracts from '../../../core/contracts/registry.js';

const fixtures = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../importers/france-competences/fixtures',
);
const rncpSample = readFileSync(path.join(fixtures, 'rncp-v4.1-fiches-sample.xml'));

describe('registry routes', () => {
  let server: TestServer;
  let admin: SignedIn;
  let qualityManager: SignedIn;
  let auditor: SignedIn;
  let partner: SignedIn;

  /** Uploads an export as `user` and waits for its import to end; returns the last job view. */
  async function uploadAndWait(user: SignedIn, fileName: string, content: Buffer | string, query = '') {
    const upload = multipartFile(fileName, content);
    const started = await server.as(user, {
      method: 'POST',
      url: `/api/registry/imports${query}`,
      ...upload,
    });
    expect(started.statusCode, started.body).toBe(201);
    const job = started.json();
    expect(job).toMatchObject({ status: 'running', fileName });
    await server.services.registry.waitForImportJob(job.id);
    const res = await server.as(user, { method: 'GET', url: `/api/registry/imports/${job.id}` });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    qualityManager = await server.signIn('quality_manager');
    auditor = await server.signIn('auditor');
    partner = await server.signIn('partner');
  });
  afterAll(() => server.close());

  it('imports an uploaded export in the background and reports its progress, then its summary', async () => {
    const job = await uploadAndWait(
      qualityManager,
      'export_fiches_RNCP_V4_1_2026-08-16.xml',
      rncpSample,
      '?certifierSiret=52875765100013',
    );
    expect(job).toMatchObject({
      status: 'succeeded',
      progress: { bytesRead: rncpSample.length, totalBytes: rncpSample.length, fiches: 3, ratio: 1 },
      error: null,
      summary: {
        fileName: 'export_fiches_RNCP_V4_1_2026-08-16.xml',
        certifications: 3,
        declaredPartners: 27,
        activeDeclaredPartners: 27,
        changes: { newFiches: 3 },
        reconciliation: { ownedCertifications: 1, findingsOpened: 24 },
      },
    });
    expect(job.finishedAt).not.toBeNull();
  });

  it('searches the registry, shows a fiche with its partners and history, lists the runs', async () => {
    const search = await server.as(auditor, {
      method: 'GET',
      url: '/api/registry/fiches?q=v%C3%A9t%C3%A9rinaire',
    });
    expect(search.statusCode).toBe(200);
    expect(search.json()).toMatchObject({
      total: 1,
      items: [
        {
          code: 'RNCP40344',
          isOwned: true,
          level: 4,
          partnerCount: 24,
          certifiers: [
            { siret: '52875765100013', name: 'ANIMAL PRO FORMATION', state: 'Actif' },
            { siret: null, name: 'SNVEL' },
          ],
          publicUrl: 'https://www.francecompetences.fr/recherche/rncp/40344/',
        },
      ],
    });
    const owned = await server.as(auditor, { method: 'GET', url: '/api/registry/fiches?owned=true' });
    expect(owned.json().items.map((f: { code: string }) => f.code)).toEqual(['RNCP40344']);
    const inactive = await server.as(auditor, { method: 'GET', url: '/api/registry/fiches?active=false' });
    expect(inactive.json().items.map((f: { code: string }) => f.code)).toEqual(['RNCP35419']);

    const fiche = await server.as(auditor, { method: 'GET', url: '/api/registry/fiches/rncp35419' });
    expect(fiche.statusCode).toBe(200);
    const body = fiche.json();
    expect(body).toMatchObject({
      code: 'RNCP35419',
      isActive: false,
      record: { level: 7, decidedOn: '2021-03-17' },
    });
    expect(body.partners.map((p: { name: string }) => p.name)).toEqual([
      "ASSOCIATION POUR L'ENSEIGNEMENT DU NUMERIQUE",
      'ISCOD',
      'VISIPLUS',
    ]);
    expect(body.history).toMatchObject([{ kind: 'new' }]);
    const history = await server.as(auditor, {
      method: 'GET',
      url: '/api/registry/fiches/RNCP35419/history?limit=5',
    });
    expect(history.json()).toMatchObject({
      total: 1,
      limit: 5,
      items: [{ kind: 'new', ficheCode: 'RNCP35419' }],
    });

    const runs = await server.as(auditor, { method: 'GET', url: '/api/registry/import-runs' });
    expect(runs.json()).toMatchObject({
      total: 1,
      items: [{ status: 'changed', certifierSiret: '52875765100013', actorLabel: expect.any(String) }],
    });
    const run = await server.as(auditor, {
      method: 'GET',
      url: `/api/registry/import-runs/${runs.json().items[0].id}`,
    });
    expect(run.json()).toMatchObject({
      rejected: [],
      unknownElements: {},
      format: 'xml',
      flowVersion: '4.1',
    });

    const runId = runs.json().items[0].id;
    const changes = await server.as(auditor, {
      method: 'GET',
      url: `/api/registry/import-runs/${runId}/changes?kind=new`,
    });
    expect(changes.statusCode).toBe(200);
    expect(changes.json()).toMatchObject({ total: 3, items: [{ kind: 'new', runId }, {}, {}] });
    const oneFiche = await server.as(auditor, {
      method: 'GET',
      url: `/api/registry/import-runs/${runId}/changes?code=rncp35419`,
    });
    expect(oneFiche.json()).toMatchObject({ total: 1, items: [{ ficheCode: 'RNCP35419', kind: 'new' }] });
    const removed = await server.as(auditor, {
      method: 'GET',
      url: `/api/registry/import-runs/${runId}/changes?kind=partner_removed`,
    });
    expect(removed.json()).toMatchObject({ total: 0, items: [] });
    const unknownRun = await server.as(auditor, {
      method: 'GET',
      url: `/api/registry/import-runs/${randomUUID()}/changes`,
    });
    expect(unknownRun.statusCode).toBe(404);
  });

  it('lists the reconciliation findings with their source line', async () => {
    const res = await server.as(auditor, {
      method: 'GET',
      url: '/api/registry/findings?ruleId=registry.declared_unknown&limit=100',
    });
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.total).toBe(24);
    expect(page.items[0]).toMatchObject({
      ruleId: 'registry.declared_unknown',
      ficheCode: 'RNCP40344',
      status: 'open',
      severity: 'major',
      source: { file: 'export_fiches_RNCP_V4_1_2026-08-16.xml', line: expect.any(Number) },
    });
    const closed = await server.as(auditor, { method: 'GET', url: '/api/registry/findings?status=closed' });
    expect(closed.json().total).toBe(0);
  });

  it('reports a broken upload as a failed job naming the line, and changes nothing', async () => {
    const before = (await server.as(admin, { method: 'GET', url: '/api/registry/import-runs' })).json().total;
    const truncated = rncpSample.subarray(0, 30_000);
    const job = await uploadAndWait(admin, 'export_fiches_RNCP_V4_1_2026-09-01.xml', truncated);
    expect(job).toMatchObject({
      status: 'failed',
      summary: null,
      error: {
        code: 'import_rejected',
        details: { file: 'export_fiches_RNCP_V4_1_2026-09-01.xml', line: expect.any(Number) },
      },
    });
    expect(job.error.message).toMatch(/malformed or truncated XML/);
    expect((await server.as(admin, { method: 'GET', url: '/api/registry/import-runs' })).json().total).toBe(
      before,
    );
  });

  it('keeps the registry from partners and imports from roles that may not manage certifications', async () => {
    for (const url of [
      '/api/registry/fiches',
      '/api/registry/fiches/RNCP40344',
      '/api/registry/findings',
      '/api/registry/import-runs',
    ]) {
      const res = await server.as(partner, { method: 'GET', url });
      expect(res.statusCode, url).toBe(403);
    }
    const upload = multipartFile('export.xml', rncpSample);
    expect(
      (await server.as(auditor, { method: 'POST', url: '/api/registry/imports', ...upload })).statusCode,
    ).toBe(403);
    expect((await server.as(undefined, { method: 'GET', url: '/api/registry/fiches' })).statusCode).toBe(401);
  });

  it('answers 403 exactly where the role lacks the permission of the contract', async () => {
    const contracts = (Object.values(registryContracts) as unknown[]).filter(
      (c): c is Contract => typeof c === 'object' && c !== null && 'path' in c && 'method' in c,
    );
    expect(contracts).toHaveLength(9);
    for (const role of roles) {
      const user = await server.signIn(role);
      for (const c of contracts) {
        expect(server.app.hasRoute({ method: c.method, url: c.path }), c.path).toBe(true);
        const url = c.path.replace(':code', 'RNCP40344').replace(/:id/, randomUUID());
        const res = await server.as(user, {
          method: c.method,
          url,
          ...(c.method === 'POST' ? { payload: {} } : {}),
        });
        const allowed = can(
          { kind: 'user', userId: user.userId, role, organisationId: user.organisationId, label: '' },
          c.action!,
        );
        if (allowed) expect([401, 403], `${role} ${c.method} ${c.path}`).not.toContain(res.statusCode);
        else expect(res.statusCode, `${role} ${c.method} ${c.path}`).toBe(403);
      }
    }
  });

  it('answers 404 for an unknown fiche, run or job, and for another user’s job', async () => {
    expect((await server.as(auditor, { method: 'GET', url: '/api/registry/fiches/RNCP1' })).statusCode).toBe(
      404,
    );
    expect(
      (await server.as(auditor, { method: 'GET', url: '/api/registry/fiches/pas-un-code' })).statusCode,
    ).toBe(404);
    expect(
      (
        await server.as(auditor, {
          method: 'GET',
          url: '/api/registry/import-runs/00000000-0000-4000-8000-000000000000',
        })
      ).statusCode,
    ).toBe(404);
    const upload = multipartFile('export.xml', rncpSample);
    const started = (
      await server.as(admin, { method: 'POST', url: '/api/registry/imports', ...upload })
    ).json();
    await server.services.registry.waitForImportJob(started.id);
    expect(
      (await server.as(qualityManager, { method: 'GET', url: `/api/registry/imports/${started.id}` }))
        .statusCode,
    ).toBe(404);
    expect(
      (await server.as(admin, { method: 'GET', url: `/api/registry/imports/${started.id}` })).json().status,
    ).toBe('succeeded');
  });

  it('refuses bad input: an invalid SIRET, a body that is not multipart, a wrong page size', async () => {
    const upload = multipartFile('export.xml', rncpSample);
    const badSiret = await server.as(admin, {
      method: 'POST',
      url: '/api/registry/imports?certifierSiret=12345678901234',
      ...upload,
    });
    expect(badSiret.statusCode).toBe(400);
    expect(badSiret.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'certifierSiret' }],
    });
    const notMultipart = await server.as(admin, {
      method: 'POST',
      url: '/api/registry/imports',
      payload: { file: 'x' },
    });
    expect(notMultipart.statusCode).toBe(415);
    expect((await server.as(admin, { method: 'GET', url: '/api/registry/fiches?limit=0' })).statusCode).toBe(
      400,
    );
  });
});
