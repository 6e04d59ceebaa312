import { z } from 'zod';
import { isoDate, page, pageQuery, text, uuid } from '../common.schema.js';
import { distinctIds, modalities } from './training-session.schema.js';

export const assessmentSessionStatuses = ['planned', 'held', 'cancelled'] as const;
export type AssessmentSessionStatus = (typeof assessmentSessionStatuses)[number];

export const assessmentDecisions = ['passed', 'failed', 'absent'] as const;

/** planned → held or cancelled; a held or cancelled session is history. */
const sessionTransitions: Record<AssessmentSessionStatus, readonly AssessmentSessionStatus[]> = {
  planned: ['held', 'cancelled'],
  held: [],
  cancelled: [],
};

/** Whether an assessment session may go from one status to another (staying put is always allowed). */
export function canMoveAssessmentSession(
  from: AssessmentSessionStatus,
  to: AssessmentSessionStatus,
): boolean {
  return from === to || sessionTransitions[from].includes(to);
}

const startsAt = z.iso.datetime({ offset: true });

export const assessmentSessionInput = z.strictObject({
  certificationId: uuid,
  /**
   * Who organises it: null for the certifier itself, or a partner habilitated to evaluate. A partner may
   * leave it out: its own organisation.
   */
  organiserId: uuid.optional().nullable(),
  startsAt,
  place: text(300).optional().nullable(),
  modality: z.enum(modalities).default('in_person'),
  candidateIds: distinctIds(500).default([]),
  /** Users with the evaluator role who may record the results. */
  evaluatorIds: distinctIds(50).default([]),
});
export type AssessmentSessionInput = z.input<typeof assessmentSessionInput>;
export type AssessmentSessionData = z.output<typeof assessmentSessionInput>;

export const assessmentSessionPatch = z
  .strictObject({
    startsAt,
    place: text(300).nullable(),
    modality: z.enum(modalities),
    status: z.enum(assessmentSessionStatuses),
    incidents: z.string().trim().max(10_000).nullable(),
  })
  .partial();
export type AssessmentSessionPatch = z.output<typeof assessmentSessionPatch>;

export const sessionCandidatesInput = z.strictObject({
  candidateIds: distinctIds(500).min(1, 'at least one candidate'),
});

export const sessionEvaluatorsInput = z.strictObject({ userIds: distinctIds(50) });

/** One result: a candidate's outcome on a skill block or on a named assessment task (épreuve). */
export const assessmentResultInput = z
  .strictObject({
    candidateId: uuid,
    skillBlockId: uuid.optional().nullable(),
    assessmentTask: text(200).optional().nullable(),
    score: z.number().min(0, 'must not be negative').max(9999.99).multipleOf(0.01).optional().nullable(),
    maxScore: z.number().positive().max(9999.99).multipleOf(0.01).optional().nullable(),
    decision: z.enum(assessmentDecisions),
  })
  .superRefine((r, ctx) => {
    if (!r.skillBlockId && !r.assessmentTask)
      ctx.addIssue({
        code: 'custom',
        path: ['skillBlockId'],
        message: 'name the skill block or the assessment task the result is for',
      });
    if (r.score != null && r.maxScore == null)
      ctx.addIssue({ code: 'custom', path: ['maxScore'], message: 'a score needs the maximum it is out of' });
    if (r.score != null && r.maxScore != null && r.score > r.maxScore)
      ctx.addIssue({ code: 'custom', path: ['score'], message: `must be between 0 and ${r.maxScore}` });
    if (r.decision === 'absent' && r.score != null)
      ctx.addIssue({ code: 'custom', path: ['score'], message: 'an absent candidate has no score' });
  });
export type AssessmentResultInput = z.output<typeof assessmentResultInput>;

export const assessmentResultsInput = z.strictObject({
  results: z.array(assessmentResultInput).min(1, 'at least one result').max(2000),
});

export const assessmentSessionView = z.object({
  id: uuid,
  certificationId: uuid,
  organiserId: uuid.nullable(),
  startsAt: z.iso.datetime(),
  place: z.string().nullable(),
  modality: z.enum(modalities),
  status: z.enum(assessmentSessionStatuses),
  declaredAt: z.iso.datetime(),
  incidents: z.string().nullable(),
  candidateCount: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type AssessmentSessionView = z.infer<typeof assessmentSessionView>;

export const sessionCandidateView = z.object({
  candidateId: uuid,
  organisationId: uuid.nullable(),
  birthName: z.string(),
  usageName: z.string().nullable(),
  firstNames: z.string(),
});

export const evaluatorView = z.object({ userId: uuid, displayName: z.string(), email: z.string() });

export const assessmentSessionDetail = assessmentSessionView.extend({
  candidates: z.array(sessionCandidateView),
  evaluators: z.array(evaluatorView),
});
export type AssessmentSessionDetail = z.infer<typeof assessmentSessionDetail>;

export const assessmentResultView = z.object({
  id: uuid,
  assessmentSessionId: uuid,
  candidateId: uuid,
  skillBlockId: uuid.nullable(),
  assessmentTask: z.string().nullable(),
  score: z.number().nullable(),
  maxScore: z.number().nullable(),
  decision: z.enum(assessmentDecisions),
  recordedBy: uuid.nullable(),
  recordedAt: z.iso.datetime(),
});
export type AssessmentResultView = z.infer<typeof assessmentResultView>;

export const assessmentResultList = z.object({ items: z.array(assessmentResultView) });

export const assessmentSessionListQuery = pageQuery.extend({
  certificationId: uuid.optional(),
  organiserId: uuid.optional(),
  status: z.enum(assessmentSessionStatuses).optional(),
  /** Sessions on or after this day. */
  from: isoDate.optional(),
});
export type AssessmentSessionListQuery = z.output<typeof assessmentSessionListQuery>;

export const assessmentSessionPage = page(assessmentSessionView);
export type AssessmentSessionPage = z.infer<typeof assessmentSessionPage>;
