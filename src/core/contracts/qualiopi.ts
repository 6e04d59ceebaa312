import { z } from 'zod';
import { defineContract } from './contract.js';

/** A row of the list that was not read: where it is and why, so nothing is dropped silently. */
export const qualiopiRejectedRow = z.object({
  line: z.number().int(),
  /** A stable code of the LPOF importer (`invalid_siret`, `invalid_boolean`, `field_count`…). */
  code: z.string(),
  message: z.string(),
  column: z.string().optional(),
  /** The row's NDA when it could be read. */
  key: z.string().optional(),
});
export type QualiopiRejectedRow = z.infer<typeof qualiopiRejectedRow>;

/**
 * What one refresh of the Qualiopi status from the « liste publique des organismes de formation » did:
 * rows read, organisations matched (by SIRET, else by NDA), those whose status, categories or NDA changed,
 * those that gained or lost Qualiopi, the rejected rows, and the `qualiopi.lost` findings opened, updated
 * and resolved.
 */
export const qualiopiImportSummary = z.object({
  fileName: z.string(),
  sha256: z.string(),
  rows: z.number().int(),
  matched: z.number().int(),
  updated: z.number().int(),
  gained: z.number().int(),
  lost: z.number().int(),
  rejected: z.array(qualiopiRejectedRow),
  findings: z.object({
    opened: z.number().int(),
    updated: z.number().int(),
    resolved: z.number().int(),
  }),
});
export type QualiopiImportSummary = z.infer<typeof qualiopiImportSummary>;

/**
 * The body is multipart/form-data with one part named `file`: the list as published (CSV, `;` or `,`,
 * UTF-8 or Windows-1252, or the Opendatasoft JSON export). A file that cannot be read is refused whole
 * (422 import_rejected) and nothing changes; so is a list that looks partial (more than 20 % of the
 * organisations certified today absent from it, reason `partial_list`) unless `force=true`.
 */
export const importQualiopiList = defineContract({
  method: 'POST',
  path: '/api/qualiopi/imports',
  summary:
    'Refresh the Qualiopi status of the organisations from the « liste publique des organismes de formation » (multipart part `file`)',
  tags: ['organisations'],
  access: 'session',
  action: 'organisation.import',
  /** force=true applies a list that looks partial (most certified organisations absent from it). */
  query: z.object({ force: z.enum(['true', 'false']).optional() }),
  response: qualiopiImportSummary,
});
