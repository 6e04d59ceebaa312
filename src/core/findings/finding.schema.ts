import { z } from 'zod';
import { isoDate, page, pageQuery, text, uuid } from '../common.schema.js';
import { ruleId } from '../controls/control.schema.js';
import { correctiveActionStatuses, findingStatuses } from './finding-status.js';

export const severities = ['minor', 'major', 'critical'] as const;
export type Severity = (typeof severities)[number];

/** What produced the finding (rule inputs, checkpoint, document excerpt): free JSON, 64 KiB at most. */
const source = z
  .record(z.string(), z.unknown())
  .refine((v) => JSON.stringify(v).length <= 65_536, 'at most 64 KiB of JSON');

export const findingInput = z.strictObject({
  controlId: uuid.optional().nullable(),
  ruleId: ruleId.optional().nullable(),
  /** What the rule found it about (`organisation:<id>`), so a re-run updates rather than duplicates. */
  subjectKey: text(300).optional().nullable(),
  organisationId: uuid.optional().nullable(),
  certificationId: uuid.optional().nullable(),
  title: text(300),
  description: text(10_000).optional().nullable(),
  severity: z.enum(severities),
  source: source.default({}),
});
export type FindingInput = z.output<typeof findingInput>;

export const findingPatch = z
  .strictObject({ title: text(300), description: text(10_000).nullable(), severity: z.enum(severities) })
  .partial();
export type FindingPatch = z.output<typeof findingPatch>;

export const findingTransitionInput = z.strictObject({
  to: z.enum(findingStatuses),
  /** Why (kept in the audit log). */
  note: text(2000).optional(),
});

export const correctiveActionInput = z.strictObject({
  description: text(5000),
  ownerName: text(200).optional().nullable(),
  dueOn: isoDate,
});
export type CorrectiveActionInput = z.output<typeof correctiveActionInput>;

export const correctiveActionReview = z.strictObject({
  status: z.enum(correctiveActionStatuses).exclude(['proposed']),
  note: text(2000).optional(),
});

/** The certifier's qualification: severity and root cause (the 5 whys, Ishikawa… in a few lines). */
export const findingQualifyInput = z.strictObject({
  severity: z.enum(severities),
  rootCause: text(5000),
  note: text(2000).optional(),
});

/** The request to the partner: what is expected, by when. */
export const findingRequestInput = z.strictObject({
  dueOn: isoDate,
  message: text(5000),
});

/** The partner reports its corrective action carried out (its evidence is uploaded and linked to the action). */
export const correctiveActionCompleteInput = z.strictObject({ note: text(5000) });

/**
 * The certifier's effectiveness check of a completed action: effective (the action is verified, and so is
 * the finding), or not (the action is rejected and a new action is requested by `newDueOn`).
 */
export const effectivenessInput = z
  .strictObject({
    effective: z.boolean(),
    note: text(5000),
    newDueOn: isoDate.optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.effective && !v.newDueOn)
      ctx.addIssue({
        code: 'custom',
        path: ['newDueOn'],
        message: 'required when the action is not effective',
      });
  });

export const correctiveActionView = z.object({
  id: uuid,
  findingId: uuid,
  description: z.string(),
  ownerName: z.string().nullable(),
  dueOn: z.string(),
  status: z.enum(correctiveActionStatuses),
  submittedAt: z.iso.datetime().nullable(),
  verifiedAt: z.iso.datetime().nullable(),
  verifiedBy: uuid.nullable(),
  completionNote: z.string().nullable(),
  effectiveness: z.enum(['effective', 'ineffective']).nullable(),
  effectivenessNote: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type CorrectiveActionView = z.infer<typeof correctiveActionView>;

export const findingView = z.object({
  id: uuid,
  controlId: uuid.nullable(),
  ruleId: z.string().nullable(),
  subjectKey: z.string().nullable(),
  organisationId: uuid.nullable(),
  certificationId: uuid.nullable(),
  title: z.string(),
  description: z.string().nullable(),
  severity: z.enum(severities),
  status: z.enum(findingStatuses),
  source: z.record(z.string(), z.unknown()),
  openedAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  organisationName: z.string().nullable(),
  rootCause: z.string().nullable(),
  actionDueOn: z.string().nullable(),
  actionRequest: z.string().nullable(),
  qualifiedAt: z.iso.datetime().nullable(),
  escalatedAt: z.iso.datetime().nullable(),
});
export type FindingView = z.infer<typeof findingView>;

export const findingReminderView = z.object({
  kind: z.enum(['reminder', 'escalation']),
  dueOn: z.string(),
  daysLate: z.number().int(),
  channel: z.enum(['mail', 'recorded']),
  recipients: z.string(),
  sentOn: z.string(),
});
export type FindingReminderView = z.infer<typeof findingReminderView>;

/** One step of the finding's life, from the audit log (who did what, when). */
export const findingTimelineEntry = z.object({
  at: z.iso.datetime(),
  action: z.string(),
  actorLabel: z.string(),
  status: z.string().nullable(),
  note: z.string().nullable(),
});

export const findingDetail = findingView.extend({
  correctiveActions: z.array(correctiveActionView),
  reminders: z.array(findingReminderView),
  timeline: z.array(findingTimelineEntry),
  /** The checkpoint of an audit that raised the finding, if one did. */
  checkpoint: z
    .object({ controlId: uuid, code: z.string(), question: z.string(), requirementRef: z.string() })
    .nullable(),
});
export type FindingDetail = z.infer<typeof findingDetail>;

export const findingListQuery = pageQuery.extend({
  organisationId: uuid.optional(),
  controlId: uuid.optional(),
  status: z.enum(findingStatuses).optional(),
  severity: z.enum(severities).optional(),
  /** Only findings still alive (not closed). */
  live: z.enum(['true', 'false']).optional(),
});

/** What a reminders run did (`npx habilis findings remind`, or the nightly scheduler). */
export const reminderRunSummary = z.object({
  asOf: z.string(),
  reminded: z.number().int(),
  escalated: z.number().int(),
  items: z.array(
    z.object({
      findingId: uuid,
      organisationId: uuid.nullable(),
      kind: z.enum(['reminder', 'escalation']),
      daysLate: z.number().int(),
      channel: z.enum(['mail', 'recorded']),
    }),
  ),
});
export type ReminderRunSummary = z.infer<typeof reminderRunSummary>;
export type FindingListQuery = z.output<typeof findingListQuery>;

export const findingPage = page(findingView);
export type FindingPage = z.infer<typeof findingPage>;
