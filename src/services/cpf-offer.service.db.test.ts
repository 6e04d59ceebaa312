import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../test/database.js';
import { controlPlanter, validSiret, withLuhnDigit } from '../../test/factories.js';
import { systemActor } from '../core/access/policy.js';
import { AppError } from '../core/errors.js';
import type { DatabaseHandle } from '../db/database.js';
import { CpfOfferService } from './cpf-offer.service.js';
import { FindingService } from './finding.service.js';

const actor = systemActor('test');
const dir = mkdtempSync(path.join(tmpdir(), 'habilis-cpf-'));

const HEADER = [
  'date_extract',
  'numero_formation',
  'siret',
  'nom_of',
  'type_referentiel',
  'code_rncp',
  'code_inventaire',
  'code_certifinfo',
  'intitule_certification',
  'intitule_formation',
  'points_forts',
  'frais_ttc_tot_min',
  'frais_ttc_tot_max',
];

interface Row {
  id: string;
  siret: string;
  name?: string;
  rncp?: string;
  certifInfo?: string;
  title: string;
  highlights?: string;
  priceMin?: string;
  priceMax?: string;
}

function csv(rows: Row[], date = '2026-03-01', extra = ''): string {
  const cell = (v: string | undefined) => (v === undefined ? '' : `"${v.replaceAll('"', '""')}"`);
  const lines = rows.map((r) =>
    [
      date,
      r.id,
      r.siret,
      r.name ?? 'OF',
      r.rncp ? 'RNCP' : '',
      r.rncp,
      '',
      r.certifInfo,
      '',
      r.title,
      r.highlights,
      r.priceMin ?? '1500',
      r.priceMax ?? '2000',
    ]
      .map(cell)
      .join(';'),
  );
  return `${HEADER.join(';')}\n${lines.join('\n')}\n${extra}`;
}

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe(CpfOfferService.name, () => {
  let handle: DatabaseHandle;
  let sut: CpfOfferService;
  let findings: FindingService;
  let cert: { id: string; code: string; blockIds: string[] };
  let title: string;
  let number: string;
  const siret: Record<string, string> = {};
  const org: Record<string, string> = {};

  beforeAll(async () => {
    handle = await newTestDatabase();
    const ctx = {
      db: handle.db,
      now: () => new Date('2026-03-02T09:00:00Z'),
      config: { publicUrl: 'http://localhost', filesDir: dir, dataDir: dir },
    } as unknown as ConstructorParameters<typeof CpfOfferService>[0];
    sut = new CpfOfferService(ctx);
    findings = new FindingService(ctx);
    const plant = controlPlanter(handle.db);
    cert = await plant.certification(2);
    number = cert.code.slice(4);
    title = (
      await handle.db
        .updateTable('certifications')
        .set({ title: 'Développeur web et web mobile', level: '5' })
        .where('id', '=', cert.id)
        .returning('title')
        .executeTakeFirstOrThrow()
    ).title;
    for (const name of ['full', 'evaluator', 'suspended', 'partial', 'lapsed']) {
      org[name] = await plant.organisation({
        legalName: `Partenaire ${name}`,
        qualiopiStatus: name === 'lapsed' ? 'lapsed' : 'certified',
      });
      siret[name] = (
        await handle.db
          .selectFrom('organisations')
          .select('siret')
          .where('id', '=', org[name]!)
          .executeTakeFirstOrThrow()
      ).siret;
    }
    await plant.habilitation(org.full!, cert.id);
    await plant.habilitation(org.evaluator!, cert.id, { scope: 'evaluate' });
    await plant.habilitation(org.suspended!, cert.id, { status: 'suspended' });
    await plant.habilitation(org.partial!, cert.id, { blockIds: [cert.blockIds[0]!] });
    const conventionId = await plant.convention(org.full!, [cert.id]);
    await handle.db
      .updateTable('conventions')
      .set({ clauses: JSON.stringify({ cpfPriceBounds: { maxCents: 500_000 } }) })
      .where('id', '=', conventionId)
      .execute();
    // Another establishment (same SIREN, other NIC) of the fully habilitated partner.
    siret.otherEstablishment = withLuhnDigit(`${siret.full!.slice(0, 9)}0002`);
    siret.unknown = validSiret(900_001);
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const baseRows = (): Row[] => [
    {
      id: 'o1',
      siret: siret.full!,
      rncp: number,
      certifInfo: '123456',
      title: `Titre professionnel ${title}`,
    },
    { id: 'o2', siret: siret.full!, rncp: number, title: 'Développeur web et web mobil' },
    {
      id: 'o3',
      siret: siret.full!,
      rncp: number,
      title: `${title} en alternance`,
      highlights: 'Un vrai diplôme Bac+5 reconnu',
    },
    { id: 'o4', siret: siret.full!, rncp: number, title, priceMin: '6900', priceMax: '7400' },
    { id: 'o5', siret: siret.evaluator!, rncp: number, title },
    { id: 'o6', siret: siret.suspended!, rncp: number, title },
    { id: 'o7', siret: siret.partial!, rncp: number, title: `${title} - bloc 2` },
    { id: 'o8', siret: siret.lapsed!, rncp: number, title },
    { id: 'o9', siret: siret.unknown!, name: 'Vendeur inconnu', rncp: number, title },
    { id: 'o10', siret: siret.otherEstablishment!, certifInfo: '123456', title },
    { id: 'o11', siret: siret.unknown!, rncp: '99999', title: 'Autre certification' },
  ];

  it('imports the catalogue, keeps the matched offers and opens one finding per rule and subject', async () => {
    const summary = await sut.importCatalogue(
      actor,
      file('first.csv', csv(baseRows(), '2026-03-01', '2026-03-01;o12;123;OF;RNCP;1;;;;x;;;\n')),
    );
    expect(summary).toMatchObject({
      offers: 11,
      matched: 10,
      extractedOn: '2026-03-01',
      changes: { new: 10, changed: 0, gone: 0, unchanged: 0 },
      findings: {
        'cpf.seller-not-habilitated': 2,
        'cpf.habilitation-inactive': 1,
        'cpf.evaluation-only': 1,
        'cpf.skill-block-not-covered': 1,
        'cpf.title-mismatch': 1,
        'cpf.misleading-claim': 1,
        'cpf.price-outside-bounds': 1,
        'cpf.qualiopi-lapsed': 1,
      },
      findingChanges: { opened: 9, updated: 0, resolved: 0 },
    });
    // The broken row is listed with its line, never dropped.
    expect(summary.rejected).toEqual([
      expect.objectContaining({ line: 13, code: 'invalid_siret', key: 'o12' }),
    ]);

    const page = await findings.list(actor, { limit: 50, offset: 0 } as never);
    const byRule: Record<string, typeof page.items> = {};
    for (const f of page.items) byRule[f.ruleId ?? ''] = [...(byRule[f.ruleId ?? ''] ?? []), f];
    const title = byRule['cpf.title-mismatch']![0]!;
    expect(title.source).toMatchObject({
      evidence: {
        offers: [expect.objectContaining({ offerId: 'o2', facts: expect.objectContaining({ distance: 1 }) })],
      },
    });
    expect(byRule['cpf.misleading-claim']![0]!.description).toContain('Bac+5');
    const unknown = byRule['cpf.seller-not-habilitated']!.find((f) => f.organisationId === null)!;
    expect(unknown.severity).toBe('critical');
    expect(unknown.source).toMatchObject({
      evidence: { offerCount: 1, seller: { siret: siret.unknown }, offers: [{ offerId: 'o9' }] },
    });
    // The other establishment of a habilitated partner is recognised by its SIREN, through the certif-info
    // code learnt from o1.
    const sellers = await sut.listSellers(actor, {});
    expect(sellers.items[0]).toMatchObject({ verdict: 'unknown_seller', siret: siret.unknown });
    expect(sellers.items).toContainEqual(
      expect.objectContaining({
        siret: siret.otherEstablishment,
        verdict: 'habilitated',
        matchedBy: 'siren',
      }),
    );
    expect((await sut.listSellers(actor, { verdict: 'evaluation_only' })).items).toEqual([
      expect.objectContaining({ siret: siret.evaluator, organisationId: org.evaluator, openFindings: 1 }),
    ]);
    expect((await sut.listSellers(actor, { q: 'vendeur INCONNU' })).items.map((i) => i.siret)).toEqual([
      siret.unknown,
    ]);
  });

  it('records what changed at the next import and closes the findings no longer shown', async () => {
    const rows = baseRows().filter((r) => r.id !== 'o9');
    rows[2] = { ...rows[2]!, highlights: 'Titre RNCP de niveau 5' };
    const summary = await sut.importCatalogue(actor, file('second.csv', csv(rows, '2026-03-02')));
    expect(summary.changes).toEqual({ new: 0, changed: 1, gone: 1, unchanged: 8 });
    expect(summary.findingChanges).toMatchObject({ opened: 0, resolved: 2 });
    const changes = await sut.listChanges(actor, summary.importId, {});
    expect(changes.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          offerId: 'o3',
          kind: 'changed',
          fields: {
            highlights: { before: 'Un vrai diplôme Bac+5 reconnu', after: 'Titre RNCP de niveau 5' },
          },
        }),
        expect.objectContaining({ offerId: 'o9', kind: 'gone' }),
      ]),
    );
    const closed = await handle.db
      .selectFrom('findings')
      .select(['ruleId', 'status'])
      .where('status', '=', 'closed')
      .execute();
    expect(closed.map((f) => f.ruleId).sort()).toEqual([
      'cpf.misleading-claim',
      'cpf.seller-not-habilitated',
    ]);
    const offers = await sut.listOffers(actor, { siret: siret.unknown, includeGone: 'true' });
    expect(offers.items).toEqual([expect.objectContaining({ offerId: 'o9', present: false })]);
  });

  it('is idempotent: the same file again changes no offer and opens no finding', async () => {
    const rows = baseRows().filter((r) => r.id !== 'o9');
    rows[2] = { ...rows[2]!, highlights: 'Titre RNCP de niveau 5' };
    const before = await handle.db.selectFrom('findings').select(['id', 'status']).orderBy('id').execute();
    const summary = await sut.importCatalogue(actor, file('third.csv', csv(rows, '2026-03-02')));
    expect(summary.changes).toEqual({ new: 0, changed: 0, gone: 0, unchanged: 9 });
    expect(summary.findingChanges).toMatchObject({ opened: 0, resolved: 0 });
    expect(await handle.db.selectFrom('findings').select(['id', 'status']).orderBy('id').execute()).toEqual(
      before,
    );
  });

  it('reads Windows-1252 and refuses a file without a required column, writing nothing', async () => {
    const imports = (await sut.listImports(actor, {})).total;
    const latin = iconv.encode(
      csv([{ id: 'o1', siret: siret.full!, rncp: number, title: `Titre ${title} à Évry` }]),
      'win1252',
    );
    const summary = await sut.importCatalogue(actor, file('latin.csv', latin));
    expect(summary).toMatchObject({ encoding: 'windows-1252', matched: 1 });
    const offer = await sut.listOffers(actor, { siret: siret.full });
    expect(offer.items.find((o) => o.offerId === 'o1')?.title).toBe(`Titre ${title} à Évry`);

    const error = await sut
      .importCatalogue(actor, file('missing.csv', 'numero_formation;intitule_formation\no1;x\n'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('import_rejected');
    expect((error as AppError).message).toContain('siret');
    expect((await sut.listImports(actor, {})).total).toBe(imports + 1);
  });

  it('refuses a file that looks like an extract unless forced', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      id: `m${i}`,
      siret: siret.unknown!,
      rncp: number,
      title,
    }));
    await sut.importCatalogue(actor, file('many.csv', csv([...baseRows(), ...many])), { force: true });
    const extract = file('extract.csv', csv([...baseRows(), ...many.slice(0, 5)]));
    const error = await sut.importCatalogue(actor, extract).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details).toMatchObject({ reason: 'partial_catalogue', absent: 55 });
    const forced = await sut.importCatalogue(actor, extract, { force: true });
    expect(forced.changes.gone).toBe(55);
  });

  it('rolls back everything when the file breaks after offers were read', async () => {
    const offersBefore = await handle.db.selectFrom('cpfOffers').select('offerId').execute();
    const broken = `${csv([{ id: 'new-1', siret: siret.full!, rncp: number, title }])}2026-03-01;"unterminated\n`;
    const error = await sut.importCatalogue(actor, file('broken.csv', broken)).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('import_rejected');
    expect(await handle.db.selectFrom('cpfOffers').select('offerId').execute()).toEqual(offersBefore);
  });

  it('rolls back the parts already written when the file breaks megabytes in', async () => {
    const offersBefore = await handle.db.selectFrom('cpfOffers').select('offerId').execute();
    // More than one part (4 MB) of new offers reaches the database before the break.
    const many = Array.from({ length: 2_500 }, (_, i) => ({
      id: `bulk-${i}`,
      siret: siret.full!,
      rncp: number,
      title,
      highlights: `Programme détaillé ${i} : ${'compétences, mises en situation, évaluation. '.repeat(45)}`,
    }));
    const broken = `${csv(many)}2026-03-01;"unterminated\n`;
    const error = await sut.importCatalogue(actor, file('broken-late.csv', broken)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('import_rejected');
    expect((error as AppError).message).toMatch(/broken-late\.csv.*line 2502/);
    expect(await handle.db.selectFrom('cpfOffers').select('offerId').execute()).toEqual(offersBefore);
  });
});
