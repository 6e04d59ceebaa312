import { z } from 'zod';
import {
  candidateInput,
  candidateListQuery,
  candidatePage,
  candidatePatch,
  candidateView,
} from '../candidates/candidate.schema.js';
import { uuid } from '../common.schema.js';
import { defineContract } from './contract.js';

const byId = z.object({ id: uuid });

export const listCandidates = defineContract({
  method: 'GET',
  path: '/api/candidates',
  summary: 'List candidates (a partner sees only its own)',
  tags: ['candidates'],
  access: 'session',
  action: 'chain.read',
  query: candidateListQuery,
  response: candidatePage,
});

export const getCandidate = defineContract({
  method: 'GET',
  path: '/api/candidates/:id',
  summary: 'One candidate',
  tags: ['candidates'],
  access: 'session',
  action: 'chain.read',
  params: byId,
  response: candidateView,
});

export const createCandidate = defineContract({
  method: 'POST',
  path: '/api/candidates',
  summary: 'Register a candidate with the identity the CDC accrochage needs (a partner: for itself)',
  tags: ['candidates'],
  access: 'session',
  action: 'chain.declare',
  body: candidateInput,
  response: candidateView,
  status: 201,
});

export const updateCandidate = defineContract({
  method: 'PATCH',
  path: '/api/candidates/:id',
  summary: 'Correct a candidate’s identity',
  tags: ['candidates'],
  access: 'session',
  action: 'chain.declare',
  params: byId,
  body: candidatePatch,
  response: candidateView,
});
