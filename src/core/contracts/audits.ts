import { z } from 'zod';
import { uuid } from '../common.schema.js';
import {
  auditKinds,
  auditSheetView,
  checklistTemplateInput,
  checklistTemplateList,
  checklistTemplateView,
  checkpointResultInput,
} from '../controls/checklist.schema.js';
import { qualityOverview } from '../quality/overview.schema.js';
import { defineContract } from './contract.js';

// Planned controls as auditors perform them (checklists and audit sheets), and the network dashboard.

export const listChecklistTemplates = defineContract({
  method: 'GET',
  path: '/api/checklist-templates',
  summary: 'Audit checklists, each checkpoint with the requirement it checks',
  tags: ['controls'],
  access: 'session',
  action: 'control.read',
  query: z.object({ kind: z.enum(auditKinds).optional() }),
  response: checklistTemplateList,
});

export const createChecklistTemplate = defineContract({
  method: 'POST',
  path: '/api/checklist-templates',
  summary: 'Add a checklist of the certifier’s own',
  tags: ['controls'],
  access: 'session',
  action: 'control.manage',
  body: checklistTemplateInput,
  response: checklistTemplateView,
  status: 201,
});

export const getAuditSheet = defineContract({
  method: 'GET',
  path: '/api/controls/:id/sheet',
  summary: 'An audit’s sheet: its checklist, each checkpoint with its result so far',
  tags: ['controls'],
  access: 'session',
  action: 'control.read',
  params: z.object({ id: uuid }),
  response: auditSheetView,
});

export const recordCheckpointResult = defineContract({
  method: 'PUT',
  path: '/api/controls/:id/checkpoints/:checkpointId',
  summary: 'Record the result of one checkpoint (a minor or major result raises a finding)',
  tags: ['controls'],
  access: 'session',
  action: 'control.manage',
  params: z.object({ id: uuid, checkpointId: uuid }),
  body: checkpointResultInput,
  response: auditSheetView,
});

export const getQualityOverview = defineContract({
  method: 'GET',
  path: '/api/quality/overview',
  summary: 'Network dashboard: live findings by severity and age, audit plan progress, success-rate funnel',
  tags: ['controls'],
  access: 'session',
  action: 'control.read',
  response: qualityOverview,
});
