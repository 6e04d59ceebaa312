import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../core/errors.js';
import type { CopyRows } from '../../core/registry/copy-rows.js';
import type { FicheRecord } from '../../core/registry/fiche.schema.js';
import { transferListOf } from './copy-rows.js';
import type { ExportReport } from './export.js';
import type {
  ParentMessage,
  ParsedFiche,
  ParseWorkerInput,
  ReportUpdate,
  WorkerError,
  WorkerMessage,
} from './parse-worker-protocol.js';
import type { FicheColumnsOf } from './serialise.js';

/** What the registry import reads of each fiche (SerialisedFiche in-process, TransferredFiche from the worker). */
export interface RegistryFiche {
  readonly code: string;
  readonly line: number;
  readonly hash: string;
  readonly columns: FicheColumnsOf;
  readonly certifierSirets: (string | null)[];
  /** The snapshot as stored (base64 of its zlib stream). */
  readonly snapshotStored: string;
  readonly partnersJson: string;
  readonly certifiersJson: string;
  readonly record: FicheRecord;
  /** A new fiche whose rows came as COPY rows (handed to `onRows` before the fiche). */
  readonly copied: boolean;
}

/** A fiche handed over by the parse worker; asking for a part the worker left out is a bug. */
export class TransferredFiche implements RegistryFiche {
  constructor(private readonly parsed: ParsedFiche) {}
  get code() {
    return this.parsed.code;
  }
  get line() {
    return this.parsed.line;
  }
  get hash() {
    return this.parsed.hash;
  }
  get columns() {
    return this.parsed.columns;
  }
  get certifierSirets() {
    return this.parsed.certifierSirets;
  }
  private need<K extends keyof ParsedFiche>(key: K): NonNullable<ParsedFiche[K]> {
    const value = this.parsed[key];
    if (value === undefined) throw new Error(`the parse worker did not send ${key} of ${this.parsed.code}`);
    return value as NonNullable<ParsedFiche[K]>;
  }
  get snapshotStored() {
    return this.need('snapshotStored');
  }
  get partnersJson() {
    return this.need('partnersJson');
  }
  get certifiersJson() {
    return this.need('certifiersJson');
  }
  get record() {
    return this.need('record');
  }
  get copied() {
    return this.parsed.copied === true;
  }
}

/** An export read by the worker thread: the fiches in file order, and the report as it fills. */
export interface ThreadedExport extends AsyncIterable<RegistryFiche> {
  readonly report: ExportReport;
  /** Stops the worker (the iteration's `return` does it too). */
  close(): Promise<void>;
  /** Gives the buffers of COPY rows written back to the worker, which encodes the next rows into them. */
  recycle(rows: CopyRows): void;
}

const here = import.meta.url;
// Under tsx or vitest this module is TypeScript: the worker gets the same loader.
const isTypeScript = here.endsWith('.ts');
const workerUrl = new URL(isTypeScript ? './parse-worker.ts' : './parse-worker.js', here);

const tsxApi = () => new URL('./esm/api/index.mjs', pathToFileURL(createRequire(here).resolve('tsx'))).href;

/**
 * The parse worker's heap: one fiche at a time and a few batches, whatever the file size. A cap on the old
 * generation makes its garbage collector work instead of letting the heap grow (the import's peak RSS
 * counts every thread). Its young generation depends on which thread is the bottleneck (measured at
 * 25,000 fiches on PGlite, back to back):
 * - a first import (COPY rows into an empty registry): the database work on the importing thread is, so
 *   24 MB costs no time and keeps the process under 400 MB (383–385 MB against 392–441 MB with 48);
 * - any other import (mostly unchanged fiches): the worker is, and 24 MB made a re-import 4 CPU seconds
 *   longer (21.1 against 17.0 s; 16.0 against 13.9 s of wall time), so it gets 48 MB (16 MB in all had
 *   doubled its time in the collector).
 */
function workerLimits(input: ParseWorkerInput): ResourceLimits {
  const firstImport = input.copyRunId !== undefined && input.hashes.size === 0;
  return { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: firstImport ? 24 : 48 };
}

function errorFrom(e: WorkerError): Error {
  if (e.code) return new AppError(e.code as ErrorCode, e.message, e.details ? { details: e.details } : {});
  const error = new Error(e.message);
  if (e.stack) error.stack = e.stack;
  return error;
}

