import { z } from 'zod';
import { isoDate, page, pageQuery, text, uuid } from '../common.schema.js';
import { habilitationScopes, habilitationShapeIssues } from './habilitation.js';
import { habilitationStatuses } from './lifecycle.js';

/** The conditions the certifier sets on a habilitation that Habilis understands (and the rules check). */
const knownConditions = {
  /** Minimum length of the training, in hours. */
  minimumHours: z.number().positive('must be more than 0 hours').max(10_000),
  /** Largest group of candidates per training or exam session. */
  maxGroupSize: z.number().int('a whole number of people').min(1).max(1000),
  /** Minimum share of the training held in person, 0…1 (0.5 = half). */
  inPersonShare: z.number().min(0, 'between 0 and 1').max(1, 'between 0 and 1 (0.5 = half)'),
  notes: z.string().max(5000),
} as const;

/**
 * Conditions of a habilitation, kept as JSON: the known ones (minimum hours, group size cap, in-person
 * share, notes) are checked; others the certifier words itself (sites, obligations…) are kept as given.
 */
export const habilitationConditions = z
  .record(z.string().max(100), z.unknown())
  .superRefine((conditions, ctx) => {
    for (const [key, schema] of Object.entries(knownConditions)) {
      const value = conditions[key];
      if (value === undefined || value === null) continue;
      const parsed = schema.safeParse(value);
      if (!parsed.success)
        for (const issue of parsed.error.issues)
          ctx.addIssue({ code: 'custom', path: [key], message: issue.message });
    }
  });

const reasons = text(5000);

const habilitationFields = {
  scope: z.enum(habilitationScopes),
  /** true: every skill block of the certification, now and to come; false: only `skillBlockIds`. */
  coversAllSkillBlocks: z.boolean(),
  skillBlockIds: z.array(uuid).max(100),
  /** Where the partner may operate, as the certifier words it (region, départements, sites). */
  territory: text(300).optional().nullable(),
  /** The sites of the organisation (its training and exam sites) where the habilitation applies. */
  siteIds: z
    .array(uuid)
    .max(100)
    .refine((ids) => new Set(ids).size === ids.length, 'a site is named twice'),
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
    siteIds: habilitationFields.siteIds.default([]),
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
export const habilitationDecisionInput = z
  .strictObject({
    toStatus: z.enum(habilitationStatuses),
    reasons,
    /** Evidence files the decision rests on (the partner's, or the certifier's own: minutes, reports). */
    evidenceIds: z.array(uuid).max(50).default([]),
    /** The partner's findings that motivate it (a suspension after a critical finding…). */
    findingIds: z.array(uuid).max(50).default([]),
  })
  .superRefine((d, ctx) => {
    for (const field of ['evidenceIds', 'findingIds'] as const)
      if (new Set(d[field]).size !== d[field].length)
        ctx.addIssue({ code: 'custom', path: [field], message: 'the same one twice' });
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
  /** The evidence and findings linked to the decision when it was taken. */
  evidence: z.array(z.object({ id: uuid, fileName: z.string() })),
  findings: z.array(z.object({ id: uuid, title: z.string(), severity: z.string() })),
});
export type HabilitationDecisionView = z.infer<typeof habilitationDecisionView>;

/** A site of the organisation where the habilitation applies. */
export const habilitationSiteView = z.object({
  id: uuid,
  label: z.string(),
  addressLine: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
});
export type HabilitationSiteView = z.infer<typeof habilitationSiteView>;

/** One habilitation with its sites, its decisions (oldest first) and the statuses it may move to next. */
export const habilitationDetail = habilitationView.extend({
  sites: z.array(habilitationSiteView),
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
