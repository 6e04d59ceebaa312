import { z } from 'zod';
import { uuid } from '../common.schema.js';
import {
  evidenceLinkInput,
  evidenceListQuery,
  evidencePage,
  evidenceUploadQuery,
  evidenceView,
} from '../evidence/evidence.schema.js';
import { defineContract } from './contract.js';

const byId = z.object({ id: uuid });

export const listEvidence = defineContract({
  method: 'GET',
  path: '/api/evidence',
  summary: 'List evidence files, by organisation or by what they are linked to',
  tags: ['evidence'],
  access: 'session',
  action: 'evidence.read',
  query: evidenceListQuery,
  response: evidencePage,
});

export const getEvidence = defineContract({
  method: 'GET',
  path: '/api/evidence/:id',
  summary: 'The description of one evidence file and its links',
  tags: ['evidence'],
  access: 'session',
  action: 'evidence.read',
  params: byId,
  response: evidenceView,
});

/**
 * The body is multipart/form-data with one part named `file` (at most 50 MiB; PDF, images, office
 * documents, CSV, text or ZIP, recognised from the content). The metadata travels in the query string.
 */
export const uploadEvidence = defineContract({
  method: 'POST',
  path: '/api/evidence',
  summary:
    'Upload an evidence file (multipart/form-data, one part `file`, at most 50 MiB; PDF, images, office documents, CSV, text, ZIP)',
  tags: ['evidence'],
  access: 'session',
  action: 'evidence.upload',
  query: evidenceUploadQuery,
  response: evidenceView,
  status: 201,
});

/** The answer is the file itself, with its media type, its name and its SHA-256 (Repr-Digest). */
export const downloadEvidence = defineContract({
  method: 'GET',
  path: '/api/evidence/:id/content',
  summary: 'Download an evidence file (its integrity is checked against its SHA-256 first)',
  tags: ['evidence'],
  access: 'session',
  action: 'evidence.read',
  params: byId,
  response: z.unknown().describe('the file, as uploaded'),
});

export const linkEvidence = defineContract({
  method: 'POST',
  path: '/api/evidence/:id/links',
  summary: 'Link an evidence file to what it proves',
  tags: ['evidence'],
  access: 'session',
  action: 'evidence.upload',
  params: byId,
  body: evidenceLinkInput,
  response: evidenceView,
  status: 201,
});
