import { z } from 'zod';
import { isoDate, page, pageQuery, text, uuid } from '../common.schema.js';

/** `rule`: a run of an automated control; the others are audits people plan and perform. */
export const controlKinds = [
  'rule',
  'documentary',
  'on_site',
  'observation',
  'mystery_shop',
  'communication_review',
  'self_assessment',
] as const;
export type ControlKind = (typeof controlKinds)[number];

export const controlStatuses = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export type ControlStatus = (typeof controlStatuses)[number];

const controlTransitions: Record<ControlStatus, readonly ControlStatus[]> = {
  planned: ['in_progress', 'done', 'cancelled'],
  in_progress: ['done', 'cancelled'],
  done: [],
  cancelled: [],
};

/** Whether a control may go from one status to another (staying put is always allowed). */
export function canMoveControl(from: ControlStatus, to: ControlStatus): boolean {
  return from === to || controlTransitions[from].includes(to);
}

/** A rule identifier as the rule engine names its controls (`qualiopi-expired`, `cdc.accrochage-late`). */
export const ruleId = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{1,99}$/, 'a rule id is lower case letters, digits, dots, hyphens');

export const controlInput = z
  .strictObject({
    kind: z.enum(controlKinds),
    /** Required for a rule run, and only then. */
    ruleId: ruleId.optional().nullable(),
    title: text(300),
    organisationId: uuid.optional().nullable(),
    certificationId: uuid.optional().nullable(),
    plannedOn: isoDate.optional().nullable(),
    /** The checklist an audit follows (its kind must be the audit's). */
    checklistTemplateId: uuid.optional().nullable(),
  })
  .superRefine((c, ctx) => {
    if (c.kind === 'rule' && c.checklistTemplateId)
      ctx.addIssue({ code: 'custom', path: ['checklistTemplateId'], message: 'a rule run has no checklist' });
    if (c.kind === 'rule' && !c.ruleId)
      ctx.addIssue({ code: 'custom', path: ['ruleId'], message: 'a rule control names its rule' });
    if (c.kind !== 'rule' && c.ruleId)
      ctx.addIssue({ code: 'custom', path: ['ruleId'], message: 'only a rule control has a rule id' });
  });
export type ControlInput = z.output<typeof controlInput>;

export const controlPatch = z
  .strictObject({
    title: text(300),
    status: z.enum(controlStatuses),
    plannedOn: isoDate.nullable(),
    performedOn: isoDate.nullable(),
  })
  .partial();
export type ControlPatch = z.output<typeof controlPatch>;

export const controlView = z.object({
  id: uuid,
  kind: z.enum(controlKinds),
  ruleId: z.string().nullable(),
  title: z.string(),
  organisationId: uuid.nullable(),
  certificationId: uuid.nullable(),
  status: z.enum(controlStatuses),
  plannedOn: z.string().nullable(),
  performedOn: z.string().nullable(),
  performedBy: uuid.nullable(),
  checklistTemplateId: uuid.nullable(),
  findingCount: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ControlView = z.infer<typeof controlView>;

export const controlListQuery = pageQuery.extend({
  organisationId: uuid.optional(),
  kind: z.enum(controlKinds).optional(),
  status: z.enum(controlStatuses).optional(),
});
export type ControlListQuery = z.output<typeof controlListQuery>;

export const controlPage = page(controlView);
export type ControlPage = z.infer<typeof controlPage>;
