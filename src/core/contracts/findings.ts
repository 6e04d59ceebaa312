import { z } from 'zod';
import { uuid } from '../common.schema.js';
import {
  correctiveActionCompleteInput,
  correctiveActionInput,
  correctiveActionReview,
  correctiveActionView,
  effectivenessInput,
  findingDetail,
  findingInput,
  findingListQuery,
  findingPage,
  findingPatch,
  findingQualifyInput,
  findingRequestInput,
  findingTransitionInput,
  reminderRunSummary,
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
  summary: 'Escalate, close or re-open a finding (qualifying, requesting and verifying have their own steps)',
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

export const qualifyFinding = defineContract({
  method: 'POST',
  path: '/api/findings/:id/qualify',
  summary: 'Qualify a finding: its severity and root cause',
  tags: ['findings'],
  access: 'session',
  action: 'finding.manage',
  params: byId,
  body: findingQualifyInput,
  response: findingDetail,
});

export const requestCorrectiveAction = defineContract({
  method: 'POST',
  path: '/api/findings/:id/request',
  summary: 'Ask the partner for a corrective action by a due date (or renew the request)',
  tags: ['findings'],
  access: 'session',
  action: 'finding.manage',
  params: byId,
  body: findingRequestInput,
  response: findingDetail,
});

export const completeCorrectiveAction = defineContract({
  method: 'POST',
  path: '/api/findings/:id/corrective-actions/:actionId/complete',
  summary: 'The partner reports its corrective action carried out (evidence linked to the action)',
  tags: ['findings'],
  access: 'session',
  action: 'finding.answer',
  params: z.object({ id: uuid, actionId: uuid }),
  body: correctiveActionCompleteInput,
  response: findingDetail,
});

export const checkEffectiveness = defineContract({
  method: 'POST',
  path: '/api/findings/:id/corrective-actions/:actionId/effectiveness',
  summary:
    'Check the effectiveness of a completed corrective action: the finding is verified, or asked again',
  tags: ['findings'],
  access: 'session',
  action: 'finding.manage',
  params: z.object({ id: uuid, actionId: uuid }),
  body: effectivenessInput,
  response: findingDetail,
});

export const runFindingReminders = defineContract({
  method: 'POST',
  path: '/api/findings/reminders/run',
  summary: 'Remind partners of late findings and escalate those too late (the scheduler runs it nightly)',
  tags: ['findings'],
  access: 'session',
  action: 'finding.manage',
  response: reminderRunSummary,
});
