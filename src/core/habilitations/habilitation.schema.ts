import { z } from 'zod';
import { isoDate, page, pageQuery, text, uuid } from '../common.schema.js';
import { habilitationScopes, habilitationShapeIssues } from './habilitation.js';
import { habilitationStatuses } from './lifecycle.js';

/** Free-form conditions of a habilitation (maximum candidates, sites, obligations…), kept as JSON. */
export const habilitationConditions = z.record(z.string().max(100), z.unknown());

const reasons = text(5000);

const habilitationFields = {
  scope: z.enum(habilitationScopes),
  /** true: every skill block of the certification, now and to come; false: only `skillBlockIds`. */
  coversAllSkillBlocks: z.boolean(),
  skillBlockIds: z.array(uuid).max(100),
  /** Where the partner may operate, as the certifier words it (region, départements, sites). */
  territory: text(300).optional().nullable(),
  startsOn: isoDate,
  endsOn: isoDate.optional().nullable(),
  conditions: habilitationConditions,
};

/** What certifier staff give to record an application for a habilitation. */
export const habilitationInput = z
  .strictObject({
    organisationId: uuid,
    certificationId: uuid,
    ...habilitationFields,
    coversAllSkillBlocks: z.boolean().default(true),
    skillBlockIds: z.array(uuid).max(100).default([]),
    conditions: habilitationConditions.default({}),
    /** Why the application is recorded (kept as the first decision); a default text when absent. */
    reasons: reasons.optional(),
  })
  .superRefine((h, ctx) => {
    for (const issue of habilitationShapeIssues({ ...h, endsOn: h.endsOn ?? null }))
      ctx.addIssue({
        code: 'custom',
        path: issue.field.split('/').map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
        message: issue.message,
      });
  });
export type HabilitationInput = z.input<typeof habilitationInput>;
export type HabilitationData = z.output<typeof habilitationInput>;

/**
 * A change to a habilitation's terms (not its status: that is a decision). No defaults: an absent field
 * stays as it is; the merged result is checked like a new one.
 */
export const habilitationPatch = z.strictObject(habilitationFields).partial();
export type HabilitationPatch = z.output<typeof habilitationPatch>;

/** A decision: the status the habilitation moves to, and why (required, kept in the history). */
export const habilitationDecisionInput = z.strictObject({
  toStatus: z.enum(habilitationStatuses),
  reasons,
});
export type HabilitationDecisionInput = z.input<typeof habilitationDecisionInput>;

export const habilitationSkillBlockView = z.object({ id: uuid, code: z.string(), title: z.string() });

export const habilitationView = z.object({
  id: uuid,
  organisationId: uuid,
  organisationName: z.string(),
  certificationId: uuid,
  certificationCode: z.string(),
  certificationTitle: z.string(),
  scope: z.enum(habilitationScopes),
  coversAllSkillBlocks: z.boolean(),
  /** The skill blocks named when `coversAllSkillBlocks` is false; empty otherwise. */
  skillBlocks: z.array(habilitationSkillBlockView),
  territory: z.string().nullable(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  status: z.enum(habilitationStatuses),
  conditions: habilitationConditions,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type HabilitationView = z.infer<typeof habilitationView>;

export const habilitationDecisionView = z.object({
  id: uuid,
  habilitationId: uuid,
  fromStatus: z.enum(habilitationStatuses).nullable(),
  toStatus: z.enum(habilitationStatuses),
  reasons: z.string(),
  decidedBy: uuid.nullable(),
  decidedByName: z.string().nullable(),
  decidedAt: z.iso.datetime(),
});
export type HabilitationDecisionView = z.infer<typeof habilitationDecisionView>;

/** One habilitation with its decisions (oldest first) and the statuses it may move to next. */
export const habilitationDetail = habilitationView.extend({
  decisions: z.array(habilitationDecisionView),
  allowedTransitions: z.array(z.enum(habilitationStatuses)),
});
export type HabilitationDetail = z.infer<typeof habilitationDetail>;

export const habilitationSortKeys = ['organisation', 'certification', 'startsOn', 'createdAt'] as const;

export const habilitationListQuery = pageQuery.extend({
  organisationId: uuid.optional(),
  certificationId: uuid.optional(),
  status: z.enum(habilitationStatuses).optional(),
  scope: z.enum(habilitationScopes).optional(),
  /** Only habilitations in force that day: active or under watch, and the day within their period. */
  effectiveOn: isoDate.optional(),
  sort: z.enum(habilitationSortKeys).default('organisation'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type HabilitationListQuery = z.output<typeof habilitationListQuery>;

export const habilitationPage = page(habilitationView);
export type HabilitationPage = z.infer<typeof habilitationPage>;
