import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validSiret } from '../../../test/factories.js';
import { AppError } from '../../core/errors.js';
import { type CpfReferencePart, cpfReferenceParts } from '../../rules/cpf/reference.js';
import type { ImportWorkerInput } from './protocol.js';
import { type CatalogueWorker, startCatalogueWorker } from './threaded-import.js';

const dir = mkdtempSync(path.join(tmpdir(), 'habilis-cpf-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function input(fileName: string, content: string): ImportWorkerInput {
  const filePath = path.join(dir, fileName);
  writeFileSync(filePath, content);
  return { filePath, fileName, today: '2026-03-01', importId: 'import-1', claims: [] };
}

/** Sends the reference tables (empty unless given) and starts the reading. */
function start(worker: CatalogueWorker, tables: Partial<Record<CpfReferencePart, string>> = {}): void {
  for (const part of cpfReferenceParts) worker.post({ type: 'reference', part, json: tables[part] ?? '[]' });
  worker.post({ type: 'start', logNew: false });
}

describe('the CPF import worker', () => {
  it('reads a catalogue naming no known certification to its end, with the file’s hash', async () => {
    const worker = startCatalogueWorker(
      input(
        'catalogue.csv',
        `numero_formation;siret;code_rncp;intitule_formation\nF1;${validSiret(1)};37674;Titre\n`,
      ),
    );
    try {
      start(worker);
      const end = await worker.next();
      expect(end.type).toBe('end');
      if (end.type !== 'end') return;
      expect(end.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(end.result.rejected).toEqual([]);
      expect(end.result.counts).toMatchObject({ offers: 1, matched: 0 });
      expect(await worker.subjects('cpf.title-mismatch')).toEqual([]);
    } finally {
      await worker.close();
    }
  });

  it('fails the import with the file’s name, not the process, when its heap cap is reached', async () => {
    // A reference too large for the worker's heap: its collector gives up, the thread stops.
    const huge = JSON.stringify(
      Array.from({ length: 300_000 }, (_, i) => ({
        id: `o${i}`,
        siret: `${i}`,
        siren: `${i}`,
        legalName: 'Organisme de formation',
      })),
    );
    const worker = startCatalogueWorker(input('huge.csv', 'numero_formation;siret\n'), {
      maxOldGenerationSizeMb: 64,
      maxYoungGenerationSizeMb: 8,
    });
    try {
      start(worker, { organisations: huge });
      const error = await worker.next().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('import_rejected');
      expect((error as AppError).message).toMatch(/^huge\.csv: the import stopped/);
      expect((error as AppError).details).toMatchObject({ file: 'huge.csv', reason: 'worker_failed' });
    } finally {
      await worker.close();
    }
  });
});
