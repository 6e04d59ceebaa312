import { z } from 'zod';
import { uuid } from '../common.schema.js';
import {
  contactInput,
  contactView,
  organisationDirectory,
  siteInput,
  siteView,
} from '../organisations/directory.schema.js';
import { defineContract } from './contract.js';

const byOrganisation = z.object({ id: uuid });

export const getOrganisationDirectory = defineContract({
  method: 'GET',
  path: '/api/organisations/:id/directory',
  summary: 'The contacts and sites of an organisation',
  tags: ['organisations'],
  access: 'session',
  action: 'organisation.read',
  params: byOrganisation,
  response: organisationDirectory,
});

export const addOrganisationContact = defineContract({
  method: 'POST',
  path: '/api/organisations/:id/contacts',
  summary: 'Add a contact person to an organisation',
  tags: ['organisations'],
  access: 'session',
  action: 'organisation.update',
  params: byOrganisation,
  body: contactInput,
  response: contactView,
  status: 201,
});

export const removeOrganisationContact = defineContract({
  method: 'DELETE',
  path: '/api/organisations/:id/contacts/:contactId',
  summary: 'Remove a contact person (the audit log keeps what it was)',
  tags: ['organisations'],
  access: 'session',
  action: 'organisation.update',
  params: z.object({ id: uuid, contactId: uuid }),
  response: z.null(),
  status: 204,
});

export const addOrganisationSite = defineContract({
  method: 'POST',
  path: '/api/organisations/:id/sites',
  summary: 'Add a training or exam site to an organisation',
  tags: ['organisations'],
  access: 'session',
  action: 'organisation.update',
  params: byOrganisation,
  body: siteInput,
  response: siteView,
  status: 201,
});

export const removeOrganisationSite = defineContract({
  method: 'DELETE',
  path: '/api/organisations/:id/sites/:siteId',
  summary: 'Remove a site (the audit log keeps what it was)',
  tags: ['organisations'],
  access: 'session',
  action: 'organisation.update',
  params: z.object({ id: uuid, siteId: uuid }),
  response: z.null(),
  status: 204,
});
