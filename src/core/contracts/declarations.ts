import { z } from 'zod';
import {
  declarationExportQuery,
  declarationListQuery,
  declarationMarkInput,
  declarationMarkResult,
  declarationPage,
  declaredPartnerList,
  declaredPartnerQuery,
} from '../declarations/declaration.schema.js';
import { defineContract } from './contract.js';

export const listDeclarationChanges = defineContract({
  method: 'GET',
  path: '/api/declarations/changes',
  summary:
    'Changes of habilitations to declare to France Compétences (within two months), with their deadline and status',
  tags: ['declarations'],
  access: 'session',
  action: 'declaration.read',
  query: declarationListQuery,
  response: declarationPage,
});

export const markChangesDeclared = defineContract({
  method: 'POST',
  path: '/api/declarations/changes/declared',
  summary: 'Record that changes were declared to France Compétences (day and filing reference)',
  tags: ['declarations'],
  access: 'session',
  action: 'declaration.manage',
  body: declarationMarkInput,
  response: declarationMarkResult,
});

export const listDeclaredPartners = defineContract({
  method: 'GET',
  path: '/api/declarations/partners',
  summary:
    'The list of partners to declare: one row per partner × certification, with the France Compétences value',
  tags: ['declarations'],
  access: 'session',
  action: 'declaration.read',
  query: declaredPartnerQuery,
  response: declaredPartnerList,
});

/** The answer is a file: text/csv (UTF-8, `;`) or an XLSX workbook, with a Content-Disposition name. */
export const exportDeclaredPartners = defineContract({
  method: 'GET',
  path: '/api/declarations/partners/export',
  summary: 'Download the list of partners to declare as CSV or XLSX (format=csv|xlsx)',
  tags: ['declarations'],
  access: 'session',
  action: 'declaration.read',
  query: declarationExportQuery,
  response: z
    .unknown()
    .describe('the file: text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
});
