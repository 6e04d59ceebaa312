import { z } from 'zod';
import { uuid } from '../common.schema.js';
import {
  requestAnswerInput,
  requestDetail,
  requestInput,
  requestListQuery,
  requestPage,
  requestReviewInput,
} from '../partner-requests/partner-request.schema.js';
import { defineContract } from './contract.js';

const byId = z.object({ id: uuid });

export const listRequests = defineContract({
  method: 'GET',
  path: '/api/requests',
  summary:
    'List requests to partners, by organisation, status (open, answered, accepted, reopened, overdue) or link',
  tags: ['requests'],
  access: 'session',
  action: 'request.read',
  query: requestListQuery,
  response: requestPage,
});

export const getRequest = defineContract({
  method: 'GET',
  path: '/api/requests/:id',
  summary: 'One request and its whole exchange (asked, answered with files, accepted, asked again)',
  tags: ['requests'],
  access: 'session',
  action: 'request.read',
  params: byId,
  response: requestDetail,
});

export const createRequest = defineContract({
  method: 'POST',
  path: '/api/requests',
  summary: 'Ask a partner for documents or information by a due date; the partner’s users are e-mailed',
  tags: ['requests'],
  access: 'session',
  action: 'request.manage',
  body: requestInput,
  response: requestDetail,
  status: 201,
});

export const answerRequest = defineContract({
  method: 'POST',
  path: '/api/requests/:id/answers',
  summary: 'Answer a request (partner): a text and evidence files uploaded beforehand through /api/evidence',
  tags: ['requests'],
  access: 'session',
  action: 'request.answer',
  params: byId,
  body: requestAnswerInput,
  response: requestDetail,
  status: 201,
});

export const reviewRequest = defineContract({
  method: 'POST',
  path: '/api/requests/:id/review',
  summary: 'Accept an answer, or ask again with what is missing (and optionally a new due date)',
  tags: ['requests'],
  access: 'session',
  action: 'request.manage',
  params: byId,
  body: requestReviewInput,
  response: requestDetail,
});