/**
 * Opens an export for the registry import, parsed in a worker thread so that reading the file overlaps
 * with writing the registry. `known` says what the registry holds, so the worker sends the heavy parts
 * (JSON forms, whole records) only for the fiches that need them. Throws import_rejected like
 * openFranceCompetencesExport: at opening for a file of another kind, during the iteration for a
 * broken one.
 */
export async function openThreadedExport(
  filePath: string,
  options: {
    displayName?: string | undefined;
    /** With `copyRunId`: receives each batch's COPY rows, before the batch's fiches are yielded. */
    onRows?: (rows: CopyRows) => void;
  } & Omit<ParseWorkerInput, 'filePath' | 'displayName'>,
): Promise<ThreadedExport> {
  const input: ParseWorkerInput = {
    filePath,
    displayName: options.displayName,
    hashes: options.hashes,
    recordCodes: options.recordCodes,
    certifierSiret: options.certifierSiret,
    copyRunId: options.copyRunId,
  };
  const worker = isTypeScript
    ? // The TypeScript sources (tests, tsx): the worker registers tsx's loader, then loads its module.
      new Worker(
        `import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); });`,
        { eval: true, workerData: input, resourceLimits: workerLimits(input) },
      )
    : new Worker(workerUrl, { workerData: input, resourceLimits: workerLimits(input) });

  // Messages wait here until the iteration takes them.
  const queue: WorkerMessage[] = [];
  let failure: Error | null = null;
  let exited = false;
  let notify: (() => void) | null = null;
  const wakeUp = () => {
    notify?.();
    notify = null;
  };
  worker.on('message', (message: WorkerMessage) => {
    queue.push(message);
    wakeUp();
  });
  worker.on('error', (error: Error) => {
    failure ??= error;
    wakeUp();
  });
  worker.on('exit', (code) => {
    exited = true;
    if (code !== 0) failure ??= new Error(`the parse worker stopped (exit code ${code})`);
    wakeUp();
  });
  const next = async (): Promise<WorkerMessage> => {
    for (;;) {
      const message = queue.shift();
      if (message) return message;
      if (failure) throw failure;
      if (exited) throw new Error('the parse worker ended without a word');
      await new Promise<void>((resolve) => (notify = resolve));
    }
  };
  const close = async () => {
    if (!exited) await worker.terminate();
  };

  const first = await next().catch(async (error: unknown) => {
    await close();
    throw error;
  });
  if (first.type === 'error') {
    await close();
    throw errorFrom(first.error);
  }
  if (first.type !== 'opened') {
    await close();
    throw new Error(`the parse worker said ${first.type} before opening the file`);
  }
  const report: ExportReport = {
    ...first.report,
    rejects: [],
    rejectedCount: 0,
    unknownElements: new Map(),
    sha256: null,
    flowVersion: null,
  };
  const apply = (update: ReportUpdate) => {
    Object.assign(report.progress, update.progress);
    report.rejects.push(...update.rejects);
    report.rejectedCount = update.rejectedCount;
    report.unknownElements = new Map(update.unknownElements);
    report.sha256 = update.sha256;
    report.flowVersion = update.flowVersion;
  };

  let started = false;
  return {
    report,
    close,
    recycle(rows) {
      if (exited) return;
      const buffers = transferListOf(rows);
      worker.postMessage({ type: 'recycle', buffers } satisfies ParentMessage, buffers);
    },
    async *[Symbol.asyncIterator]() {
      if (started) throw new Error('an export can be read once');
      started = true;
      try {
        for (;;) {
          const message = await next();
          if (message.type === 'error') throw errorFrom(message.error);
          if (message.type === 'end') {
            apply(message.update);
            return;
          }
          if (message.type !== 'batch') continue;
          apply(message.update);
          worker.postMessage({ type: 'ack' } satisfies ParentMessage);
          if (message.rows) {
            if (!options.onRows) throw new Error('the parse worker sent COPY rows nobody takes');
            options.onRows(message.rows);
          }
          for (const parsed of message.fiches) yield new TransferredFiche(parsed);
        }
      } finally {
        await close();
      }
    },
  };
}
