import { z } from 'zod';
import {
  certificateDisclosureInput,
  certificateIssueInput,
  certificateListQuery,
  certificatePage,
  certificateRevokeInput,
  certificateVerification,
  certificateView,
  verificationCodeParam,
} from '../certificates/certificate.schema.js';
import { uuid } from '../common.schema.js';
import { defineContract } from './contract.js';

const byId = z.object({ id: uuid });

export const listCertificates = defineContract({
  method: 'GET',
  path: '/api/certificates',
  summary: 'List certificates (a partner sees its own candidates’)',
  tags: ['certificates'],
  access: 'session',
  action: 'chain.read',
  query: certificateListQuery,
  response: certificatePage,
});

export const getCertificate = defineContract({
  method: 'GET',
  path: '/api/certificates/:id',
  summary: 'One certificate',
  tags: ['certificates'],
  access: 'session',
  action: 'chain.read',
  params: byId,
  response: certificateView,
});

export const issueCertificate = defineContract({
  method: 'POST',
  path: '/api/certificates',
  summary: 'Issue a certificate from a certified (or certified by blocks) deliberation; numbered per year',
  tags: ['certificates'],
  access: 'session',
  action: 'certificate.manage',
  body: certificateIssueInput,
  response: certificateView,
  status: 201,
});

export const revokeCertificate = defineContract({
  method: 'POST',
  path: '/api/certificates/:id/revoke',
  summary: 'Revoke a certificate, with the reasons',
  tags: ['certificates'],
  access: 'session',
  action: 'certificate.manage',
  params: byId,
  body: certificateRevokeInput,
  response: certificateView,
});

export const setCertificateDisclosure = defineContract({
  method: 'PUT',
  path: '/api/certificates/:id/disclosure',
  summary:
    'What the public verification page shows of the holder: initials, or the full name with the holder’s consent',
  tags: ['certificates'],
  access: 'session',
  action: 'certificate.manage',
  params: byId,
  body: certificateDisclosureInput,
  response: certificateView,
});

export const verifyCertificate = defineContract({
  method: 'GET',
  path: '/api/certificates/verify/:code',
  summary: 'Check a certificate by the verification code printed on it (public)',
  tags: ['certificates'],
  access: 'public',
  params: verificationCodeParam,
  response: certificateVerification,
});

/** The answer is the PDF itself (`application/pdf`, as an attachment named after the number). */
export const downloadCertificatePdf = defineContract({
  method: 'GET',
  path: '/api/certificates/:id/pdf',
  summary: 'The certificate as a PDF, with its verification code and URL',
  tags: ['certificates'],
  access: 'session',
  action: 'chain.read',
  params: byId,
  response: z.unknown().describe('the PDF'),
});
