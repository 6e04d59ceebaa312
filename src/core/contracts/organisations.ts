import { z } from 'zod';
import { uuid } from '../common.schema.js';
import {
  organisationInput,
  organisationListQuery,
  organisationPage,
  organisationPatch,
  organisationView,
} from '../organisations/organisation.schema.js';
import { defineContract } from './contract.js';

const byId = z.object({ id: uuid });

export const listOrganisations = defineContract({
  method: 'GET',
  path: '/api/organisations',
  summary: 'List organisations (a partner sees only its own)',
  tags: ['organisations'],
  access: 'session',
  action: 'organisation.read',
  query: organisationListQuery,
  response: organisationPage,
  cacheable: true,
});

export const getOrganisation = defineContract({
  method: 'GET',
  path: '/api/organisations/:id',
  summary: 'One organisation',
  tags: ['organisations'],
  access: 'session',
  action: 'organisation.read',
  params: byId,
  response: organisationView,
});

export const createOrganisation = defineContract({
  method: 'POST',
  path: '/api/organisations',
  summary: 'Create an organisation (training provider), keyed by SIRET',
  tags: ['organisations'],
  access: 'session',
  action: 'organisation.create',
  body: organisationInput,
  response: organisationView,
  status: 201,
});

export const updateOrganisation = defineContract({
  method: 'PATCH',
  path: '/api/organisations/:id',
  summary: 'Change an organisation',
  tags: ['organisations'],
  access: 'session',
  action: 'organisation.update',
  params: byId,
  body: organisationPatch,
  response: organisationView,
});

export const archiveOrganisation = defineContract({
  method: 'POST',
  path: '/api/organisations/:id/archive',
  summary: 'Archive an organisation (it stays in the history and the audit log)',
  tags: ['organisations'],
  access: 'session',
  action: 'organisation.archive',
  params: byId,
  response: organisationView,
});
