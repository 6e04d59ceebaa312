import { z } from 'zod';
import { uuid } from '../common.schema.js';
import {
  conventionInput,
  conventionListQuery,
  conventionPage,
  conventionPatch,
  conventionSignatureInput,
  conventionTerminationInput,
  conventionView,
} from '../conventions/convention.schema.js';
import { defineContract } from './contract.js';

const byId = z.object({ id: uuid });

export const listConventions = defineContract({
  method: 'GET',
  path: '/api/conventions',
  summary: 'List partnership conventions (a partner sees only its own)',
  tags: ['conventions'],
  access: 'session',
  action: 'convention.read',
  query: conventionListQuery,
  response: conventionPage,
});

export const getConvention = defineContract({
  method: 'GET',
  path: '/api/conventions/:id',
  summary: 'One convention',
  tags: ['conventions'],
  access: 'session',
  action: 'convention.read',
  params: byId,
  response: conventionView,
});

export const createConvention = defineContract({
  method: 'POST',
  path: '/api/conventions',
  summary: 'Create a draft convention with a partner organisation',
  tags: ['conventions'],
  access: 'session',
  action: 'convention.manage',
  body: conventionInput,
  response: conventionView,
  status: 201,
});

export const updateConvention = defineContract({
  method: 'PATCH',
  path: '/api/conventions/:id',
  summary: 'Change the terms of a convention not yet signed (each change is a new version)',
  tags: ['conventions'],
  access: 'session',
  action: 'convention.manage',
  params: byId,
  body: conventionPatch,
  response: conventionView,
});

export const signConvention = defineContract({
  method: 'POST',
  path: '/api/conventions/:id/signature',
  summary: 'Record the signature of a convention',
  tags: ['conventions'],
  access: 'session',
  action: 'convention.manage',
  params: byId,
  body: conventionSignatureInput,
  response: conventionView,
});

export const terminateConvention = defineContract({
  method: 'POST',
  path: '/api/conventions/:id/termination',
  summary: 'Terminate a convention from a given day, with the reasons',
  tags: ['conventions'],
  access: 'session',
  action: 'convention.manage',
  params: byId,
  body: conventionTerminationInput,
  response: conventionView,
});
