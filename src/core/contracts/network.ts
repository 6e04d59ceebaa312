import { z } from 'zod';
import { uuid } from '../common.schema.js';
import {
  networkExportQuery,
  networkListQuery,
  networkPage,
  timelinePage,
  timelineQuery,
} from '../network/network.schema.js';
import { defineContract } from './contract.js';

export const listNetwork = defineContract({
  method: 'GET',
  path: '/api/network',
  summary:
    'The network list: organisations filtered by certification, habilitation status, region, Qualiopi and risk, sorted and paged (a partner sees only its own)',
  tags: ['network'],
  access: 'session',
  action: 'organisation.read',
  query: networkListQuery,
  response: networkPage,
});

export const exportNetwork = defineContract({
  method: 'GET',
  path: '/api/network/export',
  summary: 'Download the network list, with the same filters and sort, as CSV or XLSX (format=csv|xlsx)',
  tags: ['network'],
  access: 'session',
  action: 'organisation.read',
  query: networkExportQuery,
  response: z
    .unknown()
    .describe('the file: text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
});

export const getPartnerTimeline = defineContract({
  method: 'GET',
  path: '/api/organisations/:id/timeline',
  summary:
    'Everything that happened to a partner, newest first: decisions, conventions, findings, sanctions, evidence, imports and audit-log entries',
  tags: ['network'],
  access: 'session',
  action: 'organisation.read',
  params: z.object({ id: uuid }),
  query: timelineQuery,
  response: timelinePage,
});
