import { z } from 'zod';
import { isoDate, siret } from '../common.schema.js';

/**
 * The evidence dossier (dossier de preuves) of one certification, or of one partner for it: a PDF report
 * and a ZIP of the evidence with its manifest and the audit-log extract. See docs/dossier.md.
 */

/** Format name written in every manifest; the verifier refuses other formats. */
export const DOSSIER_FORMAT = 'habilis-dossier/1';

/** The names inside the ZIP. */
export const dossierPaths = {
  readme: 'LISEZ-MOI.txt',
  report: 'rapport.pdf',
  manifest: 'manifest.json',
  auditLog: 'journal-audit.jsonl',
  lists: 'listes/',
  evidence: 'preuves/',
} as const;

const certificationCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(RNCP|RS)\d{1,6}$/, 'expected a certification code such as RNCP12345 or RS1234');

export const dossierQuery = z
  .object({
    certification: certificationCode,
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** One partner's dossier for that certification. */
    partner: siret.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${q.from})` });
  });
export type DossierQuery = z.output<typeof dossierQuery>;
export type DossierQueryInput = z.input<typeof dossierQuery>;

/** The download: the PDF alone, or the ZIP (which holds the PDF too). */
export const dossierDownloadQuery = z
  .object({
    certification: certificationCode,
    from: isoDate.optional(),
    to: isoDate.optional(),
    partner: siret.optional(),
    format: z.enum(['pdf', 'zip']).default('zip'),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${q.from})` });
  });
export type DossierDownloadQuery = z.output<typeof dossierDownloadQuery>;

/** One file of the ZIP, as the manifest lists it. */
export interface ManifestFile {
  path: string;
  sha256: string;
  sizeBytes: number;
  /** The evidence reference used in the report (`P0001`), for evidence files. */
  ref: string | null;
  evidenceId: string | null;
  mediaType: string;
  /** What the file proves, in French: one line per record it is attached to. */
  proves: string[];
}

export interface DossierManifest {
  format: typeof DOSSIER_FORMAT;
  generatedAt: string;
  generatedBy: string;
  certifier: { name: string; siret: string | null };
  certification: { code: string; title: string };
  partner: { siret: string; name: string } | null;
  period: { from: string | null; to: string | null };
  /** The audit-log extract: entries `firstSeq`..`lastSeq`, continuous, ending on the chain head `headHash`. */
  auditLog: {
    path: string;
    firstSeq: number | null;
    lastSeq: number | null;
    headHash: string | null;
    entries: number;
    /** Entries given with their content (about the dossier's records); the others carry their hashes only. */
    fullEntries: number;
  };
  files: ManifestFile[];
}

/** One problem the verifier found. `path` names the file (or the audit-log line) concerned. */
export interface DossierProblem {
  path: string;
  message: string;
}

export interface DossierVerification {
  ok: boolean;
  /** SHA-256 of manifest.json: the audit log of Habilis records it at generation (`dossier.generate`). */
  manifestSha256: string | null;
  files: number;
  auditEntries: number;
  headHash: string | null;
  problems: DossierProblem[];
}

export const dossierSummary = z.object({
  certification: z.string(),
  partner: z.string().nullable(),
  files: z.number().int(),
  evidenceFiles: z.number().int(),
  auditEntries: z.number().int(),
  headHash: z.string().nullable(),
  manifestSha256: z.string(),
  pdfPages: z.number().int().nullable(),
});
export type DossierSummary = z.infer<typeof dossierSummary>;
