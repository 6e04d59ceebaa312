import type { CpfRuleId, ForbiddenClaim } from '../../core/cpf-offers/communication.js';
import type { GatheredFinding } from '../../rules/cpf/check-offer.js';
import type { CpfReferencePart } from '../../rules/cpf/reference.js';
import type { MatchResult, OfferUpdate } from './catalogue-matcher.js';

// The messages between the CPF import (cpf-offer.service.ts, which owns the transaction) and its worker
// thread (import-worker.ts, which reads and checks the catalogue).

export interface ImportWorkerInput {
  filePath: string;
  /** The name every message gives the file. */
  fileName: string;
  today: string;
  importId: string;
  claims: ForbiddenClaim[];
}

/** The import to its worker. */
export type ToWorker =
  /** One table of the reference, the JSON text of its rows, in the order of `cpfReferenceParts`. */
  | { type: 'reference'; part: CpfReferencePart; json: string }
  /** A batch of stored offers, the JSON text of `[{offerId, packed}, …]` (see CatalogueMatcher). */
  | { type: 'previous'; json: string }
  /** Every stored offer was sent: read the file. */
  | { type: 'start'; logNew: boolean }
  /** A part is written: its buffer (if it had one) comes back for the next part. */
  | { type: 'written'; buffer: ArrayBuffer | null }
  /** The findings of a rule, without their evidence. */
  | { type: 'subjects'; ruleId: CpfRuleId }
  /** The evidence of some findings of a rule. */
  | { type: 'evidence'; ruleId: CpfRuleId; subjectKeys: string[] };

/** A finding gathered by the worker, without its evidence, with the sha256 of its evidence's JSON. */
export type FindingSubject = Omit<GatheredFinding, 'evidence'> & { evidenceHash: string };

/** An error as it crosses threads: an AppError's code and details, or a plain error's message. */
export interface WorkerError {
  code?: string;
  message: string;
  details?: Record<string, unknown>;
}

/** The worker to the import. */
export type FromWorker =
  /**
   * What to write: new offers as COPY text (the first `byteLength` bytes of `buffer`, transferred) and
   * stored offers to update.
   */
  | { type: 'part'; buffer: ArrayBuffer | null; byteLength: number; updates: OfferUpdate[] }
  | { type: 'end'; result: MatchResult; sha256: string }
  | { type: 'subjects'; ruleId: CpfRuleId; subjects: FindingSubject[] }
  /** The evidence of each finding asked for, as JSON text, in the order asked. */
  | { type: 'evidence'; ruleId: CpfRuleId; evidence: string[] }
  | { type: 'error'; error: WorkerError };
