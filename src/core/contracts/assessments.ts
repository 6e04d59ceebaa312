import { z } from 'zod';
import {
  assessmentResultList,
  assessmentResultsInput,
  assessmentSessionDetail,
  assessmentSessionInput,
  assessmentSessionListQuery,
  assessmentSessionPage,
  assessmentSessionPatch,
  sessionCandidatesInput,
  sessionEvaluatorsInput,
} from '../chain/assessment.schema.js';
import { uuid } from '../common.schema.js';
import { defineContract } from './contract.js';

const byId = z.object({ id: uuid });

export const listAssessmentSessions = defineContract({
  method: 'GET',
  path: '/api/assessment-sessions',
  summary: 'List assessment sessions (a partner sees those it organises)',
  tags: ['assessments'],
  access: 'session',
  action: 'chain.read',
  query: assessmentSessionListQuery,
  response: assessmentSessionPage,
});

export const getAssessmentSession = defineContract({
  method: 'GET',
  path: '/api/assessment-sessions/:id',
  summary: 'One assessment session with its candidates and evaluators',
  tags: ['assessments'],
  access: 'session',
  action: 'chain.read',
  params: byId,
  response: assessmentSessionDetail,
});

export const createAssessmentSession = defineContract({
  method: 'POST',
  path: '/api/assessment-sessions',
  summary:
    'Declare an assessment session, organised by the certifier or by a partner habilitated to evaluate (409 otherwise)',
  tags: ['assessments'],
  access: 'session',
  action: 'chain.declare',
  body: assessmentSessionInput,
  response: assessmentSessionDetail,
  status: 201,
});

export const updateAssessmentSession = defineContract({
  method: 'PATCH',
  path: '/api/assessment-sessions/:id',
  summary: 'Change an assessment session: date and place while planned, status, incidents',
  tags: ['assessments'],
  access: 'session',
  action: 'chain.declare',
  params: byId,
  body: assessmentSessionPatch,
  response: assessmentSessionDetail,
});

export const registerCandidates = defineContract({
  method: 'POST',
  path: '/api/assessment-sessions/:id/candidates',
  summary: 'Register candidates in a planned session',
  tags: ['assessments'],
  access: 'session',
  action: 'chain.declare',
  params: byId,
  body: sessionCandidatesInput,
  response: assessmentSessionDetail,
});

export const setEvaluators = defineContract({
  method: 'PUT',
  path: '/api/assessment-sessions/:id/evaluators',
  summary: 'Set the evaluators of a session (users with the evaluator role)',
  tags: ['assessments'],
  access: 'session',
  action: 'chain.declare',
  params: byId,
  body: sessionEvaluatorsInput,
  response: assessmentSessionDetail,
});

export const listAssessmentResults = defineContract({
  method: 'GET',
  path: '/api/assessment-sessions/:id/results',
  summary: 'The results recorded in a session',
  tags: ['assessments'],
  access: 'session',
  action: 'chain.read',
  params: byId,
  response: assessmentResultList,
});

export const recordAssessmentResults = defineContract({
  method: 'POST',
  path: '/api/assessment-sessions/:id/results',
  summary:
    'Record results per candidate and skill block or task (an evaluator: only in its sessions; registered candidates only)',
  tags: ['assessments'],
  access: 'session',
  action: 'assessment.record',
  params: byId,
  body: assessmentResultsInput,
  response: assessmentResultList,
});
