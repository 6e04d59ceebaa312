import type { ResourceLimits } from 'node:worker_threads';
import type { CpfRuleId } from '../../core/cpf-offers/communication.js';
import { AppError, type ErrorCode } from '../../core/errors.js';
import { startModuleWorker } from '../module-worker.js';
import type { FindingSubject, FromWorker, ImportWorkerInput, ToWorker, WorkerError } from './protocol.js';

/**
 * The worker's heap. What it keeps for the whole import (the reference, the previous state of every stored
 * offer, the offer ids seen; the findings' evidence is outside the heap) was ~150 MB after a full
 * collection at the end of a re-import of 300,000 offers against 10,000 partners; the cap makes its
 * collector work rather than let garbage grow with the file (the import's peak RSS counts every thread).
 * Tried at full scale: 192/16 MB collected more for no memory saved, 256/64 MB saved 1–2 s for ~70 MB
 * more (docs/communication-control.md).
 */
const WORKER_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 };

type Message = Exclude<FromWorker, { type: 'error' }>;

/** The import's side of the worker thread that reads and checks the catalogue (import-worker.ts). */
export interface CatalogueWorker {
  post(message: ToWorker, transfer?: ArrayBuffer[]): void;
  /** The next part, then the end; throws what the worker failed with. */
  next(): Promise<Extract<Message, { type: 'part' | 'end' }>>;
  /** The findings of one rule without their evidence (asked once the end came). */
  subjects(ruleId: CpfRuleId): Promise<FindingSubject[]>;
  /** The evidence of some findings of one rule, as JSON text, in the order of `subjectKeys`. */
  evidence(ruleId: CpfRuleId, subjectKeys: string[]): Promise<string[]>;
  close(): Promise<void>;
}

/** An error of the worker as the import throws it: AppErrors as they were, others as an unreadable file. */
function errorFrom(error: WorkerError, fileName: string): AppError {
  if (error.code)
    return new AppError(
      error.code as ErrorCode,
      error.message,
      error.details ? { details: error.details } : {},
    );
  return new AppError('import_rejected', `${fileName}: ${error.message}`, {
    details: { file: fileName, reason: 'unreadable' },
  });
}

export function startCatalogueWorker(
  input: ImportWorkerInput,
  /** The worker's heap (a test makes it fail with a small one). */
  limits: ResourceLimits = WORKER_LIMITS,
): CatalogueWorker {
  const worker = startModuleWorker(import.meta.url, 'import-worker', {
    workerData: input,
    resourceLimits: limits,
  });
  const { fileName } = input;
  // Messages wait here until the import takes them.
  const queue: Message[] = [];
  let failure: Error | null = null;
  let exited = false;
  let notify: (() => void) | null = null;
  const wakeUp = () => {
    notify?.();
    notify = null;
  };
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'error') failure ??= errorFrom(message.error, fileName);
    else queue.push(message);
    wakeUp();
  });
  worker.on('error', (error: Error) => {
    // ERR_WORKER_OUT_OF_MEMORY among others: the import fails, its transaction rolls back.
    failure ??= new AppError('import_rejected', `${fileName}: the import stopped (${error.message})`, {
      details: { file: fileName, reason: 'worker_failed' },
      cause: error,
    });
    wakeUp();
  });
  worker.on('exit', (code) => {
    exited = true;
    failure ??= new Error(`the CPF import's worker stopped (exit code ${code})`);
    wakeUp();
  });
  const take = async (): Promise<Message> => {
    for (;;) {
      const message = queue.shift();
      if (message) return message;
      if (failure) throw failure;
      await new Promise<void>((resolve) => (notify = resolve));
    }
  };
  return {
    post(message, transfer = []) {
      if (!exited) worker.postMessage(message, transfer);
    },
    async next() {
      const message = await take();
      if (message.type !== 'part' && message.type !== 'end')
        throw new Error(`the CPF import's worker answered ${message.type} unasked`);
      return message;
    },
    async subjects(ruleId) {
      worker.postMessage({ type: 'subjects', ruleId } satisfies ToWorker);
      const message = await take();
      if (message.type !== 'subjects' || message.ruleId !== ruleId)
        throw new Error(`the CPF import's worker answered ${message.type} for the findings of ${ruleId}`);
      return message.subjects;
    },
    async evidence(ruleId, subjectKeys) {
      worker.postMessage({ type: 'evidence', ruleId, subjectKeys } satisfies ToWorker);
      const message = await take();
      if (message.type !== 'evidence' || message.ruleId !== ruleId)
        throw new Error(`the CPF import's worker answered ${message.type} for the evidence of ${ruleId}`);
      return message.evidence;
    },
    async close() {
      if (!exited) await worker.terminate();
    },
  };
}
