import type { CopyRows } from '../../core/registry/copy-rows.js';
import type { FicheRecord, ImportReject } from '../../core/registry/fiche.schema.js';
import type { ExportProgress, ExportReport } from './export.js';
import type { FicheColumnsOf } from './serialise.js';

/**
 * The messages between the registry import and the worker thread that parses the export (see
 * parse-worker.ts and threaded-export.ts). Plain data only: they are copied by structured clone.
 */

/** What the worker is told at start: the file, and what the registry already holds. */
export interface ParseWorkerInput {
  filePath: string;
  displayName: string | undefined;
  /** Code → hash of every fiche in the registry: an equal hash needs nothing but its columns. */
  hashes: Map<string, string>;
  /** Codes whose whole record the import needs even when unchanged (the certifier's working copy). */
  recordCodes: Set<string>;
  /** The certifier's SIRET: its fiches' records are needed for the reconciliation. */
  certifierSiret: string | undefined;
  /**
   * The import run's id when the database takes COPY: new fiches then travel as COPY rows (see
   * copy-rows.ts) built here, and their ParsedFiche says `copied` and carries no JSON forms.
   */
  copyRunId?: string | undefined;
}

/**
 * One fiche as the worker hands it over: always its code, line, hash, columns and certifier SIRETs; its
 * JSON forms only when it is new or changed; its whole record only when the import needs it.
 */
export interface ParsedFiche {
  code: string;
  line: number;
  hash: string;
  columns: FicheColumnsOf;
  certifierSirets: (string | null)[];
  /** The snapshot as stored: base64 of its zlib stream (see snapshot-codec.ts). */
  snapshotStored?: string;
  partnersJson?: string;
  certifiersJson?: string;
  record?: FicheRecord;
  /** A new fiche whose rows are in the batch's COPY rows. */
  copied?: true;
}

/** The report's fields that change as the file is read. */
export interface ReportUpdate {
  progress: ExportProgress;
  rejects: ImportReject[];
  rejectedCount: number;
  unknownElements: [string, number][];
  sha256: string | null;
  flowVersion: string | null;
}

export type OpenedReport = Omit<
  ExportReport,
  'rejects' | 'rejectedCount' | 'unknownElements' | 'sha256' | 'flowVersion'
>;

export interface WorkerError {
  code: string | null;
  message: string;
  details?: Record<string, unknown> | undefined;
  stack?: string | undefined;
}

export type WorkerMessage =
  | { type: 'opened'; report: OpenedReport }
  | { type: 'batch'; fiches: ParsedFiche[]; update: ReportUpdate; rows?: CopyRows | undefined }
  | { type: 'end'; update: ReportUpdate }
  | { type: 'error'; error: WorkerError };

/**
 * From the import to the worker: one batch was taken, one more may come (`ack`); or the buffers of COPY
 * rows written, transferred back for the next batches (`recycle`).
 */
export type ParentMessage = { type: 'ack' } | { type: 'recycle'; buffers: ArrayBuffer[] };
