import { z } from 'zod';
import { pageQuery, uuid } from '../common.schema.js';
import { defineContract } from './contract.js';

/**
 * Declarations by file upload (XLSX or CSV, templates below), and the certifier's list of candidates that
 * look like the same person declared by several partners. See docs/chain-upload.md.
 */

export const uploadKinds = ['training-sessions', 'assessment-results'] as const;
export type UploadKind = (typeof uploadKinds)[number];

/** `?dryRun=true`: check every row against the same rules as the real run, write nothing. */
const dryRun = z
  .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
  .default(false);

export const trainingSessionUploadQuery = z.strictObject({
  dryRun,
  /** Certifier staff name the partner the sessions are for; a partner's are its own. */
  organisationId: uuid.optional(),
});
export type TrainingSessionUploadQuery = z.output<typeof trainingSessionUploadQuery>;

export const assessmentResultUploadQuery = z.strictObject({
  dryRun,
  /** The assessment session the results belong to. */
  assessmentSessionId: uuid,
});
export type AssessmentResultUploadQuery = z.output<typeof assessmentResultUploadQuery>;

/**
 * One problem: the line of the file (1 is the header; null: the file or the session as a whole), the column,
 * the English message, and, for the problems a client may word itself, a stable `code` (see
 * core/chain/upload-issue-codes.ts and docs/chain-upload.md) with the `params` its text uses.
 */
export const uploadIssue = z.object({
  line: z.number().int().nullable(),
  column: z.string().nullable(),
  message: z.string(),
  code: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type UploadIssueView = z.infer<typeof uploadIssue>;

export const chainUploadReport = z.object({
  kind: z.enum(uploadKinds),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  /** The encoding a CSV was read in (null for XLSX). */
  encoding: z.string().nullable(),
  dryRun: z.boolean(),
  /** True only when the real run wrote everything; a dry run or a file with errors writes nothing. */
  committed: z.boolean(),
  /** Data rows read (empty rows not counted). */
  rowCount: z.number().int(),
  errors: z.array(uploadIssue),
  summary: z.object({
    sessions: z.number().int(),
    candidatesCreated: z.number().int(),
    candidatesReused: z.number().int(),
    enrolments: z.number().int(),
    results: z.number().int(),
  }),
  /** The training sessions created (empty for a dry run or for results). */
  trainingSessionIds: z.array(uuid),
});
export type ChainUploadReport = z.infer<typeof chainUploadReport>;

export const templateParams = z.object({ kind: z.enum(uploadKinds) });
export const templateQuery = z.strictObject({ format: z.enum(['xlsx', 'csv']).default('xlsx') });

export const downloadUploadTemplate = defineContract({
  method: 'GET',
  path: '/api/chain-uploads/templates/:kind',
  summary: 'The blank upload template (XLSX with a help sheet, or CSV UTF-8 with `;`)',
  tags: ['chain-uploads'],
  access: 'session',
  action: 'chain.read',
  params: templateParams,
  query: templateQuery,
  response: z.unknown().describe('the template file'),
});

/**
 * multipart/form-data, one part named `file` (XLSX or CSV, at most 10 MiB). A file with errors writes
 * nothing: the dry run answers 200 with the errors, the real run 422 `import_rejected` with the same list
 * in `details.errors`.
 */
export const uploadTrainingSessions = defineContract({
  method: 'POST',
  path: '/api/chain-uploads/training-sessions',
  summary:
    'Declare training sessions and their candidates from an XLSX/CSV file (one row per candidate); dryRun=true checks only',
  tags: ['chain-uploads'],
  access: 'session',
  action: 'chain.declare',
  query: trainingSessionUploadQuery,
  response: chainUploadReport,
});

export const uploadAssessmentResults = defineContract({
  method: 'POST',
  path: '/api/chain-uploads/assessment-results',
  summary:
    'Record the results of an assessment session from an XLSX/CSV file (one row per candidate and block or task); dryRun=true checks only',
  tags: ['chain-uploads'],
  access: 'session',
  action: 'assessment.record',
  query: assessmentResultUploadQuery,
  response: chainUploadReport,
});

export const duplicateCandidate = z.object({
  id: uuid,
  organisationId: uuid.nullable(),
  organisationName: z.string().nullable(),
  birthName: z.string(),
  usageName: z.string().nullable(),
  firstNames: z.string(),
  birthDate: z.string().nullable(),
  email: z.string().nullable(),
  createdAt: z.iso.datetime(),
});

/** Candidates of different organisations with the same normalised birth name, first first name and birth date. */
export const duplicateGroup = z.object({
  birthName: z.string(),
  firstName: z.string(),
  birthDate: z.string(),
  candidates: z.array(duplicateCandidate),
});
export type DuplicateGroup = z.infer<typeof duplicateGroup>;

export const duplicateListQuery = pageQuery;
export type DuplicateListQuery = z.output<typeof duplicateListQuery>;

export const duplicatePage = z.object({
  items: z.array(duplicateGroup),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type DuplicatePage = z.infer<typeof duplicatePage>;

/** Certifier staff only: partners see their own candidates, so they cannot compare across partners. */
export const listCandidateDuplicates = defineContract({
  method: 'GET',
  path: '/api/candidate-duplicates',
  summary:
    'Possible duplicates: candidates declared by different partners with the same identity (certifier staff)',
  tags: ['candidates'],
  access: 'session',
  action: 'jury.read',
  query: duplicateListQuery,
  response: duplicatePage,
});
