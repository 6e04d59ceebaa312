import { z } from 'zod';
import { text, uuid } from '../common.schema.js';
import type { Severity } from '../findings/finding.schema.js';
import { controlView } from './control.schema.js';

/** The audits people plan and perform (every control kind but the automated `rule`). */
export const auditKinds = [
  'documentary',
  'on_site',
  'observation',
  'mystery_shop',
  'communication_review',
  'self_assessment',
] as const;
export type AuditKind = (typeof auditKinds)[number];

/** What a checkpoint is measured against. */
export const requirementFrameworks = [
  'france_competences',
  'convention',
  'rnq',
  'referentiel',
  'law',
] as const;
export type RequirementFramework = (typeof requirementFrameworks)[number];

export const checkpointResults = ['conform', 'minor', 'major', 'not_applicable'] as const;
export type CheckpointResult = (typeof checkpointResults)[number];

/** The severity of the finding a non-conform result raises; null for conform and not applicable. */
export function findingSeverityOf(result: CheckpointResult): Severity | null {
  return result === 'minor' || result === 'major' ? result : null;
}

export const checkpointInput = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z0-9][A-Z0-9-]{0,19}$/, 'upper-case letters, digits and hyphens, 20 at most'),
  question: text(1000),
  guidance: text(2000).optional().nullable(),
  requirementFramework: z.enum(requirementFrameworks),
  requirementRef: text(200),
});

export const checklistTemplateInput = z
  .strictObject({
    code: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{1,59}$/, 'lower-case letters, digits and hyphens'),
    kind: z.enum(auditKinds),
    title: text(200),
    description: text(2000).optional().nullable(),
    checkpoints: z.array(checkpointInput).min(1).max(200),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.checkpoints.forEach((c, i) => {
      if (seen.has(c.code))
        ctx.addIssue({ code: 'custom', path: ['checkpoints', i, 'code'], message: 'appears twice' });
      seen.add(c.code);
    });
  });
export type ChecklistTemplateInput = z.output<typeof checklistTemplateInput>;

export const checkpointView = z.object({
  id: uuid,
  position: z.number().int(),
  code: z.string(),
  question: z.string(),
  guidance: z.string().nullable(),
  requirementFramework: z.enum(requirementFrameworks),
  requirementRef: z.string(),
});
export type CheckpointView = z.infer<typeof checkpointView>;

export const checklistTemplateView = z.object({
  id: uuid,
  code: z.string(),
  kind: z.enum(auditKinds),
  title: z.string(),
  description: z.string().nullable(),
  isActive: z.boolean(),
  checkpoints: z.array(checkpointView),
});
export type ChecklistTemplateView = z.infer<typeof checklistTemplateView>;

export const checklistTemplateList = z.object({ items: z.array(checklistTemplateView) });

/** One checkpoint of an audit, with its result once recorded. */
export const auditItemView = z.object({
  checkpoint: checkpointView,
  result: z.enum(checkpointResults).nullable(),
  comment: z.string().nullable(),
  findingId: uuid.nullable(),
  recordedAt: z.iso.datetime().nullable(),
});
export type AuditItemView = z.infer<typeof auditItemView>;

export const auditProgressView = z.object({
  total: z.number().int(),
  answered: z.number().int(),
  minor: z.number().int(),
  major: z.number().int(),
});
export type AuditProgressView = z.infer<typeof auditProgressView>;

/** An audit as the auditor fills it in: the control, its checklist, one item per checkpoint. */
export const auditSheetView = z.object({
  control: controlView,
  organisationName: z.string().nullable(),
  template: checklistTemplateView.omit({ checkpoints: true }).nullable(),
  items: z.array(auditItemView),
  progress: auditProgressView,
});
export type AuditSheetView = z.infer<typeof auditSheetView>;

/** What the auditor records on one checkpoint: a non-conform result needs a comment (it becomes the finding). */
export const checkpointResultInput = z
  .strictObject({
    result: z.enum(checkpointResults),
    comment: text(5000).optional().nullable(),
  })
  .superRefine((r, ctx) => {
    if (findingSeverityOf(r.result) && !r.comment)
      ctx.addIssue({
        code: 'custom',
        path: ['comment'],
        message: 'a non-conform result needs a comment (what was seen)',
      });
  });
export type CheckpointResultInput = z.output<typeof checkpointResultInput>;

/** Counts of an audit's items: how many answered, how many minor or major. */
export function auditProgress(items: readonly Pick<AuditItemView, 'result'>[]): AuditProgressView {
  return {
    total: items.length,
    answered: items.filter((i) => i.result !== null).length,
    minor: items.filter((i) => i.result === 'minor').length,
    major: items.filter((i) => i.result === 'major').length,
  };
}
