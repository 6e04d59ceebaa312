// The CPF import's worker thread: reads the catalogue, checks every offer and encodes what must be
// written, while the importing thread writes the previous part (on PGlite, the database works on that
// thread: the two overlap on two cores). Its heap is capped (threaded-import.ts), so its garbage is
// collected instead of growing with the file. Protocol: protocol.ts.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { CopyTextBuffer } from '../../core/copy-text.js';
import { isAppError } from '../../core/errors.js';
import { parseCpfCatalogue } from '../../importers/cpf-catalogue/index.js';
import type { FindingCollector } from '../../rules/cpf/check-offer.js';
import { CpfReferenceBuilder } from '../../rules/cpf/reference.js';
import { CatalogueMatcher, type MatchedOffers, type OfferUpdate, offerHash } from './catalogue-matcher.js';
import type { FromWorker, ImportWorkerInput, ToWorker, WorkerError } from './protocol.js';

/** A part is sent once it holds this many bytes of COPY text and characters of updates. */
const PART_BYTES = 4 * 1024 * 1024;
/** Parts sent and not yet written: the import writes one while the next waits, the worker fills a third. */
const MAX_PARTS_IN_FLIGHT = 2;

const port = parentPort;
if (!port) throw new Error('import-worker.ts runs as a worker thread');
const input = workerData as ImportWorkerInput;

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

/** Gathers what the matcher hands over into parts, and sends a part when it is full. */
class PartSender implements MatchedOffers {
  private inserts = new CopyTextBuffer();
  /** Buffers of parts written, given back by the import. */
  private readonly free: CopyTextBuffer[] = [];
  private updates: OfferUpdate[] = [];
  private updateChars = 0;
  private inFlight = 0;
  private wake: (() => void) | null = null;

  insert(line: string): Promise<void> | undefined {
    this.inserts.appendLine(line);
    return this.full() ? this.send() : undefined;
  }

  update(update: OfferUpdate): Promise<void> | undefined {
    this.updates.push(update);
    this.updateChars += update.json.length + update.recordJson.length;
    return this.full() ? this.send() : undefined;
  }

  /** The import wrote a part. */
  written(buffer: ArrayBuffer | null): void {
    this.inFlight--;
    if (buffer) this.free.push(new CopyTextBuffer(buffer));
    this.wake?.();
    this.wake = null;
  }

  /** Sends what is gathered, once fewer than MAX_PARTS_IN_FLIGHT parts wait to be written. */
  async send(): Promise<void> {
    if (this.inserts.byteLength === 0 && this.updates.length === 0) return;
    while (this.inFlight >= MAX_PARTS_IN_FLIGHT) await new Promise<void>((resolve) => (this.wake = resolve));
    let buffer: ArrayBuffer | null = null;
    let byteLength = 0;
    if (this.inserts.byteLength > 0) {
      ({ buffer, byteLength } = this.inserts.transfer());
      this.inserts = this.free.pop() ?? new CopyTextBuffer();
      this.inserts.clear();
    }
    const updates = this.updates;
    this.updates = [];
    this.updateChars = 0;
    this.inFlight++;
    send({ type: 'part', buffer, byteLength, updates }, buffer ? [buffer] : []);
  }

  private full(): boolean {
    return this.inserts.byteLength + this.updateChars >= PART_BYTES;
  }
}

/** Streams the file through a hash: the catalogue is read once, and its sha256 is known at the end. */
async function* hashing(filePath: string, hash: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(filePath, { highWaterMark: 256 * 1024 })) {
    hash.update(chunk as Buffer);
    yield chunk as Buffer;
  }
}

function workerError(error: unknown): WorkerError {
  if (isAppError(error))
    return { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
  return { message: error instanceof Error ? error.message : String(error) };
}

const sender = new PartSender();
const reference = new CpfReferenceBuilder();
const previous = new Map<string, string>();
let matcher: CatalogueMatcher | null = null;
let started: (logNew: boolean) => void = () => {};
const start = new Promise<boolean>((resolve) => (started = resolve));

/** The findings gathered; asking before the file is read is a bug of the import (the thread stops). */
function collectorOf(): FindingCollector {
  if (!matcher) throw new Error('findings asked for before the catalogue was read');
  return matcher.collector;
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'reference':
      reference.add(message.part, JSON.parse(message.json) as never);
      return;
    case 'previous':
      for (const { offerId, packed } of JSON.parse(message.json) as { offerId: string; packed: string }[])
        previous.set(offerId, packed);
      return;
    case 'start':
      started(message.logNew);
      return;
    case 'written':
      sender.written(message.buffer);
      return;
    case 'subjects': {
      const collector = collectorOf();
      const subjects = collector.subjects(message.ruleId).map((subject) => ({
        ...subject,
        evidenceHash: offerHash(collector.evidenceJson(message.ruleId, subject.subjectKey)),
      }));
      send({ type: 'subjects', ruleId: message.ruleId, subjects });
      return;
    }
    case 'evidence': {
      const collector = collectorOf();
      const evidence = message.subjectKeys.map((key) => collector.evidenceJson(message.ruleId, key));
      send({ type: 'evidence', ruleId: message.ruleId, evidence });
      return;
    }
  }
});

async function run(): Promise<void> {
  const logNew = await start;
  const lookups = reference.build(input.claims);
  const hash = createHash('sha256');
  matcher = new CatalogueMatcher(
    lookups,
    previous,
    { today: input.today, importId: input.importId, logNew },
    sender,
  );
  for await (const item of parseCpfCatalogue(hashing(input.filePath, hash), { fileName: input.fileName }))
    await matcher.take(item);
  const result = await matcher.finish();
  await sender.send();
  send({ type: 'end', result, sha256: hash.digest('hex') });
}

run().catch((error: unknown) => send({ type: 'error', error: workerError(error) }));
