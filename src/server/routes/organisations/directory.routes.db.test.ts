import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisation } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, system, type TestServer } from '../../../../test/server.js';

describe('organisation contacts and sites', () => {
  let server: TestServer;
  let admin: SignedIn;
  let org: string;
  let other: string;

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    org = (await server.services.organisations.create(system, buildOrganisation({ legalName: 'Formasud' })))
      .id;
    other = (await server.services.organisations.create(system, buildOrganisation())).id;
  });
  afterAll(() => server.close());

  it('adds and removes contacts and sites, each change in the audit log and the timeline', async () => {
    const contact = await server.as(admin, {
      method: 'POST',
      url: `/api/organisations/${org}/contacts`,
      payload: { fullName: 'Inès Garnier', role: 'Responsable qualité', email: 'ines@formasud.example' },
    });
    expect(contact.statusCode, contact.body).toBe(201);
    const site = await server.as(admin, {
      method: 'POST',
      url: `/api/organisations/${org}/sites`,
      payload: { label: 'Site de Montpellier', postalCode: '34000', city: 'Montpellier' },
    });
    expect(site.statusCode, site.body).toBe(201);
    const directory = (
      await server.as(admin, { method: 'GET', url: `/api/organisations/${org}/directory` })
    ).json();
    expect(directory.contacts).toMatchObject([{ fullName: 'Inès Garnier', role: 'Responsable qualité' }]);
    expect(directory.sites).toMatchObject([{ label: 'Site de Montpellier', city: 'Montpellier' }]);

    const removed = await server.as(admin, {
      method: 'DELETE',
      url: `/api/organisations/${org}/contacts/${contact.json().id}`,
    });
    expect(removed.statusCode).toBe(204);
    // Not a contact of this organisation (any more): not found.
    const again = await server.as(admin, {
      method: 'DELETE',
      url: `/api/organisations/${other}/sites/${site.json().id}`,
    });
    expect(again.statusCode).toBe(404);
    const timeline = (
      await server.as(admin, { method: 'GET', url: `/api/organisations/${org}/timeline` })
    ).json();
    expect(timeline.items.map((e: { action: string }) => e.action).slice(0, 3)).toEqual([
      'organisation.contact_remove',
      'organisation.site_add',
      'organisation.contact_add',
    ]);
  });

  it('refuses bad input with the field named, writing nothing; a partner reads only its own', async () => {
    const bad = await server.as(admin, {
      method: 'POST',
      url: `/api/organisations/${org}/sites`,
      payload: { label: ' ', postalCode: '3400' },
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json().errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'label',
      'postalCode',
    ]);
    const partner = await server.signIn('partner', { organisationId: other });
    const own = await server.as(partner, { method: 'GET', url: `/api/organisations/${other}/directory` });
    expect(own.statusCode).toBe(200);
    const foreign = await server.as(partner, { method: 'GET', url: `/api/organisations/${org}/directory` });
    expect(foreign.statusCode).toBe(404);
    const write = await server.as(partner, {
      method: 'POST',
      url: `/api/organisations/${other}/contacts`,
      payload: { fullName: 'X' },
    });
    expect(write.statusCode).toBe(403);
  });
});
