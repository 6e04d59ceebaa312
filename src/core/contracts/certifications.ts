import { z } from 'zod';
import {
  certificationDetail,
  certificationInput,
  certificationListQuery,
  certificationPage,
  certificationPatch,
  skillBlockInput,
  skillBlockPatch,
  skillBlockView,
} from '../certifications/certification.schema.js';
import { uuid } from '../common.schema.js';
import { defineContract } from './contract.js';

const byId = z.object({ id: uuid });

export const listCertifications = defineContract({
  method: 'GET',
  path: '/api/certifications',
  summary: 'List certifications (RNCP and RS fiches), searched by code or title',
  tags: ['certifications'],
  access: 'session',
  action: 'certification.read',
  query: certificationListQuery,
  response: certificationPage,
});

export const getCertification = defineContract({
  method: 'GET',
  path: '/api/certifications/:id',
  summary: 'One certification with its skill blocks',
  tags: ['certifications'],
  access: 'session',
  action: 'certification.read',
  params: byId,
  response: certificationDetail,
});

export const createCertification = defineContract({
  method: 'POST',
  path: '/api/certifications',
  summary: 'Create a certification with its skill blocks (each block code starts with the fiche code)',
  tags: ['certifications'],
  access: 'session',
  action: 'certification.manage',
  body: certificationInput,
  response: certificationDetail,
  status: 201,
});

export const updateCertification = defineContract({
  method: 'PATCH',
  path: '/api/certifications/:id',
  summary: 'Change a certification (its code stays)',
  tags: ['certifications'],
  access: 'session',
  action: 'certification.manage',
  params: byId,
  body: certificationPatch,
  response: certificationDetail,
});

export const addSkillBlock = defineContract({
  method: 'POST',
  path: '/api/certifications/:id/skill-blocks',
  summary: 'Add a skill block to a certification',
  tags: ['certifications'],
  access: 'session',
  action: 'certification.manage',
  params: byId,
  body: skillBlockInput,
  response: skillBlockView,
  status: 201,
});

export const updateSkillBlock = defineContract({
  method: 'PATCH',
  path: '/api/certifications/:id/skill-blocks/:skillBlockId',
  summary: 'Change a skill block (its code stays)',
  tags: ['certifications'],
  access: 'session',
  action: 'certification.manage',
  params: z.object({ id: uuid, skillBlockId: uuid }),
  body: skillBlockPatch,
  response: skillBlockView,
});
