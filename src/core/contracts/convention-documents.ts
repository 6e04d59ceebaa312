import { z } from 'zod';
import { uuid } from '../common.schema.js';
import { evidenceView } from '../evidence/evidence.schema.js';
import { defineContract } from './contract.js';

const byId = z.object({ id: uuid });

/** Generating a convention's document: the shipped template, or the certifier's own text. */
export const conventionDocumentInput = z.strictObject({
  /** A template (text with {{variables}}); the default French template when absent. */
  template: z.string().trim().min(1, 'must not be empty').max(100_000).optional(),
});
export type ConventionDocumentInput = z.input<typeof conventionDocumentInput>;

export const conventionTemplateView = z.object({
  template: z.string(),
  variables: z.array(z.object({ name: z.string(), description: z.string() })),
});
export type ConventionTemplateView = z.infer<typeof conventionTemplateView>;

export const getDefaultConventionTemplate = defineContract({
  method: 'GET',
  path: '/api/convention-templates/default',
  summary: 'The default convention template (French) and the variables a template may use',
  tags: ['conventions'],
  access: 'session',
  action: 'convention.read',
  response: conventionTemplateView,
});

export const generateConventionDocument = defineContract({
  method: 'POST',
  path: '/api/conventions/:id/document',
  summary:
    'Generate the convention as PDF from a template, store it as evidence (SHA-256) and link it to the convention',
  tags: ['conventions'],
  access: 'session',
  action: 'convention.manage',
  params: byId,
  body: conventionDocumentInput,
  response: evidenceView,
  status: 201,
});

/** The answer is the PDF, checked against its SHA-256, with a Content-Disposition file name. */
export const downloadConventionDocument = defineContract({
  method: 'GET',
  path: '/api/conventions/:id/document',
  summary: 'Download the last generated PDF of a convention',
  tags: ['conventions'],
  access: 'session',
  action: 'convention.read',
  params: byId,
  response: z.unknown().describe('the PDF'),
});
