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
});
export type FindingView = z.infer<typeof findingView>;

export const findingDetail = findingView.extend({ correctiveActions: z.array(correctiveActionView) });
export type FindingDetail = z.infer<typeof findingDetail>;

export const findingListQuery = pageQuery.extend({
  organisationId: uuid.optional(),
  controlId: uuid.optional(),
  status: z.enum(findingStatuses).optional(),
  severity: z.enum(severities).optional(),
});
export type FindingListQuery = z.output<typeof findingListQuery>;

export const findingPage = page(findingView);
export type FindingPage = z.infer<typeof findingPage>;
