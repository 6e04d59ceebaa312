import { z } from 'zod';
import { uuid } from '../common.schema.js';
import {
  habilitationDecisionInput,
  habilitationDetail,
  habilitationInput,
  habilitationListQuery,
  habilitationPage,
  habilitationPatch,
} from '../habilitations/habilitation.schema.js';
import { defineContract } from './contract.js';

const byId = z.object({ id: uuid });

export const listHabilitations = defineContract({
  method: 'GET',
  path: '/api/habilitations',
  summary: 'List habilitations (a partner sees only its own organisation’s)',
  tags: ['habilitations'],
  access: 'session',
  action: 'habilitation.read',
  query: habilitationListQuery,
  response: habilitationPage,
});

export const getHabilitation = defineContract({
  method: 'GET',
  path: '/api/habilitations/:id',
  summary: 'One habilitation with its decisions and the statuses it may move to',
  tags: ['habilitations'],
  access: 'session',
  action: 'habilitation.read',
  params: byId,
  response: habilitationDetail,
});

export const createHabilitation = defineContract({
  method: 'POST',
  path: '/api/habilitations',
  summary: 'Record an application for a habilitation (organisation × certification)',
  tags: ['habilitations'],
  access: 'session',
  action: 'habilitation.manage',
  body: habilitationInput,
  response: habilitationDetail,
  status: 201,
});

export const updateHabilitation = defineContract({
  method: 'PATCH',
  path: '/api/habilitations/:id',
  summary: 'Change the terms of a habilitation (scope, skill blocks, territory, period, conditions)',
  tags: ['habilitations'],
  access: 'session',
  action: 'habilitation.manage',
  params: byId,
  body: habilitationPatch,
  response: habilitationDetail,
});

export const decideHabilitation = defineContract({
  method: 'POST',
  path: '/api/habilitations/:id/decisions',
  summary: 'Decide a change of status, with its reasons (becoming active needs a signed convention)',
  tags: ['habilitations'],
  access: 'session',
  action: 'habilitation.manage',
  params: byId,
  body: habilitationDecisionInput,
  response: habilitationDetail,
  status: 201,
});
