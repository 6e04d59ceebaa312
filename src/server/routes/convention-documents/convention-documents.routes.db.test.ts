import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCertification, buildConvention, buildHabilitation } from '../../../../test/factories.js';
import { readPdf } from '../../../../test/pdf.js';
import { newTestServer, type SignedIn, system, type TestServer } from '../../../../test/server.js';

describe('convention documents', () => {
  let server: TestServer;
  let admin: SignedIn;
  let partner: SignedIn;
  let otherPartner: SignedIn;
  let conventionId: string;
  let reference: string;
  let certCode: string;

  const generate = (payload: unknown = {}, user: SignedIn = admin, id = conventionId) =>
    server.as(user, { method: 'POST', url: `/api/conventions/${id}/document`, payload });
  const download = (user: SignedIn = admin, id = conventionId) =>
    server.as(user, { method: 'GET', url: `/api/conventions/${id}/document` });
  const evidenceCount = async () =>
    (
      await server.as(admin, {
        method: 'GET',
        url: `/api/evidence?entityType=convention&entityId=${conventionId}`,
      })
    ).json().total as number;

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    partner = await server.signIn('partner');
    otherPartner = await server.signIn('partner');
    const { services } = server;
    const cert = await services.certifications.create(system, buildCertification());
    certCode = cert.code;
    const convention = await services.conventions.create(
      system,
      buildConvention(partner.organisationId!, [cert.id], {
        startsOn: '2026-01-01',
        endsOn: '2028-12-31',
        clauses: {
          obligations: ['Accueillir au plus 12 stagiaires par groupe', 'Tenir un registre des réclamations'],
        },
      }),
    );
    conventionId = convention.id;
    reference = convention.reference;
    await services.habilitations.create(
      system,
      buildHabilitation(partner.organisationId!, cert.id, {
        scope: 'train',
        coversAllSkillBlocks: false,
        skillBlockIds: [cert.skillBlocks[0]!.id],
      }),
    );
  });
  afterAll(() => server.close());

  it('renders the default template as a PDF, stores it as evidence of the convention and serves it back', async () => {
    const res = await generate();
    expect(res.statusCode).toBe(201);
    const evidence = res.json();
    expect(evidence).toMatchObject({
      mediaType: 'application/pdf',
      organisationId: partner.organisationId,
      fileName: `convention-${reference}-v1.pdf`,
      links: [{ entityType: 'convention', entityId: conventionId, purpose: 'generated_convention' }],
    });

    const file = await download();
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toContain(`convention-${reference}-v1.pdf`);
    const pdf = file.rawPayload;
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(evidence.sha256);

    const { text, pages } = await readPdf(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(text).toContain('Convention de partenariat et d’habilitation');
    expect(text).toContain(`Référence ${reference}, version 1`);
    expect(text).toContain(
      `SIRET de l’établissement habilité ${(await server.services.organisations.get(system, partner.organisationId!)).siret}`,
    );
    // Scope, the one bloc named, period, fees and the convention's own clauses.
    expect(text).toContain(`${certCode} — Responsable de formation`);
    expect(text).toContain('préparer à la certification (former)');
    expect(text).toContain(`${certCode} : ${certCode}BC01 Concevoir un dispositif de formation`);
    expect(text).not.toContain(`${certCode}BC02`);
    expect(text).toContain(
      'prend effet le 1er janvier 2026 et s’achève le 31 décembre 2028, soit une durée de 3 ans',
    );
    expect(text).toContain('120,00 €');
    expect(text).toContain('1 500,00 €');
    expect(text).toContain('Accueillir au plus 12 stagiaires par groupe');
    // Clauses the convention does not set come from the default text.
    expect(text).toContain('Le partenaire ne peut sous-traiter');
    expect(text).toContain(`Convention ${reference} page ${pages} / ${pages}`);
  });

  it('renders a template of the certifier’s own', async () => {
    const res = await generate({
      template:
        '# Avenant\n\n## Parties\n{{certifier}} et {{partner}} ({{partnerSiret}}).\n\n{{certifications}}\n',
    });
    expect(res.statusCode).toBe(201);
    const pdf = (await download()).rawPayload;
    const { text, pages } = await readPdf(pdf);
    expect(pages).toBe(1);
    expect(text).toContain('Avenant');
    expect(text).toContain(`L’organisme certificateur et Centre de formation`);
    expect(text).not.toContain('Article 1');
  });

  it('refuses a template with an unknown variable, naming the line, and stores nothing', async () => {
    const before = await evidenceCount();
    const res = await generate({ template: '# Convention\n{{partner}} paie {{redevance}}.\n{{ partner' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'template', message: 'line 2: unknown variable {{redevance}}' },
      { field: 'template', message: 'line 3: braces that do not form a {{variable}}' },
    ]);
    expect(await evidenceCount()).toBe(before);
  });

  it('lets the partner download its own convention, not generate it; another partner finds nothing', async () => {
    expect((await download(partner)).statusCode).toBe(200);
    expect((await generate({}, partner)).statusCode).toBe(403);
    const other = await download(otherPartner);
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('not_found');
  });

  it('answers 404 for a convention without a generated document, and gives the template and its variables', async () => {
    const { services } = server;
    const cert = await services.certifications.create(system, buildCertification());
    const bare = await services.conventions.create(
      system,
      buildConvention(partner.organisationId!, [cert.id]),
    );
    expect((await download(admin, bare.id)).statusCode).toBe(404);
    const template = await server.as(admin, { method: 'GET', url: '/api/convention-templates/default' });
    expect(template.statusCode).toBe(200);
    const names = template.json().variables.map((v: { name: string }) => v.name);
    for (const name of [
      'partner',
      'certifications',
      'skillBlocks',
      'duration',
      'feePerCandidate',
      'annualFee',
    ])
      expect(names).toContain(name);
    for (const name of [
      'obligations',
      'controlRights',
      'sanctions',
      'communicationRules',
      'subcontracting',
    ]) {
      expect(names).toContain(name);
      expect(template.json().template).toContain(`{{${name}}}`);
    }
  });
});
