import { z } from 'zod';
import { uuid } from '../common.schema.js';
import {
  deliberationInput,
  deliberationView,
  juryCandidateList,
  juryDetail,
  juryInput,
  juryListQuery,
  juryMembersInput,
  juryPage,
  juryPatch,
} from '../juries/jury.schema.js';
import { defineContract } from './contract.js';

const byId = z.object({ id: uuid });

export const listJuries = defineContract({
  method: 'GET',
  path: '/api/juries',
  summary: 'List juries',
  tags: ['juries'],
  access: 'session',
  action: 'jury.read',
  query: juryListQuery,
  response: juryPage,
});

export const getJury = defineContract({
  method: 'GET',
  path: '/api/juries/:id',
  summary: 'One jury with its members and deliberations',
  tags: ['juries'],
  access: 'session',
  action: 'jury.read',
  params: byId,
  response: juryDetail,
});

export const createJury = defineContract({
  method: 'POST',
  path: '/api/juries',
  summary: 'Convene a jury for a certification, with its members and their conflict-of-interest declarations',
  tags: ['juries'],
  access: 'session',
  action: 'jury.manage',
  body: juryInput,
  response: juryDetail,
  status: 201,
});

export const updateJury = defineContract({
  method: 'PATCH',
  path: '/api/juries/:id',
  summary: 'Change a jury’s date, place or status (signing needs a president without a conflict of interest)',
  tags: ['juries'],
  access: 'session',
  action: 'jury.manage',
  params: byId,
  body: juryPatch,
  response: juryDetail,
});

export const setJuryMembers = defineContract({
  method: 'PUT',
  path: '/api/juries/:id/members',
  summary: 'Set the members of a jury not yet signed',
  tags: ['juries'],
  access: 'session',
  action: 'jury.manage',
  params: byId,
  body: juryMembersInput,
  response: juryDetail,
});

export const deliberate = defineContract({
  method: 'POST',
  path: '/api/juries/:id/deliberations',
  summary: 'Record the jury’s decision on a candidate',
  tags: ['juries'],
  access: 'session',
  action: 'jury.manage',
  params: byId,
  body: deliberationInput,
  response: deliberationView,
  status: 201,
});

/** The signed minutes as stored at signing; before signing, a draft marked « PROJET ». */
export const downloadJuryMinutes = defineContract({
  method: 'GET',
  path: '/api/juries/:id/minutes',
  summary: 'The jury’s minutes (PV) as a PDF: the stored signed copy, or a draft before signing',
  tags: ['juries'],
  access: 'session',
  action: 'jury.read',
  params: byId,
  response: z.unknown().describe('the PDF'),
});

export const listJuryCandidates = defineContract({
  method: 'GET',
  path: '/api/juries/:id/candidates',
  summary:
    'The candidates before a jury: assessed in its certification’s held sessions (results per block or task), with its decision and the certificate issued',
  tags: ['juries'],
  access: 'session',
  action: 'jury.read',
  params: byId,
  response: juryCandidateList,
});
