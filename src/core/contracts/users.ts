import { z } from 'zod';
import { uuid } from '../common.schema.js';
import { userInput, userListQuery, userPage, userPatch, userView } from '../users/user.schema.js';
import { defineContract } from './contract.js';

export const listUsers = defineContract({
  method: 'GET',
  path: '/api/users',
  summary: 'List user accounts',
  tags: ['users'],
  access: 'session',
  action: 'user.read',
  query: userListQuery,
  response: userPage,
});

export const createUser = defineContract({
  method: 'POST',
  path: '/api/users',
  summary: 'Create a user account; without a password, returns a one-time setup link',
  tags: ['users'],
  access: 'session',
  action: 'user.manage',
  body: userInput,
  response: z.object({ user: userView, setupLink: z.string().nullable() }),
  status: 201,
});

export const updateUser = defineContract({
  method: 'PATCH',
  path: '/api/users/:id',
  summary: 'Change a user account (name, role, locale, active); unlocks it when re-activated',
  tags: ['users'],
  access: 'session',
  action: 'user.manage',
  params: z.object({ id: uuid }),
  body: userPatch,
  response: userView,
});
