import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../../core/errors.js';
import { CopyBufferPool, CopyRowsBuilder, transferListOf } from './copy-rows.js';
import { type FranceCompetencesExport, openFranceCompetencesExport } from './export.js';
import type {
  ParentMessage,
  ParsedFiche,
  ParseWorkerInput,
  ReportUpdate,
  WorkerError,
  WorkerMessage,
} from './parse-worker-protocol.js';
import { serialiseFiche } from './serialise.js';

/**
 * The worker thread that reads a France Compétences export for the registry import: it parses,
 * validates and serialises each fiche while the import's thread writes the previous ones, and hands
 * over only what the import will use (see ParsedFiche). At most MAX_UNACKED batches wait unread, so a
 * slow database holds the reader back instead of filling memory.
 */

/** A batch closes at this many fiches or this many characters of JSON. */
const BATCH_FICHES = 100;
const BATCH_CHARS = 512 * 1024;
const MAX_UNACKED = 3;

const port = parentPort;
if (!port) throw new Error('parse-worker runs as a worker thread');
const input = workerData as ParseWorkerInput;

let unacked = 0;
let wake: (() => void) | null = null;
const pool = new CopyBufferPool();
port.on('message', (message: ParentMessage) => {
  if (message.type === 'recycle') {
    pool.release(message.buffers);
    return;
  }
  unacked--;
  wake?.();
  wake = null;
});

const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

function updateOf(source: FranceCompetencesExport, sentRejects: number): ReportUpdate {
  const r = source.report;
  return {
    progress: { ...r.progress },
    rejects: r.rejects.slice(sentRejects),
    rejectedCount: r.rejectedCount,
    unknownElements: [...r.unknownElements],
    sha256: r.sha256,
    flowVersion: r.flowVersion,
  };
}

async function run(): Promise<void> {
  const source = await openFranceCompetencesExport(
    input.filePath,
    input.displayName ? { displayName: input.displayName } : {},
  );
  post({ type: 'opened', report: { ...source.report } });
  let batch: ParsedFiche[] = [];
  let chars = 0;
  let sentRejects = 0;
  const copy = input.copyRunId ? new CopyRowsBuilder(input.copyRunId) : null;
  const flush = async () => {
    const update = updateOf(source, sentRejects);
    sentRejects += update.rejects.length;
    if (copy?.size) {
      // The COPY rows' buffers move to the import's thread (no copy of them).
      const rows = copy.take(pool);
      post({ type: 'batch', fiches: batch, update, rows }, transferListOf(rows));
    } else post({ type: 'batch', fiches: batch, update });
    batch = [];
    chars = 0;
    unacked++;
    while (unacked >= MAX_UNACKED) await new Promise<void>((resolve) => (wake = resolve));
  };
  for await (const { record, sourceHash } of source.entries()) {
    const fiche = serialiseFiche(record, sourceHash);
    const status = input.hashes.get(fiche.code);
    const isUnchanged = status === fiche.hash;
    const certifierSirets = fiche.certifierSirets;
    const needsRecord =
      (status !== undefined && !isUnchanged) ||
      input.recordCodes.has(fiche.code) ||
      (input.certifierSiret !== undefined && certifierSirets.includes(input.certifierSiret));
    const parsed: ParsedFiche = {
      code: fiche.code,
      line: fiche.line,
      hash: fiche.hash,
      columns: fiche.columns,
      certifierSirets,
    };
    if (copy && status === undefined) {
      copy.add(fiche, fiche.snapshotCompressed);
      parsed.copied = true;
    } else if (!isUnchanged) {
      parsed.snapshotStored = fiche.snapshotStored;
      parsed.partnersJson = fiche.partnersJson;
      parsed.certifiersJson = fiche.certifiersJson;
      chars += parsed.snapshotStored.length + parsed.partnersJson.length;
    }
    if (needsRecord) parsed.record = record;
    batch.push(parsed);
    if (batch.length >= BATCH_FICHES || chars + (copy?.chars ?? 0) >= BATCH_CHARS) await flush();
  }
  if (batch.length) await flush();
  post({ type: 'end', update: updateOf(source, sentRejects) });
}

run().catch((error: unknown) => {
  const e: WorkerError = isAppError(error)
    ? { code: error.code, message: error.message, details: error.details }
    : { code: null, message: (error as Error)?.message ?? String(error), stack: (error as Error)?.stack };
  post({ type: 'error', error: e });
});
