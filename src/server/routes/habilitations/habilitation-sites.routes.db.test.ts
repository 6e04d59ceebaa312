import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCertification, buildHabilitation } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

/** The sites where a habilitation applies: sites of the habilitated organisation only. */
describe('habilitation sites', () => {
  let server: TestServer;
  let admin: SignedIn;
  let partnerA: SignedIn;
  let partnerB: SignedIn;
  let orgA: string;
  let orgB: string;

  const addSite = async (organisationId: string, label: string, city: string) => {
    const res = await server.as(admin, {
      method: 'POST',
      url: `/api/organisations/${organisationId}/sites`,
      payload: { label, city, postalCode: '34000' },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; label: string };
  };
  const newCertification = async (): Promise<{ id: string }> =>
    (
      await server.as(admin, { method: 'POST', url: '/api/certifications', payload: buildCertification() })
    ).json();
  const totals = async () => ({
    habilitations: (await server.as(admin, { method: 'GET', url: '/api/habilitations?limit=1' })).json()
      .total,
    audit: (await server.as(admin, { method: 'GET', url: '/api/audit-log?limit=1' })).json().total,
  });

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    partnerA = await server.signIn('partner');
    partnerB = await server.signIn('partner');
    orgA = partnerA.organisationId!;
    orgB = partnerB.organisationId!;
  });
  afterAll(() => server.close());

  it('names the sites of the organisation where it applies, shown on the habilitation and editable', async () => {
    const montpellier = await addSite(orgA, 'Campus Montpellier', 'Montpellier');
    const nimes = await addSite(orgA, 'Antenne Nîmes', 'Nîmes');
    const cert = await newCertification();
    const created = await server.as(admin, {
      method: 'POST',
      url: '/api/habilitations',
      payload: buildHabilitation(orgA, cert.id, { siteIds: [montpellier.id, nimes.id] }),
    });
    expect(created.statusCode).toBe(201);
    const hab = created.json();
    expect(hab.sites.map((s: { label: string }) => s.label)).toEqual(['Antenne Nîmes', 'Campus Montpellier']);
    expect(hab.sites[1]).toMatchObject({ id: montpellier.id, city: 'Montpellier', postalCode: '34000' });

    // The partner sees the sites of its own habilitation.
    const seen = await server.as(partnerA, { method: 'GET', url: `/api/habilitations/${hab.id}` });
    expect(seen.json().sites).toHaveLength(2);

    const changed = await server.as(admin, {
      method: 'PATCH',
      url: `/api/habilitations/${hab.id}`,
      payload: { siteIds: [nimes.id] },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().sites.map((s: { id: string }) => s.id)).toEqual([nimes.id]);
    // A change that does not name the sites keeps them.
    const kept = await server.as(admin, {
      method: 'PATCH',
      url: `/api/habilitations/${hab.id}`,
      payload: { territory: 'Occitanie' },
    });
    expect(kept.json().sites.map((s: { id: string }) => s.id)).toEqual([nimes.id]);
    const audit = await server.as(admin, {
      method: 'GET',
      url: `/api/audit-log?entityType=habilitation&entityId=${hab.id}&limit=10`,
    });
    expect(JSON.stringify(audit.json())).toContain('Campus Montpellier');

    // Removing the site from the organisation removes it from the habilitation.
    const removed = await server.as(admin, {
      method: 'DELETE',
      url: `/api/organisations/${orgA}/sites/${nimes.id}`,
    });
    expect(removed.statusCode).toBe(204);
    const after = await server.as(admin, { method: 'GET', url: `/api/habilitations/${hab.id}` });
    expect(after.json().sites).toEqual([]);
  });

  it('refuses a site of another organisation, an unknown or repeated one, naming the field, and writes nothing', async () => {
    const own = await addSite(orgA, 'Campus Béziers', 'Béziers');
    const foreign = await addSite(orgB, 'Site Lille', 'Lille');
    const unknown = '00000000-0000-4000-8000-000000000000';
    const cert = await newCertification();
    const before = await totals();

    const mixed = await server.as(admin, {
      method: 'POST',
      url: '/api/habilitations',
      payload: buildHabilitation(orgA, cert.id, { siteIds: [own.id, foreign.id, unknown] }),
    });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().errors).toEqual([
      { field: 'siteIds/1', message: expect.stringMatching(/^Site Lille is not a site of /) },
      { field: 'siteIds/2', message: 'unknown site' },
    ]);

    const twice = await server.as(admin, {
      method: 'POST',
      url: '/api/habilitations',
      payload: buildHabilitation(orgA, cert.id, { siteIds: [own.id, own.id] }),
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().errors[0].field).toBe('siteIds');
    expect(await totals()).toEqual(before);

    const created = await server.as(admin, {
      method: 'POST',
      url: '/api/habilitations',
      payload: buildHabilitation(orgA, cert.id, { siteIds: [own.id] }),
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const afterCreate = await totals();
    const patched = await server.as(admin, {
      method: 'PATCH',
      url: `/api/habilitations/${id}`,
      payload: { siteIds: [foreign.id], territory: 'Hauts-de-France' },
    });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().errors).toEqual([
      { field: 'siteIds/0', message: expect.stringMatching(/^Site Lille is not a site of /) },
    ]);
    const unchanged = (await server.as(admin, { method: 'GET', url: `/api/habilitations/${id}` })).json();
    expect(unchanged.sites.map((s: { id: string }) => s.id)).toEqual([own.id]);
    expect(unchanged.territory).not.toBe('Hauts-de-France');
    expect(await totals()).toEqual(afterCreate);
  });
});
