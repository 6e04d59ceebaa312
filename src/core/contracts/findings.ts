import { z } from 'zod';
import { uuid } from '../common.schema.js';
import {
  correctiveActionInput,
  correctiveActionReview,
  correctiveActionView,
  findingDetail,
  findingInput,
  findingListQuery,
  findingPage,
  findingPatch,
  findingTransitionInput,
} from '../findings/finding.schema.js';
import { defineContract } from './contract.js';

const byId = z.object({ id: uuid });

export const listFindings = defineContract({
  method: 'GET',
  path: '/api/findings',
  summary: 'List findings (a partner sees those about its own organisation)',
  tags: ['findings'],
  access: 'session',
  action: 'finding.read',
  query: findingListQuery,
  response: findingPage,
});

export const getFinding = defineContract({
  method: 'GET',
  path: '/api/findings/:id',
  summary: 'One finding with its corrective actions',
  tags: ['findings'],
  access: 'session',
  action: 'finding.read',
  params: byId,
  response: findingDetail,
});

export const createFinding = defineContract({
  method: 'POST',
  path: '/api/findings',
  summary: 'Open a finding',
  tags: ['findings'],
  access: 'session',
  action: 'finding.manage',
  body: findingInput,
  response: findingDetail,
  status: 201,
});

export const updateFinding = defineContract({
  method: 'PATCH',
  path: '/api/findings/:id',
  summary: 'Change a finding’s title, description or severity',
  tags: ['findings'],
  access: 'session',
  action: 'finding.manage',
  params: byId,
  body: findingPatch,
  response: findingDetail,
});

export const transitionFinding = defineContract({
  method: 'POST',
  path: '/api/findings/:id/transition',
  summary: 'Move a finding along its life: qualify, request an action, verify, close, escalate, re-open',
  tags: ['findings'],
  access: 'session',
  action: 'finding.manage',
  params: byId,
  body: findingTransitionInput,
  response: findingDetail,
});

export const submitCorrectiveAction = defineContract({
  method: 'POST',
  path: '/api/findings/:id/corrective-actions',
  summary: 'The partner’s answer: a corrective action with an owner and a due date',
  tags: ['findings'],
  access: 'session',
  action: 'finding.answer',
  params: byId,
  body: correctiveActionInput,
  response: findingDetail,
  status: 201,
});

export const reviewCorrectiveAction = defineContract({
  method: 'POST',
  path: '/api/findings/:id/corrective-actions/:actionId/review',
  summary: 'Accept, mark done, verify or reject a corrective action',
  tags: ['findings'],
  access: 'session',
  action: 'finding.manage',
  params: z.object({ id: uuid, actionId: uuid }),
  body: correctiveActionReview,
  response: correctiveActionView,
});
