import { z } from 'zod';
import { uuid } from '../common.schema.js';
import {
  controlInput,
  controlListQuery,
  controlPage,
  controlPatch,
  controlView,
} from '../controls/control.schema.js';
import { defineContract } from './contract.js';

const byId = z.object({ id: uuid });

export const listControls = defineContract({
  method: 'GET',
  path: '/api/controls',
  summary: 'List controls (rule runs and audits)',
  tags: ['controls'],
  access: 'session',
  action: 'control.read',
  query: controlListQuery,
  response: controlPage,
});

export const getControl = defineContract({
  method: 'GET',
  path: '/api/controls/:id',
  summary: 'One control',
  tags: ['controls'],
  access: 'session',
  action: 'control.read',
  params: byId,
  response: controlView,
});

export const createControl = defineContract({
  method: 'POST',
  path: '/api/controls',
  summary: 'Plan a control (or record a rule run)',
  tags: ['controls'],
  access: 'session',
  action: 'control.manage',
  body: controlInput,
  response: controlView,
  status: 201,
});

export const updateControl = defineContract({
  method: 'PATCH',
  path: '/api/controls/:id',
  summary: 'Change a control; marking it done records who performed it',
  tags: ['controls'],
  access: 'session',
  action: 'control.manage',
  params: byId,
  body: controlPatch,
  response: controlView,
});
