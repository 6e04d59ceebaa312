import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCertification,
  buildConvention,
  buildHabilitation,
  buildOrganisation,
} from '../../../../test/factories.js';
import { newTestServer, type SignedIn, system, type TestServer } from '../../../../test/server.js';
import { calendarDay } from '../../../core/habilitations/period.js';

const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface Alert {
  kind: string;
  id: string;
  label: string;
  endsOn: string;
  daysLeft: number;
  threshold: number;
  renewal: { id: string; label: string; status: string } | null;
}

describe('expiry and renewal alerts', () => {
  let server: TestServer;
  let admin: SignedIn;
  let partner: SignedIn;
  let otherPartner: SignedIn;
  const today = calendarDay(new Date());
  let soon: { id: string; reference: string };
  let later: { id: string; reference: string };
  let renewal: { id: string; reference: string };
  let habilitationId: string;
  let farId: string;

  const alerts = (user: SignedIn, query = '') =>
    server.as(user, { method: 'GET', url: `/api/alerts/expiries${query}` });

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    partner = await server.signIn('partner');
    otherPartner = await server.signIn('partner');
    const { services } = server;
    const orgId = partner.organisationId!;
    const cert = await services.certifications.create(system, buildCertification());
    const signed = async (endsOn: string) => {
      const c = await services.conventions.create(system, buildConvention(orgId, [cert.id], { endsOn }));
      return services.conventions.sign(system, c.id, { signedOn: '2025-01-01' });
    };
    soon = await signed(addDays(today, 5));
    later = await signed(addDays(today, 60));
    // A draft that starts after `later`: its renewal in preparation.
    renewal = await services.conventions.create(
      system,
      buildConvention(orgId, [cert.id], { startsOn: addDays(today, 61), endsOn: null }),
    );
    const far = await signed(addDays(today, 400));
    farId = far.id;
    const hab = await services.habilitations.create(
      system,
      buildHabilitation(orgId, cert.id, { endsOn: addDays(today, 20) }),
    );
    await services.habilitations.decide(system, hab.id, { toStatus: 'review', reasons: 'Complet' });
    await services.habilitations.decide(system, hab.id, { toStatus: 'active', reasons: 'Accordée' });
    habilitationId = hab.id;
    // Another organisation's convention, ending soon too: never shown to the partner.
    const other = await services.organisations.create(system, buildOrganisation());
    const c = await services.conventions.create(
      system,
      buildConvention(other.id, [cert.id], { endsOn: addDays(today, 3) }),
    );
    await services.conventions.sign(system, c.id, { signedOn: '2025-01-01' });
  });
  afterAll(() => server.close());

  it('lists what ends within 90 days with the tightest reminder reached and the renewal recorded', async () => {
    const res = await alerts(admin, `?on=${today}`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Alert[];
    const mine = items.filter((a) => a.id !== farId);
    expect(items.map((a) => a.id)).not.toContain(farId);
    expect(mine).toHaveLength(4);
    expect(items.find((a) => a.id === soon.id)).toMatchObject({
      kind: 'convention',
      daysLeft: 5,
      threshold: 7,
    });
    expect(items.find((a) => a.id === habilitationId)).toMatchObject({
      kind: 'habilitation',
      daysLeft: 20,
      threshold: 30,
      renewal: null,
    });
    expect(items.find((a) => a.id === later.id)).toMatchObject({
      daysLeft: 60,
      threshold: 90,
      renewal: { id: renewal.id, label: renewal.reference, status: 'draft' },
    });
    expect(res.json().counts).toEqual({ within7: 2, within30: 3, within90: 4 });
  });

  it('narrows to 7 or 30 days and to one kind', async () => {
    const week = (await alerts(admin, `?on=${today}&within=7`)).json().items as Alert[];
    expect(week.every((a) => a.daysLeft <= 7)).toBe(true);
    expect(week).toHaveLength(2);
    const habs = (await alerts(admin, `?on=${today}&kind=habilitation`)).json().items as Alert[];
    expect(habs.map((a) => a.id)).toEqual([habilitationId]);
  });

  it('moves with the day: what has ended is no longer listed', async () => {
    const items = (await alerts(admin, `?on=${addDays(today, 6)}`)).json().items as Alert[];
    expect(items.map((a) => a.id)).not.toContain(soon.id);
    expect(items.find((a) => a.id === later.id)?.threshold).toBe(90);
  });

  it('shows a partner its own alerts only, and another partner none of them', async () => {
    const own = (await alerts(partner, `?on=${today}`)).json().items as Alert[];
    expect(own).toHaveLength(3);
    expect((await alerts(otherPartner, `?on=${today}`)).json().items).toEqual([]);
    const asked = await alerts(otherPartner, `?on=${today}&organisationId=${partner.organisationId}`);
    expect(asked.json().items).toEqual([]);
  });

  it('refuses a horizon other than 90, 30 or 7', async () => {
    const res = await alerts(admin, '?within=45');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('within');
  });
});
