import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCandidate, insertChainCertification } from '../../../../test/factories.js';
import { readPdf } from '../../../../test/pdf.js';
import { newTestServer, type SignedIn, type TestServer } from '../../../../test/server.js';

describe('certificate and jury minutes PDFs', () => {
  let server: TestServer;
  let admin: SignedIn;
  let partnerA: SignedIn;
  let partnerB: SignedIn;
  let cert: Awaited<ReturnType<typeof insertChainCertification>>;
  let juryId: string;
  const candidates: Record<string, string> = {};
  const deliberations: Record<string, string> = {};

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    partnerA = await server.signIn('partner');
    partnerB = await server.signIn('partner');
    await server.handle.db
      .insertInto('certifier')
      .values({ id: 1, name: 'Institut Certif Exemple' })
      .execute();
    cert = await insertChainCertification(server.handle.db, 'RNCP38500', { blocks: 3, level: '6' });
    for (const [key, names] of Object.entries({
      zoe: { birthName: 'Martin', firstNames: 'Zoé', usageName: 'Durand' },
      hugo: { birthName: 'Baron', firstNames: 'Hugo' },
      ines: { birthName: 'Carré', firstNames: 'Inès' },
    })) {
      const res = await server.as(partnerA, {
        method: 'POST',
        url: '/api/candidates',
        payload: buildCandidate(names),
      });
      candidates[key] = res.json().id;
    }
    const jury = await server.as(admin, {
      method: 'POST',
      url: '/api/juries',
      payload: {
        certificationId: cert.id,
        meetsOn: '2026-02-16',
        place: 'Lyon, salle Rhône',
        members: [
          { fullName: 'Claire Fontaine', role: 'president' },
          { fullName: 'Marc Dubois', role: 'professional' },
          {
            fullName: 'Sophie Lenoir',
            role: 'member',
            hasConflictOfInterest: true,
            conflictNote: 'ancienne formatrice de H. Baron',
          },
        ],
      },
    });
    expect(jury.statusCode).toBe(201);
    juryId = jury.json().id;
    const decide = async (key: string, decision: string, skillBlockIds: string[] = [], note?: string) => {
      const res = await server.as(admin, {
        method: 'POST',
        url: `/api/juries/${juryId}/deliberations`,
        payload: { candidateId: candidates[key], decision, skillBlockIds, ...(note ? { note } : {}) },
      });
      expect(res.statusCode, res.body).toBe(201);
      deliberations[key] = res.json().id;
    };
    await decide('zoe', 'certified_by_blocks', [cert.blocks[0]!.id, cert.blocks[2]!.id]);
    await decide('hugo', 'certified');
    await decide('ines', 'failed', [], 'Épreuve écrite insuffisante');
  });
  afterAll(async () => {
    await server.close();
  });

  it('jury minutes: a draft before signing; at signing the PDF is stored as evidence and served as stored', async () => {
    const draft = await server.as(admin, { method: 'GET', url: `/api/juries/${juryId}/minutes` });
    expect(draft.statusCode).toBe(200);
    expect(draft.headers['content-type']).toBe('application/pdf');
    const { text, pages } = await readPdf(draft.rawPayload);
    expect(pages).toBe(1);
    expect(text).toContain('Procès-verbal de délibération du jury');
    expect(text).toContain('Réuni le 16 février 2026 — Lyon, salle Rhône');
    expect(text).toContain('Claire Fontaine Président(e)');
    expect(text).toContain("Conflit d'intérêts déclaré : ancienne formatrice de H. Baron");
    expect(text).toMatch(
      /MARTIN \(DURAND\) Zoé, né\(e\) le 14 juin 1995 Certifié\(e\) par blocs RNCP38500BC01, RNCP38500BC03/,
    );
    expect(text).toContain('Non certifié(e)');
    expect(text).toContain('Épreuve écrite insuffisante');
    expect(text).toContain('Certifié(e) par blocs : 1 ; Certifié(e) : 1 ; Non certifié(e) : 1');
    expect(text).toContain('Projet — procès-verbal non signé');

    expect(
      (await server.as(partnerA, { method: 'GET', url: `/api/juries/${juryId}/minutes` })).statusCode,
    ).toBe(403);

    for (const status of ['deliberated', 'signed'])
      expect(
        (await server.as(admin, { method: 'PATCH', url: `/api/juries/${juryId}`, payload: { status } }))
          .statusCode,
      ).toBe(200);
    const evidence = await server.as(admin, {
      method: 'GET',
      url: `/api/evidence?entityType=jury&entityId=${juryId}`,
    });
    expect(evidence.json().total).toBe(1);
    const stored = evidence.json().items[0];
    expect(stored).toMatchObject({
      mediaType: 'application/pdf',
      links: [{ entityType: 'jury', purpose: 'jury_minutes' }],
    });

    const signed = await server.as(admin, { method: 'GET', url: `/api/juries/${juryId}/minutes` });
    expect(createHash('sha256').update(signed.rawPayload).digest('hex')).toBe(stored.sha256);
    const signedText = (await readPdf(signed.rawPayload)).text;
    expect(signedText).toMatch(/Signé le \d+(er)? \S+ \d{4} par Claire Fontaine, président\(e\) du jury/);
    expect(signedText).not.toContain('Projet');
  });

  // Certificates rest on the signed minutes: the jury above is signed by now.
  it('a certificate PDF: number, holder, certification, validated blocks, date, certifier, verification code and URL', async () => {
    const issued = await server.as(admin, {
      method: 'POST',
      url: '/api/certificates',
      payload: { deliberationId: deliberations.zoe, issuedOn: '2026-02-20' },
    });
    expect(issued.statusCode).toBe(201);
    const { id, number, verificationCode } = issued.json();
    const res = await server.as(partnerA, { method: 'GET', url: `/api/certificates/${id}/pdf` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`certificat-${number}.pdf`);
    const { text, pages } = await readPdf(res.rawPayload);
    expect(pages).toBe(1);
    expect(text).toContain('Attestation de validation de blocs de compétences');
    expect(text).toContain(`N° ${number}`);
    expect(text).toContain('Zoé DURAND (née ou né MARTIN)');
    expect(text).toContain('Titre RNCP38500 — RNCP38500 — niveau 6');
    expect(text).toContain('RNCP38500BC01 — Bloc 1');
    expect(text).toContain('RNCP38500BC03 — Bloc 3');
    expect(text).not.toContain('RNCP38500BC02');
    expect(text).toContain('Délivré le 20 février 2026');
    expect(text).toContain('Institut Certif Exemple');
    expect(text).toContain(`Code de vérification : ${verificationCode}`);
    expect(text).toContain(`http://habilis.test/verify/${verificationCode}`);

    // The whole certification: no block list, the plain title.
    const whole = (
      await server.as(admin, {
        method: 'POST',
        url: '/api/certificates',
        payload: { deliberationId: deliberations.hugo },
      })
    ).json();
    const wholeText = (
      await readPdf(
        (
          await server.as(admin, { method: 'GET', url: `/api/certificates/${whole.id}/pdf` })
        ).rawPayload,
      )
    ).text;
    expect(wholeText).toMatch(/\bCertificat\b/);
    expect(wholeText).not.toContain('Blocs de compétences validés');
    expect(wholeText).toContain('Hugo BARON');

    // Another partner's candidate's certificate does not exist for partner B.
    expect(
      (await server.as(partnerB, { method: 'GET', url: `/api/certificates/${id}/pdf` })).statusCode,
    ).toBe(404);
  });
});
