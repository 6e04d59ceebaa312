import { z } from 'zod';
import {
  enrolmentInput,
  trainingSessionDetail,
  trainingSessionInput,
  trainingSessionListQuery,
  trainingSessionPage,
  trainingSessionPatch,
} from '../chain/training-session.schema.js';
import { uuid } from '../common.schema.js';
import { defineContract } from './contract.js';

const byId = z.object({ id: uuid });

export const listTrainingSessions = defineContract({
  method: 'GET',
  path: '/api/training-sessions',
  summary: 'List training sessions (a partner sees only its own)',
  tags: ['training-sessions'],
  access: 'session',
  action: 'chain.read',
  query: trainingSessionListQuery,
  response: trainingSessionPage,
});

export const getTrainingSession = defineContract({
  method: 'GET',
  path: '/api/training-sessions/:id',
  summary: 'One training session with its skill blocks and enrolments',
  tags: ['training-sessions'],
  access: 'session',
  action: 'chain.read',
  params: byId,
  response: trainingSessionDetail,
});

export const createTrainingSession = defineContract({
  method: 'POST',
  path: '/api/training-sessions',
  summary:
    'Declare a training session; refused (409) unless a habilitation covers training, its dates and its skill blocks',
  tags: ['training-sessions'],
  access: 'session',
  action: 'chain.declare',
  body: trainingSessionInput,
  response: trainingSessionDetail,
  status: 201,
});

export const updateTrainingSession = defineContract({
  method: 'PATCH',
  path: '/api/training-sessions/:id',
  summary: 'Change a training session (new dates or blocks are checked against the habilitation again)',
  tags: ['training-sessions'],
  access: 'session',
  action: 'chain.declare',
  params: byId,
  body: trainingSessionPatch,
  response: trainingSessionDetail,
});

export const enrolCandidates = defineContract({
  method: 'POST',
  path: '/api/training-sessions/:id/enrolments',
  summary: 'Enrol candidates of the organisation in the session',
  tags: ['training-sessions'],
  access: 'session',
  action: 'chain.declare',
  params: byId,
  body: enrolmentInput,
  response: trainingSessionDetail,
});

export const unenrolCandidate = defineContract({
  method: 'DELETE',
  path: '/api/training-sessions/:id/enrolments/:candidateId',
  summary: 'Remove a candidate from the session',
  tags: ['training-sessions'],
  access: 'session',
  action: 'chain.declare',
  params: z.object({ id: uuid, candidateId: uuid }),
  response: trainingSessionDetail,
});
