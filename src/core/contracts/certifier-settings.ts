import { certifierSettingsInput, certifierSettingsView } from '../certifier/settings.schema.js';
import { defineContract } from './contract.js';

/** The certifier's chain settings: CDC identifiers for the accrochage, the assessment-after-training rule. */
export const getCertifierSettings = defineContract({
  method: 'GET',
  path: '/api/settings/certifier',
  summary: 'The certifier’s settings: CDC identifiers for the accrochage, chain rules',
  tags: ['settings'],
  access: 'session',
  action: 'certifier.read',
  response: certifierSettingsView,
});

export const updateCertifierSettings = defineContract({
  method: 'PATCH',
  path: '/api/settings/certifier',
  summary: 'Change the certifier’s settings (administrators); recorded in the audit log',
  tags: ['settings'],
  access: 'session',
  action: 'certifier.manage',
  body: certifierSettingsInput,
  response: certifierSettingsView,
});
