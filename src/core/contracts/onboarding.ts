import { z } from 'zod';
import { partnerImportQuery, partnerImportResult } from '../onboarding/onboarding.schema.js';
import { defineContract } from './contract.js';

/**
 * The body is multipart/form-data with one part named `file`: the partner list as XLSX or CSV (at most
 * 5 MiB, 5,000 rows; the template's columns, see docs/partner-import.md). With dryRun=true every row is
 * checked and nothing is written; otherwise the list is imported in one transaction, or refused whole
 * (422 import_rejected, `details.errors` listing each line and column).
 */
export const importPartners = defineContract({
  method: 'POST',
  path: '/api/onboarding/partners',
  summary: 'Import a partner list (XLSX or CSV, multipart part `file`); dryRun=true checks without writing',
  tags: ['onboarding'],
  access: 'session',
  action: 'organisation.import',
  query: partnerImportQuery,
  response: partnerImportResult,
});

/** The answer is an XLSX workbook: the header row and one example row. */
export const downloadPartnerTemplate = defineContract({
  method: 'GET',
  path: '/api/onboarding/partners/template',
  summary: 'Download the partner-list template (XLSX: header row and one example row)',
  tags: ['onboarding'],
  access: 'session',
  action: 'organisation.import',
  response: z.unknown().describe('the XLSX template'),
});
