import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlanter } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

// GET /api/juries/:id/candidates: who the jury decides on (assessed in a held session of its certification,
// or already deliberated), with the results per block, the decision and the certificate issued.

describe('jury candidates', () => {
  let server: TestServer;
  let admin: SignedIn;
  let partner: SignedIn;
  let juryId: string;
  let assessed: string;
  let decided: string;
  let blockCode: string;

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    partner = await server.signIn('partner');
    const plant = controlPlanter(server.handle.db);
    const cert = await plant.certification(2);
    const other = await plant.certification(1);
    blockCode = `${cert.code}BC01`;
    assessed = await plant.candidate(partner.organisationId, { birthName: 'Assessed' });
    decided = await plant.candidate(partner.organisationId, { birthName: 'Decided' });
    const planned = await plant.candidate(partner.organisationId, { birthName: 'Planned' });
    const elsewhere = await plant.candidate(partner.organisationId, { birthName: 'Elsewhere' });
    const held = await plant.assessmentSession(cert.id, null, { candidateIds: [assessed, decided] });
    await plant.result(held, assessed, { blockId: cert.blockIds[0]! });
    await plant.result(held, decided, { blockId: cert.blockIds[1]! });
    const notYet = await plant.assessmentSession(cert.id, null, {
      status: 'planned',
      candidateIds: [planned],
    });
    await plant.result(notYet, planned, { blockId: cert.blockIds[0]! });
    const otherSession = await plant.assessmentSession(other.id, null, { candidateIds: [elsewhere] });
    await plant.result(otherSession, elsewhere, { blockId: other.blockIds[0]! });
    juryId = await plant.jury(cert.id, { status: 'planned' });
    const deliberationId = await plant.deliberation(juryId, decided);
    await plant.certificate(deliberationId, decided, cert.id);
  });
  afterAll(() => server.close());

  it('lists the candidates assessed in held sessions of the certification, with results, decision and certificate', async () => {
    const res = await server.as(admin, { method: 'GET', url: `/api/juries/${juryId}/candidates` });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{
      candidateId: string;
      birthName: string;
      results: { skillBlockCode: string }[];
      deliberation: { decision: string } | null;
      certificate: { number: string; accrochageStatus: string } | null;
    }>;
    expect(items.map((c) => c.birthName)).toEqual(['Assessed', 'Decided']);
    expect(items[0]).toMatchObject({ candidateId: assessed, deliberation: null, certificate: null });
    expect(items[0]!.results.map((r) => r.skillBlockCode)).toEqual([blockCode]);
    expect(items[1]).toMatchObject({
      candidateId: decided,
      deliberation: { decision: 'certified' },
      certificate: { accrochageStatus: 'pending' },
    });
  });

  it('is the certifier’s: a partner may not read it (403), an unknown jury is 404', async () => {
    expect(
      (await server.as(partner, { method: 'GET', url: `/api/juries/${juryId}/candidates` })).statusCode,
    ).toBe(403);
    expect(
      (
        await server.as(admin, {
          method: 'GET',
          url: '/api/juries/00000000-0000-4000-8000-000000000000/candidates',
        })
      ).statusCode,
    ).toBe(404);
  });
});
