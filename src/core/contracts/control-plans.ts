import { z } from 'zod';
import { isoDate, uuid } from '../common.schema.js';
import { controlKinds } from '../controls/control.schema.js';
import { planDepths } from '../controls/plan.js';
import { riskLevels } from '../risk/risk-score.js';
import { defineContract } from './contract.js';

// The plan de contrôle of a year (src/core/controls/plan.ts): proposed from the risk scores, adjusted while
// a draft, committed into planned controls. Reading needs control.read, every change control.manage.

const auditKinds = controlKinds.filter((k) => k !== 'rule') as [
  Exclude<(typeof controlKinds)[number], 'rule'>,
  ...Exclude<(typeof controlKinds)[number], 'rule'>[],
];
export const auditKind = z.enum(auditKinds);
export const planStatuses = ['draft', 'committed'] as const;

const year = z.coerce.number().int().min(2000).max(2100);

export const controlPlanSummary = z.object({
  id: uuid,
  year: z.number().int(),
  status: z.enum(planStatuses),
  proposedOn: z.string(),
  committedAt: z.iso.datetime().nullable(),
  committedBy: uuid.nullable(),
  /** Entries kept (not removed), by kind and by risk level; partners covered. */
  entries: z.number().int(),
  removed: z.number().int(),
  partners: z.number().int(),
  byKind: z.record(z.string(), z.number().int()),
  byLevel: z.record(z.string(), z.number().int()),
  /** Planned controls created by the commit that are done (plan progress). */
  done: z.number().int(),
});
export type ControlPlanSummary = z.infer<typeof controlPlanSummary>;

export const controlPlanEntryView = z.object({
  id: uuid,
  organisationId: uuid,
  legalName: z.string(),
  siret: z.string(),
  kind: auditKind,
  depth: z.enum(planDepths),
  plannedOn: z.string(),
  origin: z.enum(['proposed', 'added']),
  removed: z.boolean(),
  riskScore: z.number().nullable(),
  riskLevel: z.enum(riskLevels).nullable(),
  reason: z.string(),
  note: z.string().nullable(),
  /** The planned control created by the commit; its status once committed. */
  controlId: uuid.nullable(),
  controlStatus: z.string().nullable(),
});
export type ControlPlanEntryView = z.infer<typeof controlPlanEntryView>;

export const controlPlanQuery = z.object({
  kind: auditKind.optional(),
  level: z.enum(riskLevels).optional(),
  organisationId: uuid.optional(),
  /** Removed entries are listed only when asked. */
  includeRemoved: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ControlPlanQuery = z.input<typeof controlPlanQuery>;

export const controlPlanView = z.object({
  plan: controlPlanSummary,
  entries: z.object({
    items: z.array(controlPlanEntryView),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  }),
});
export type ControlPlanView = z.infer<typeof controlPlanView>;

export const proposePlanInput = z.strictObject({
  year,
  /** Replace the year's draft (its adjustments are lost); a committed plan is never replaced. */
  replace: z.boolean().optional(),
});
export type ProposePlanInput = z.input<typeof proposePlanInput>;

export const planEntryPatch = z
  .strictObject({
    kind: auditKind,
    depth: z.enum(planDepths),
    plannedOn: isoDate,
    removed: z.boolean(),
    note: z.string().trim().min(1).max(1000).nullable(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');
export type PlanEntryPatch = z.input<typeof planEntryPatch>;

export const planEntryInput = z.strictObject({
  organisationId: uuid,
  kind: auditKind,
  depth: z.enum(planDepths),
  plannedOn: isoDate,
  note: z.string().trim().min(1).max(1000).optional(),
});
export type PlanEntryInput = z.input<typeof planEntryInput>;

const byId = z.object({ id: uuid });
const byEntry = z.object({ id: uuid, entryId: uuid });

export const listControlPlans = defineContract({
  method: 'GET',
  path: '/api/control-plans',
  summary: 'The plans de contrôle, latest year first, with their counts and progress',
  tags: ['controls'],
  access: 'session',
  action: 'control.read',
  response: z.object({ items: z.array(controlPlanSummary) }),
});

export const proposeControlPlan = defineContract({
  method: 'POST',
  path: '/api/control-plans',
  summary: 'Propose the plan of a year from the risk scores (a draft to adjust, then commit)',
  tags: ['controls'],
  access: 'session',
  action: 'control.manage',
  body: proposePlanInput,
  response: controlPlanSummary,
  status: 201,
});

export const getControlPlan = defineContract({
  method: 'GET',
  path: '/api/control-plans/:id',
  summary: 'One plan and a page of its entries',
  tags: ['controls'],
  access: 'session',
  action: 'control.read',
  params: byId,
  query: controlPlanQuery,
  response: controlPlanView,
});

export const adjustControlPlanEntry = defineContract({
  method: 'PATCH',
  path: '/api/control-plans/:id/entries/:entryId',
  summary: 'Adjust an entry of a draft plan: kind, depth, date, note, or remove it',
  tags: ['controls'],
  access: 'session',
  action: 'control.manage',
  params: byEntry,
  body: planEntryPatch,
  response: controlPlanEntryView,
});

export const addControlPlanEntry = defineContract({
  method: 'POST',
  path: '/api/control-plans/:id/entries',
  summary: 'Add an audit to a draft plan',
  tags: ['controls'],
  access: 'session',
  action: 'control.manage',
  params: byId,
  body: planEntryInput,
  response: controlPlanEntryView,
  status: 201,
});

export const commitControlPlan = defineContract({
  method: 'POST',
  path: '/api/control-plans/:id/commit',
  summary: 'Commit a draft plan: each kept entry becomes a planned control',
  tags: ['controls'],
  access: 'session',
  action: 'control.manage',
  params: byId,
  response: controlPlanSummary,
});
