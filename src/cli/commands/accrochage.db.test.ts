import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestDatabase } from '../../../test/database.js';
import { controlPlanter } from '../../../test/factories.js';
import { accrochageIdTechnique } from '../../core/accrochage/id-technique.js';
import type { DatabaseHandle } from '../../db/database.js';
import { validateAccrochageFile } from '../../exporters/accrochage/index.js';
import { createServices, type Services } from '../../services/index.js';
import { runCli } from '../main.js';

// `habilis export accrochage` and `habilis import accrochage-report`, in-process on a fresh test database.

const dir = mkdtempSync(path.join(tmpdir(), 'habilis-accrochage-cli-'));
let handle: DatabaseHandle;
let services: Services;

async function habilis(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: { HABILIS_DATA_DIR: dir, PUBLIC_URL: 'https://habilis.test', LOG_LEVEL: 'silent' },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: (async function* () {})(),
    openServices: async () => ({
      services,
      migration: { applied: [], current: null } as never,
      location: 'test database',
      close: async () => {},
    }),
  });
  return { code, stdout, stderr };
}

describe('habilis export accrochage / import accrochage-report', () => {
  const ids: Record<string, { id: string; number: string }> = {};
  let certificationCode: string;

  beforeAll(async () => {
    handle = await newTestDatabase();
    services = createServices(handle, {
      publicUrl: 'https://habilis.test',
      filesDir: path.join(dir, 'files'),
      dataDir: dir,
    });
    const db = handle.db;
    const plant = controlPlanter(db);
    const cert = await plant.certification(0);
    certificationCode = cert.code;
    const other = await plant.certification(0);
    for (const [key, certification, birthPlaceCode] of [
      ['complete', cert, '69123'],
      ['noPlace', cert, null],
      ['otherCertification', other, '75056'],
    ] as const) {
      const { id: candidateId } = await db
        .insertInto('candidates')
        .values({
          organisationId: null,
          birthName: key === 'noPlace' ? 'Sanslieu' : 'Exemple',
          firstNames: 'Camille',
          sex: 'M',
          birthDate: '1990-01-31',
          birthPlaceCode,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const deliberationId = await plant.deliberation(await plant.jury(certification.id), candidateId);
      const id = await plant.certificate(deliberationId, candidateId, certification.id);
      const { number } = await db
        .selectFrom('certificates')
        .select('number')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      ids[key] = { id, number };
    }
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const statusOf = async (key: string) =>
    (
      await handle.db
        .selectFrom('certificates')
        .select('accrochageStatus')
        .where('id', '=', ids[key]!.id)
        .executeTakeFirstOrThrow()
    ).accrochageStatus;

  it('exports one certification to a valid file, lists the holder left out, and marks the written one sent', async () => {
    const out = path.join(dir, 'flux.xml');
    const { code, stdout } = await habilis([
      'export',
      'accrochage',
      '--out',
      out,
      '--client-id',
      '03VML243',
      '--contract-id',
      'MCF-2026',
      '--certification',
      certificationCode,
      '--json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ file: out, holders: 1 });
    expect(result.leftOut).toHaveLength(1);
    expect(result.leftOut[0].messages[0]).toContain('birth place missing');
    expect((await validateAccrochageFile(out)).valid).toBe(true);
    expect(await statusOf('complete')).toBe('sent');
    expect(await statusOf('noPlace')).toBe('pending');
    expect(await statusOf('otherCertification')).toBe('pending');
  });

  it('fails on a bad --since, writing nothing', async () => {
    const out = path.join(dir, 'since.xml');
    const { code, stderr } = await habilis([
      'export',
      'accrochage',
      '--out',
      out,
      '--client-id',
      '03VML243',
      '--contract-id',
      'MCF-2026',
      '--since',
      '2026-02-30',
    ]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('since');
    expect(existsSync(out)).toBe(false);
    expect(await statusOf('otherCertification')).toBe('pending');
  });

  it('imports a report and prints the rejections', async () => {
    const report = path.join(dir, 'accuse.xml');
    writeFileSync(
      report,
      `<rapport><PassagesKO><passage><idTechnique>${accrochageIdTechnique(ids.complete!)}</idTechnique><messageErreur>Aucun titulaire ne correspond</messageErreur></passage></PassagesKO></rapport>`,
    );
    const { code, stdout } = await habilis(['import', 'accrochage-report', report]);
    expect(code).toBe(0);
    expect(stdout).toContain('0 accepted, 1 rejected');
    expect(stdout).toContain(`${ids.complete!.number}: rejected: Aucun titulaire ne correspond`);
    expect(await statusOf('complete')).toBe('rejected');
  });

  it('without --client-id and no certifier settings, names the missing identifiers and writes nothing', async () => {
    const out = path.join(dir, 'nosettings.xml');
    const { code, stderr } = await habilis(['export', 'accrochage', '--out', out]);
    expect(code).toBe(65);
    expect(stderr).toContain('clientId');
    expect(stderr).toContain('contractId');
    expect(existsSync(out)).toBe(false);
    expect(await statusOf('otherCertification')).toBe('pending');
  });

  it('takes the CDC identifiers from the certifier settings; a flag overrides them', async () => {
    await services.certifierSettings.update(
      { kind: 'system', label: 'test' },
      { cdcClientId: '04ABC123', cdcContractId: 'MCFCER000209' },
    );
    const out = path.join(dir, 'settings.xml');
    const { code } = await habilis(['export', 'accrochage', '--out', out, '--contract-id', 'OVERRIDE-1']);
    expect(code).toBe(0);
    const xml = readFileSync(out, 'utf8');
    expect(xml).toContain('<cpf:idClient>04ABC123</cpf:idClient>');
    expect(xml).toContain('<cpf:idContrat>OVERRIDE-1</cpf:idContrat>');
    expect(xml).not.toContain('MCFCER000209');
    expect(await statusOf('otherCertification')).toBe('sent');
  });

  it('fails on a missing report file', async () => {
    const { code, stderr } = await habilis(['import', 'accrochage-report', path.join(dir, 'none.xml')]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('none.xml');
  });
});
