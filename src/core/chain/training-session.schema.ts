import { z } from 'zod';
import { isoDate, page, pageQuery, text, uuid } from '../common.schema.js';

export const modalities = ['in_person', 'distance', 'blended'] as const;
export type Modality = (typeof modalities)[number];

export const fundings = ['cpf', 'apprenticeship', 'employer', 'personal', 'public', 'other'] as const;

/** A list of ids given once each: a repeated id is a mistake worth naming, not something to merge silently. */
export const distinctIds = (max: number) =>
  z
    .array(uuid)
    .max(max)
    .superRefine((ids, ctx) => {
      const seen = new Set<string>();
      ids.forEach((id, i) => {
        if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i], message: 'appears twice' });
        seen.add(id);
      });
    });

const sessionFields = {
  reference: text(100).optional().nullable(),
  startsOn: isoDate,
  endsOn: isoDate,
  hours: z.number().min(0).max(99_999.99).multipleOf(0.01).optional().nullable(),
  modality: z.enum(modalities),
  site: text(300).optional().nullable(),
  trainers: z.array(text(200)).max(50),
  funding: z.enum(fundings).optional().nullable(),
  /** The skill blocks the training prepares; empty: the whole certification. */
  skillBlockIds: distinctIds(100),
};

/** Whether a period is the right way round; shared by the input schema and by updates of one end. */
export const dateRangeIssue = (startsOn: string, endsOn: string): string | null =>
  endsOn < startsOn ? `must not be before startsOn (${startsOn})` : null;

/** What a partner (or certifier staff for it) declares about a training session. */
export const trainingSessionInput = z
  .strictObject({
    /** A partner may leave it out: its own organisation. Certifier staff name the partner. */
    organisationId: uuid.optional(),
    certificationId: uuid,
    ...sessionFields,
    trainers: sessionFields.trainers.default([]),
    skillBlockIds: sessionFields.skillBlockIds.default([]),
    /** Candidates enrolled at once (they must be the organisation's own). */
    candidateIds: distinctIds(500).default([]),
  })
  .superRefine((s, ctx) => {
    const problem = dateRangeIssue(s.startsOn, s.endsOn);
    if (problem) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: problem });
  });
export type TrainingSessionInput = z.input<typeof trainingSessionInput>;
export type TrainingSessionData = z.output<typeof trainingSessionInput>;

/** A change to a session; organisation and certification are its identity and stay. */
export const trainingSessionPatch = z.strictObject(sessionFields).partial();
export type TrainingSessionPatch = z.output<typeof trainingSessionPatch>;

export const enrolmentInput = z.strictObject({
  candidateIds: distinctIds(500).min(1, 'at least one candidate'),
  enrolledOn: isoDate.optional().nullable(),
});
export type EnrolmentInput = z.output<typeof enrolmentInput>;

export const trainingSessionView = z.object({
  id: uuid,
  organisationId: uuid,
  certificationId: uuid,
  reference: z.string().nullable(),
  startsOn: z.string(),
  endsOn: z.string(),
  hours: z.number().nullable(),
  modality: z.enum(modalities),
  site: z.string().nullable(),
  trainers: z.array(z.string()),
  funding: z.enum(fundings).nullable(),
  enrolmentCount: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TrainingSessionView = z.infer<typeof trainingSessionView>;

export const skillBlockRef = z.object({ id: uuid, code: z.string(), title: z.string() });
export type SkillBlockRef = z.infer<typeof skillBlockRef>;

export const enrolmentView = z.object({
  candidateId: uuid,
  birthName: z.string(),
  usageName: z.string().nullable(),
  firstNames: z.string(),
  enrolledOn: z.string().nullable(),
});
export type EnrolmentView = z.infer<typeof enrolmentView>;

/** One session with its skill blocks and its enrolled candidates. */
export const trainingSessionDetail = trainingSessionView.extend({
  skillBlocks: z.array(skillBlockRef),
  enrolments: z.array(enrolmentView),
});
export type TrainingSessionDetail = z.infer<typeof trainingSessionDetail>;

export const trainingSessionListQuery = pageQuery.extend({
  organisationId: uuid.optional(),
  certificationId: uuid.optional(),
  /** Sessions that are running or end on or after this day. */
  from: isoDate.optional(),
});
export type TrainingSessionListQuery = z.output<typeof trainingSessionListQuery>;

export const trainingSessionPage = page(trainingSessionView);
export type TrainingSessionPage = z.infer<typeof trainingSessionPage>;
