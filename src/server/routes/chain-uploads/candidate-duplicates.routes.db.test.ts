import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCandidate } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

describe('candidate duplicates across partners', () => {
  let server: TestServer;
  let admin: SignedIn;
  let partnerA: SignedIn;
  let partnerB: SignedIn;
  const created: Record<string, string> = {};

  const register = async (key: string, user: SignedIn, overrides: Record<string, unknown>) => {
    const res = await server.as(user, {
      method: 'POST',
      url: '/api/candidates',
      payload: buildCandidate(overrides),
    });
    expect(res.statusCode, res.body).toBe(201);
    created[key] = res.json().id;
  };

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    partnerA = await server.signIn('partner');
    partnerB = await server.signIn('partner');
    // The same person spelt two ways by two partners, and by the certifier as an individual application.
    await register('a', partnerA, {
      birthName: 'Lefèvre-Durand',
      firstNames: 'Élodie',
      birthDate: '1990-01-02',
    });
    await register('b', partnerB, {
      birthName: 'LEFEVRE DURAND',
      firstNames: 'Elodie Anne',
      birthDate: '1990-01-02',
    });
    await register('c', admin, {
      birthName: 'Lefevre Durand',
      firstNames: 'élodie',
      birthDate: '1990-01-02',
    });
    // Not duplicates: another birth date; another first name; twins-like rows within one partner only.
    await register('d', partnerB, {
      birthName: 'Lefèvre-Durand',
      firstNames: 'Élodie',
      birthDate: '1990-01-03',
    });
    await register('e', partnerB, {
      birthName: 'Lefèvre-Durand',
      firstNames: 'Marc',
      birthDate: '1990-01-02',
    });
    await register('f', partnerA, { birthName: 'Simon', firstNames: 'Paul', birthDate: '1985-05-05' });
    await register('g', partnerA, {
      birthName: 'Simon',
      firstNames: 'Paul Henri',
      birthDate: '1985-05-05',
      email: 'x@example.org',
    });
  });
  afterAll(() => server.close());

  it('groups candidates of different organisations with the same normalised name, first name and birth date', async () => {
    const res = await server.as(admin, { method: 'GET', url: '/api/candidate-duplicates' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(1);
    expect(body.items[0]).toMatchObject({
      birthName: 'LEFEVRE DURAND',
      firstName: 'elodie',
      birthDate: '1990-01-02',
    });
    const members = body.items[0].candidates as {
      id: string;
      organisationId: string | null;
      organisationName: string | null;
    }[];
    expect(members.map((m) => m.id).sort()).toEqual([created.a, created.b, created.c].sort());
    expect(members.find((m) => m.id === created.a)?.organisationName).toMatch(/^Centre de formation/);
    expect(members.find((m) => m.id === created.c)?.organisationId).toBeNull();
  });

  it('is for certifier staff only (403 for a partner and an evaluator)', async () => {
    expect((await server.as(partnerA, { method: 'GET', url: '/api/candidate-duplicates' })).statusCode).toBe(
      403,
    );
    const evaluator = await server.signIn('evaluator');
    expect((await server.as(evaluator, { method: 'GET', url: '/api/candidate-duplicates' })).statusCode).toBe(
      403,
    );
    const auditor = await server.signIn('auditor');
    expect(
      (await server.as(auditor, { method: 'GET', url: '/api/candidate-duplicates?limit=1' })).json().total,
    ).toBe(1);
  });
});
