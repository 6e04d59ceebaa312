import { z } from 'zod';

/** One problem of an imported partner list: the line of the file (1 is the header), the column, why. */
export const importIssue = z.object({
  line: z.number().int(),
  column: z.string(),
  message: z.string(),
});
export type ImportIssueView = z.infer<typeof importIssue>;

export const partnerImportQuery = z.object({
  /** true: check every row and report, write nothing. */
  dryRun: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false),
});
export type PartnerImportQuery = z.output<typeof partnerImportQuery>;

/** What an import did (or, in a dry run, would do), row by row. */
export const partnerImportResult = z.object({
  dryRun: z.boolean(),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  sha256: z.string(),
  /** Rows read below the header (blank rows not counted). */
  rows: z.number().int(),
  /** true when no row has an error: the real run would write (or has written) everything. */
  valid: z.boolean(),
  errors: z.array(importIssue),
  organisations: z.object({ created: z.number().int(), existing: z.number().int() }),
  habilitations: z.object({ created: z.number().int() }),
  items: z.array(
    z.object({
      line: z.number().int(),
      siret: z.string(),
      legalName: z.string(),
      /** `created`: new organisation; `existing`: already registered, left as it is. */
      organisation: z.enum(['created', 'existing']),
      certificationCode: z.string().nullable(),
    }),
  ),
});
export type PartnerImportResult = z.infer<typeof partnerImportResult>;
