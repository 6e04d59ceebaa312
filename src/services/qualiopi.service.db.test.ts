import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../test/database.js';
import { buildOrganisation, validSiret } from '../../test/factories.js';
import { type Actor, systemActor } from '../core/access/policy.js';
import type { DatabaseHandle } from '../db/database.js';
import { createServices, type Services } from './index.js';
import { QUALIOPI_LOST_RULE } from './qualiopi.service.js';

const actor = systemActor('test');
const SAMPLE = path.resolve(
  import.meta.dirname,
  '../importers/lpof/fixtures/lpof-header-and-synthetic-rows.csv',
);
const HEADER = readFileSync(SAMPLE, 'utf8')
  .replace(/^\ufeff/, '')
  .split(/\r?\n/)[0]!;
const COLUMNS = HEADER.split(';').length;

/** One row of the list: NDA, SIRET, name and the four Qualiopi flags (training, bilan, VAE, apprenticeship). */
function row(nda: string, siret: string, name: string, flags: [string, string, string, string]): string {
  const cells = new Array<string>(COLUMNS).fill('');
  cells[0] = nda;
  cells[2] = `"${name}"`;
  cells[3] = siret.slice(0, 9);
  cells[4] = siret;
  [cells[9], cells[10], cells[11], cells[12]] = flags;
  return cells.join(';');
}
const list = (...rows: string[]) => `${[HEADER, ...rows].join('\r\n')}\r\n`;

const F = 'false';
const T = 'true';

