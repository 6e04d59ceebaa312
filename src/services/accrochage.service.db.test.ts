import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlanter } from '../../test/factories.js';
import { newTestServer, system, type TestServer } from '../../test/server.js';
import { accrochageIdTechnique } from '../core/accrochage/id-technique.js';
import { AppError } from '../core/errors.js';
import type { Database } from '../db/database.js';
import { validateAccrochageFile } from '../exporters/accrochage/index.js';
import { AccrochageService, addMonths } from './accrochage.service.js';

const issuer = { clientId: '03VML243', contractId: 'MCF-2026' };

/** A candidate with the identity the flux needs, unless `identity` takes some of it away. */
async function candidate(
  db: Database,
  organisationId: string | null,
  identity: Record<string, unknown> = {},
) {
  const row = await db
    .insertInto('candidates')
    .values({
      organisationId,
      birthName: 'Exemple',
      firstNames: 'Camille Marie',
      sex: 'F',
      birthDate: '1995-06-14',
      birthPlaceCode: '69123',
      accessRoute: 'continuing_training',
      ...identity,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A certificate of a certified deliberation, planted with its status. */
async function certificate(
  db: Database,
  cert: { id: string },
  juryId: string,
  candidateId: string,
  o: { issuedOn?: string; accrochageStatus?: string } = {},
) {
  const plant = controlPlanter(db);
  const deliberationId = await plant.deliberation(juryId, candidateId);
  return plant.certificate(deliberationId, candidateId, cert.id, o);
}

async function statusOf(db: Database, id: string) {
  return db
    .selectFrom('certificates')
    .select(['accrochageStatus', 'accrochageMessage'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function numberOf(db: Database, id: string) {
  return (await db.selectFrom('certificates').select('number').where('id', '=', id).executeTakeFirstOrThrow())
    .number;
}

describe('accrochage service', () => {
  let server: TestServer;
  let db: Database;
  let dir: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await newTestServer();
    db = server.handle.db;
    dir = mkdtempSync(path.join(tmpdir(), 'habilis-accrochage-test-'));
    const plant = controlPlanter(db);
    const organisationId = await plant.organisation();
    const cert = await plant.certification(0);
    const juryId = await plant.jury(cert.id);
    ids.lyon = await certificate(db, cert, juryId, await candidate(db, organisationId));
    ids.abroad = await certificate(
      db,
      cert,
      juryId,
      await candidate(db, organisationId, { birthPlaceCode: null, birthCountryCode: '99350' }),
      { accrochageStatus: 'rejected' },
    );
    ids.noBirthPlace = await certificate(
      db,
      cert,
      juryId,
      await candidate(db, organisationId, { birthName: 'Sanslieu', birthPlaceCode: null }),
    );
    ids.accepted = await certificate(db, cert, juryId, await candidate(db, organisationId), {
      accrochageStatus: 'accepted',
    });
    ids.sent = await certificate(db, cert, juryId, await candidate(db, organisationId), {
      accrochageStatus: 'sent',
    });
    ids.revoked = await certificate(db, cert, juryId, await candidate(db, organisationId));
    await db
      .updateTable('certificates')
      .set({ revokedAt: new Date(), revocationReason: 'fraude' })
      .where('id', '=', ids.revoked)
      .execute();
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('changes nothing when the written file fails the schema check', async () => {
    const failing = new AccrochageService(server.services.ctx, {
      validate: async () => ({
        valid: false,
        errors: [{ line: 3, source: 'xsd', message: 'planted failure' }],
        truncated: false,
        passages: 2,
      }),
    });
    const outPath = path.join(dir, 'refused.xml');
    const error = await failing.export(system, { outPath, ...issuer }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('validation_failed');
    expect(existsSync(outPath)).toBe(false);
    expect(existsSync(`${outPath}.invalid`)).toBe(true);
    expect((await statusOf(db, ids.lyon!)).accrochageStatus).toBe('pending');
    expect((await statusOf(db, ids.abroad!)).accrochageStatus).toBe('rejected');
    const audits = await db
      .selectFrom('auditLog')
      .select('action')
      .where('action', '=', 'accrochage.export')
      .execute();
    expect(audits).toHaveLength(0);
  });

  it('writes a file valid against the XSD, leaves out a holder without a birth place, marks the others sent', async () => {
    const outPath = path.join(dir, 'flux.xml');
    const outcome = await server.services.accrochage.export(system, { outPath, ...issuer });
    expect(outcome.file).toBe(outPath);
    expect(outcome.holders).toBe(2);
    expect((await validateAccrochageFile(outPath)).valid).toBe(true);
    expect(outcome.leftOut).toHaveLength(1);
    const [left] = outcome.leftOut;
    expect(left!.certificateId).toBe(ids.noBirthPlace);
    expect(left!.reasons).toContainEqual(
      expect.objectContaining({ field: 'holder.birthPlaceCode', label: 'birth place' }),
    );
    expect(left!.messages[0]).toMatch(/Sanslieu .*birth place missing/);

    expect((await statusOf(db, ids.lyon!)).accrochageStatus).toBe('sent');
    expect((await statusOf(db, ids.abroad!)).accrochageStatus).toBe('sent');
    expect((await statusOf(db, ids.noBirthPlace!)).accrochageStatus).toBe('pending');
    expect((await statusOf(db, ids.accepted!)).accrochageStatus).toBe('accepted');
    expect((await statusOf(db, ids.revoked!)).accrochageStatus).toBe('pending');

    const { readFile } = await import('node:fs/promises');
    const xml = await readFile(outPath, 'utf8');
    const lyon = { id: ids.lyon!, number: await numberOf(db, ids.lyon!) };
    expect(xml).toContain(`<cpf:idTechnique>${accrochageIdTechnique(lyon)}</cpf:idTechnique>`);
    for (const other of [ids.noBirthPlace!, ids.accepted!, ids.sent!, ids.revoked!])
      expect(xml).not.toContain(other);

    const audit = await db
      .selectFrom('auditLog')
      .select(['entityId', 'after'])
      .where('action', '=', 'accrochage.export')
      .executeTakeFirstOrThrow();
    expect(audit.entityId).toBe(outcome.fluxId);
  });

  it('writes nothing and marks nothing when no certificate can be sent', async () => {
    const outPath = path.join(dir, 'empty.xml');
    const outcome = await server.services.accrochage.export(system, { outPath, ...issuer });
    expect(outcome).toMatchObject({ file: null, holders: 0 });
    expect(outcome.leftOut.map((l) => l.certificateId)).toEqual([ids.noBirthPlace]);
    expect(existsSync(outPath)).toBe(false);
  });

  it('refuses an issuer the CDC would not take, before writing', async () => {
    const outPath = path.join(dir, 'bad-issuer.xml');
    await expect(
      server.services.accrochage.export(system, { outPath, clientId: 'short', contractId: 'X' }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    expect(existsSync(`${outPath}.partial`)).toBe(false);
  });

  it('sets each certificate accepted or rejected from the CDC report, and lists unknown passages', async () => {
    const idOf = async (key: string) =>
      accrochageIdTechnique({ id: ids[key]!, number: await numberOf(db, ids[key]!) });
    const report = path.join(dir, 'accuse.xml');
    writeFileSync(
      report,
      `<?xml version="1.0" encoding="UTF-8"?>
<rapport xmlns:ns2="urn:cdc:cpf:pc5:rapport:schema">
<nomFichier>flux.xml</nomFichier><idFlux>f-1</idFlux><idTraitement>42</idTraitement>
<PassagesKO><passage><idTechnique>${await idOf('abroad')}</idTechnique><messageErreur>Aucun titulaire ne correspond aux critères obligatoires</messageErreur></passage></PassagesKO>
<PassagesOK><idTechnique>${await idOf('lyon')}</idTechnique><idTechnique>JURY-2026-02-0001</idTechnique></PassagesOK>
</rapport>`,
    );
    const outcome = await server.services.accrochage.importReport(system, report);
    expect(outcome).toMatchObject({ accepted: 1, rejected: 1, processingId: '42' });
    expect(outcome.unknown).toEqual([{ idTechnique: 'JURY-2026-02-0001', status: 'accepted' }]);
    expect(await statusOf(db, ids.lyon!)).toEqual({ accrochageStatus: 'accepted', accrochageMessage: null });
    expect(await statusOf(db, ids.abroad!)).toEqual({
      accrochageStatus: 'rejected',
      accrochageMessage: 'Aucun titulaire ne correspond aux critères obligatoires',
    });
    const audit = await db
      .selectFrom('auditLog')
      .select('entityId')
      .where('action', '=', 'accrochage.report')
      .executeTakeFirstOrThrow();
    expect(audit.entityId).toBe('f-1');
  });

  it('refuses a report it cannot read whole, and changes nothing', async () => {
    const report = path.join(dir, 'broken.xml');
    writeFileSync(report, `<rapport><PassagesOK><idTechnique>${ids.noBirthPlace}`);
    await expect(server.services.accrochage.importReport(system, report)).rejects.toMatchObject({
      code: 'import_rejected',
    });
    expect((await statusOf(db, ids.noBirthPlace!)).accrochageStatus).toBe('pending');
  });

  it('sends a rejected certificate again with the next export', async () => {
    const outPath = path.join(dir, 'again.xml');
    const outcome = await server.services.accrochage.export(system, { outPath, ...issuer });
    expect(outcome.holders).toBe(1);
    expect((await statusOf(db, ids.abroad!)).accrochageStatus).toBe('sent');
  });
});

describe('accrochage deadlines', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await newTestServer();
  });
  afterAll(() => server.close());

  it('adds three months, falling back to the last day of a shorter month', () => {
    expect(addMonths('2026-11-02', 3)).toBe('2027-02-02');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
  });

  it('shows each certificate not yet accepted as late, due soon or ok, a partner only its own', async () => {
    const db = server.handle.db;
    const plant = controlPlanter(db);
    const cert = await plant.certification(0);
    const juryId = await plant.jury(cert.id);
    const partner = await server.signIn('partner');
    const mine = partner.organisationId!;
    const other = await plant.organisation();
    const late = await certificate(db, cert, juryId, await candidate(db, mine), { issuedOn: '2026-10-01' });
    const soon = await certificate(db, cert, juryId, await candidate(db, mine), {
      issuedOn: '2026-11-01',
      accrochageStatus: 'sent',
    });
    const ok = await certificate(db, cert, juryId, await candidate(db, other), { issuedOn: '2026-12-31' });
    await certificate(db, cert, juryId, await candidate(db, mine), {
      issuedOn: '2026-10-01',
      accrochageStatus: 'accepted',
    });
    const service = new AccrochageService({
      ...server.services.ctx,
      now: () => new Date('2027-01-20T10:00:00Z'),
    });

    const all = await service.deadlines(system);
    expect(all.items.map((i) => [i.certificateId, i.state, i.dueOn, i.daysLeft])).toEqual([
      [late, 'late', '2027-01-01', -19],
      [soon, 'due_soon', '2027-02-01', 12],
      [ok, 'ok', '2027-03-31', 70],
    ]);
    expect(all.counts).toEqual({ late: 1, due_soon: 1, ok: 1 });

    const actor = {
      kind: 'user' as const,
      userId: partner.userId,
      role: partner.role,
      organisationId: mine,
      label: 'partner',
    };
    const own = await service.deadlines(actor);
    expect(own.items.map((i) => i.certificateId)).toEqual([late, soon]);
  });
});
