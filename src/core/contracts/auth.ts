import { z } from 'zod';
import { loginInput, passwordChangeInput, sessionView, setupInput } from '../users/user.schema.js';
import { defineContract } from './contract.js';

export const login = defineContract({
  method: 'POST',
  path: '/api/auth/login',
  summary: 'Sign in; sets the session cookie',
  tags: ['auth'],
  access: 'public',
  body: loginInput,
  response: sessionView,
});

export const logout = defineContract({
  method: 'POST',
  path: '/api/auth/logout',
  summary: 'Sign out; ends the server-side session',
  tags: ['auth'],
  access: 'session',
  response: z.null(),
  status: 204,
});

export const currentSession = defineContract({
  method: 'GET',
  path: '/api/auth/session',
  summary: 'The signed-in user, its permissions and the CSRF token',
  tags: ['auth'],
  access: 'session',
  response: sessionView,
});

export const completeSetup = defineContract({
  method: 'POST',
  path: '/api/auth/setup',
  summary: 'Create the first admin account from the one-time setup link',
  tags: ['auth'],
  access: 'public',
  body: setupInput,
  response: sessionView,
  status: 201,
});

export const changePassword = defineContract({
  method: 'POST',
  path: '/api/auth/password',
  summary: 'Change the signed-in user’s password; other sessions are ended',
  tags: ['auth'],
  access: 'session',
  body: passwordChangeInput,
  response: z.null(),
  status: 204,
});