describe('QualiopiService.importList', () => {
  let handle: DatabaseHandle;
  let services: Services;
  let dir: string;
  const ids: Record<string, string> = {};
  const s = {
    lost: validSiret(7101),
    gained: validSiret(7102),
    byNda: validSiret(7103),
    absent: validSiret(7104),
    fillNda: validSiret(7105),
    badRow: validSiret(7106),
    unknownRow: validSiret(7107),
    byNdaInList: validSiret(7108),
  };
  const nda = { byNda: '11750000103', badRow: '11750000106', fillNda: '11750000105' };

  const file = (name: string, content: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const org = (id: string) =>
    handle.db
      .selectFrom('organisations')
      .select(['qualiopiStatus', 'qualiopiCategories', 'nda', 'qualiopiCheckedAt'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const findings = () =>
    handle.db
      .selectFrom('findings')
      .select(['id', 'subjectKey', 'status', 'severity', 'source', 'organisationId', 'updatedAt'])
      .where('ruleId', '=', QUALIOPI_LOST_RULE)
      .orderBy('createdAt')
      .execute();
  const auditCount = async () =>
    Number(
      (
        await handle.db
          .selectFrom('auditLog')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** The rows of the first list, in order; a later list changes some of them. */
  const firstRows = () => [
    row('11750000101', s.lost, 'PERD QUALIOPI', [F, F, F, F]),
    row('11750000102', s.gained, 'GAGNE QUALIOPI', [T, F, T, F]),
    // Its SIRET in the list is not the one Habilis knows: matched by its NDA.
    row(nda.byNda, s.byNdaInList, 'PAR NDA', [T, F, F, T]),
    row(nda.fillNda, s.fillNda, 'SANS NDA DANS HABILIS', [F, F, F, F]),
    row('11750000107', s.unknownRow, 'INCONNU DE HABILIS', [T, T, T, T]),
    // Unreadable Qualiopi flag: rejected, and its organisation is not taken for absent.
    row(nda.badRow, s.badRow, 'LIGNE ILLISIBLE', ['peut-être', F, F, F]),
  ];
  const firstList = () => list(...firstRows());

  beforeAll(async () => {
    handle = await newTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'habilis-qualiopi-'));
    services = createServices(handle, { publicUrl: 'http://habilis.test', filesDir: dir, dataDir: dir });
    const plant = async (key: string, input: Parameters<typeof buildOrganisation>[0]) => {
      ids[key] = (await services.organisations.create(actor, buildOrganisation(input))).id;
    };
    await plant('lost', { siret: s.lost, qualiopiStatus: 'certified', qualiopiCategories: ['training'] });
    await plant('gained', { siret: s.gained, qualiopiStatus: 'not_certified', qualiopiCategories: [] });
    await plant('byNda', {
      siret: s.byNda,
      nda: nda.byNda,
      qualiopiStatus: 'certified',
      qualiopiCategories: ['training'],
    });
    await plant('absent', { siret: s.absent, qualiopiStatus: 'certified', qualiopiCategories: ['vae'] });
    await plant('fillNda', { siret: s.fillNda, nda: null, qualiopiStatus: 'unknown' });
    await plant('badRow', {
      siret: s.badRow,
      nda: nda.badRow,
      qualiopiStatus: 'certified',
      qualiopiCategories: ['training'],
    });
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refreshes the matched organisations, opens findings for the losses and lists the rejected rows', async () => {
    const content = firstList();
    const auditBefore = await auditCount();
    const summary = await services.qualiopi.importList(actor, file('lpof-1.csv', content));

    expect(summary).toMatchObject({
      fileName: 'lpof-1.csv',
      sha256: createHash('sha256').update(content).digest('hex'),
      rows: 6,
      matched: 4,
      updated: 5,
      gained: 1,
      lost: 2,
      findings: { opened: 2, updated: 0, resolved: 0 },
    });
    expect(summary.rejected).toEqual([
      expect.objectContaining({ line: 7, code: 'invalid_boolean', key: nda.badRow }),
    ]);

    expect(await org(ids.lost!)).toMatchObject({ qualiopiStatus: 'lapsed', qualiopiCategories: [] });
    expect(await org(ids.gained!)).toMatchObject({
      qualiopiStatus: 'certified',
      qualiopiCategories: ['training', 'vae'],
    });
    expect(await org(ids.byNda!)).toMatchObject({
      qualiopiStatus: 'certified',
      qualiopiCategories: ['training', 'apprenticeship'],
    });
    expect(await org(ids.absent!)).toMatchObject({ qualiopiStatus: 'lapsed', qualiopiCategories: [] });
    expect(await org(ids.fillNda!)).toMatchObject({ qualiopiStatus: 'not_certified', nda: nda.fillNda });
    const untouched = await org(ids.badRow!);
    expect(untouched).toMatchObject({ qualiopiStatus: 'certified', qualiopiCategories: ['training'] });
    expect(untouched.qualiopiCheckedAt).toBeNull();
    expect((await org(ids.gained!)).qualiopiCheckedAt).not.toBeNull();

    const open = await findings();
    expect(open.map((f) => f.subjectKey).sort()).toEqual([ids.lost, ids.absent].sort());
    const lostFinding = open.find((f) => f.subjectKey === ids.lost)!;
    expect(lostFinding).toMatchObject({ status: 'open', severity: 'major', organisationId: ids.lost });
    expect(lostFinding.source).toMatchObject({ reason: 'no_category', line: 2, siret: s.lost });
    expect(open.find((f) => f.subjectKey === ids.absent)!.source).toMatchObject({ reason: 'absent' });

    // One entry per changed organisation, one for the run.
    expect((await auditCount()) - auditBefore).toBe(6);
    const entries = await handle.db
      .selectFrom('auditLog')
      .select(['action', 'entityId', 'after'])
      .where('seq', '>', auditBefore)
      .orderBy('seq')
      .execute();
    const changeOf = (id: string) =>
      (entries.find((e) => e.entityId === id)?.after as { change?: string } | undefined)?.change;
    expect(changeOf(ids.lost!)).toBe('lost');
    expect(changeOf(ids.gained!)).toBe('gained');
    expect(changeOf(ids.byNda!)).toBe('categories_changed');
    expect(changeOf(ids.absent!)).toBe('lost');
    const run = entries.at(-1)!;
    expect(run.action).toBe('qualiopi.import');
    expect(run.after).toMatchObject({ sha256: summary.sha256, lost: 2, gained: 1 });
  });

  it('changes nothing and opens no finding when the same list is imported again', async () => {
    const before = await findings();
    const auditBefore = await auditCount();
    const summary = await services.qualiopi.importList(actor, file('lpof-1-again.csv', firstList()));
    expect(summary).toMatchObject({
      matched: 4,
      updated: 0,
      gained: 0,
      lost: 0,
      findings: { opened: 0, updated: 0, resolved: 0 },
    });
    expect(summary.rejected).toHaveLength(1);
    expect(await findings()).toEqual(before);
    expect((await auditCount()) - auditBefore).toBe(1);
  });

  it('updates the open finding when its row moves, and resolves it when Qualiopi is back', async () => {
    // The same list with the lost organisation's row moved to the end.
    const [lostRow, ...others] = firstRows();
    const moved = list(...others, lostRow!);
    const first = await services.qualiopi.importList(actor, file('lpof-2.csv', moved));
    expect(first.findings).toEqual({ opened: 0, updated: 1, resolved: 0 });
    expect((await findings()).filter((f) => f.status === 'open')).toHaveLength(2);

    const back = list(
      ...firstRows().slice(1),
      row('11750000101', s.lost, 'PERD QUALIOPI', [T, F, F, F]),
      row('11750000199', s.absent, 'DE RETOUR', [F, T, F, F]),
    );
    const summary = await services.qualiopi.importList(actor, file('lpof-3.csv', back));
    expect(summary).toMatchObject({ gained: 2, lost: 0, findings: { opened: 0, updated: 0, resolved: 2 } });
    expect((await findings()).map((f) => f.status)).toEqual(['closed', 'closed']);
    expect(await org(ids.lost!)).toMatchObject({
      qualiopiStatus: 'certified',
      qualiopiCategories: ['training'],
    });
  });

  it('refuses a file it cannot read and leaves the database as it was', async () => {
    const snapshot = async () => ({
      organisations: await handle.db.selectFrom('organisations').selectAll().orderBy('id').execute(),
      findings: await findings(),
      audit: await auditCount(),
    });
    const before = await snapshot();
    // The Qualiopi columns are missing: nothing in the file can be trusted.
    const broken = file('broken.csv', 'numeroDeclarationActivite;denomination\r\n11750000101;X\r\n');
    await expect(services.qualiopi.importList(actor, broken)).rejects.toMatchObject({
      code: 'import_rejected',
    });
    await expect(services.qualiopi.importList(actor, path.join(dir, 'missing.csv'))).rejects.toMatchObject({
      code: 'import_rejected',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('is refused to a role that cannot import organisations', async () => {
    const auditor: Actor = {
      kind: 'user',
      userId: '00000000-0000-4000-8000-000000000001',
      role: 'auditor',
      organisationId: null,
      label: 'auditor',
    };
    await expect(services.qualiopi.importList(auditor, file('x.csv', firstList()))).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});

describe('QualiopiService.importList with a partial list', () => {
  let handle: DatabaseHandle;
  let services: Services;
  let dir: string;
  const sirets = Array.from({ length: 10 }, (_, i) => validSiret(7200 + i));

  beforeAll(async () => {
    handle = await newTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'habilis-qualiopi-partial-'));
    services = createServices(handle, { publicUrl: 'http://habilis.test', filesDir: dir, dataDir: dir });
    for (const siret of sirets)
      await services.organisations.create(
        actor,
        buildOrganisation({
          siret,
          nda: null,
          qualiopiStatus: 'certified',
          qualiopiCategories: ['training'],
        }),
      );
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const statuses = async () =>
    (await handle.db.selectFrom('organisations').select('qualiopiStatus').execute()).map(
      (o) => o.qualiopiStatus,
    );
  const listOf = (name: string, kept: readonly string[]) => {
    const p = path.join(dir, name);
    writeFileSync(
      p,
      list(
        ...kept.map((siret, i) =>
          row(`1175100${String(i).padStart(4, '0')}`, siret, `OF ${i}`, [T, F, F, F]),
        ),
      ),
    );
    return p;
  };

  it('refuses, without writing, a list from which most certified organisations are absent', async () => {
    const partial = listOf('extrait-region.csv', sirets.slice(0, 2));
    const error = await services.qualiopi.importList(actor, partial).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'import_rejected',
      details: { reason: 'partial_list', certified: 10, absent: 8, file: 'extrait-region.csv' },
    });
    expect((error as Error).message).toMatch(/8 of the 10 organisations certified Qualiopi today \(80 %\)/);
    expect(new Set(await statuses())).toEqual(new Set(['certified']));
    expect(await handle.db.selectFrom('findings').select('id').execute()).toEqual([]);
  });

  it('applies a list where only a few are absent, and a partial one when forced', async () => {
    const nearlyAll = await services.qualiopi.importList(actor, listOf('complete.csv', sirets.slice(0, 9)));
    expect(nearlyAll.lost).toBe(1);
    const forced = await services.qualiopi.importList(actor, listOf('partial.csv', sirets.slice(0, 2)), {
      force: true,
    });
    expect(forced.lost).toBe(7);
    expect((await statuses()).filter((s) => s === 'lapsed')).toHaveLength(8);
  });
});
