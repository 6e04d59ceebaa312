import { expiryAlertList, expiryAlertQuery } from '../alerts/alert.schema.js';
import { defineContract } from './contract.js';

export const listExpiryAlerts = defineContract({
  method: 'GET',
  path: '/api/alerts/expiries',
  summary:
    'Signed conventions and granted habilitations ending within 90, 30 or 7 days, with their renewal if recorded (a partner sees its own)',
  tags: ['alerts'],
  access: 'session',
  action: 'habilitation.read',
  query: expiryAlertQuery,
  response: expiryAlertList,
});
