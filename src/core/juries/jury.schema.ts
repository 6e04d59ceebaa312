import { z } from 'zod';
import { assessmentDecisions } from '../chain/assessment.schema.js';
import { distinctIds } from '../chain/training-session.schema.js';
import { isoDate, page, pageQuery, text, uuid } from '../common.schema.js';

export const juryStatuses = ['planned', 'deliberated', 'signed'] as const;
export type JuryStatus = (typeof juryStatuses)[number];

export const juryMemberRoles = ['president', 'member', 'professional', 'certifier_representative'] as const;

export const deliberationDecisions = ['certified', 'certified_by_blocks', 'failed', 'postponed'] as const;
export type DeliberationDecision = (typeof deliberationDecisions)[number];

/** The decisions from which a certificate may be issued. */
export const certifyingDecisions: readonly DeliberationDecision[] = ['certified', 'certified_by_blocks'];

/** planned → deliberated → signed; signed minutes are final. */
const juryTransitions: Record<JuryStatus, readonly JuryStatus[]> = {
  planned: ['deliberated'],
  deliberated: ['signed'],
  signed: [],
};

/** Whether a jury may go from one status to another (staying put is always allowed). */
export function canMoveJury(from: JuryStatus, to: JuryStatus): boolean {
  return from === to || juryTransitions[from].includes(to);
}

export const juryMemberInput = z
  .strictObject({
    fullName: text(200),
    role: z.enum(juryMemberRoles),
    userId: uuid.optional().nullable(),
    /** The organisation the member comes from (a partner's trainer must not judge its own candidates). */
    organisationId: uuid.optional().nullable(),
    /** The member's declaration: true when a link with a candidate or a partner could bias the decision. */
    hasConflictOfInterest: z.boolean().default(false),
    conflictNote: text(2000).optional().nullable(),
  })
  .superRefine((m, ctx) => {
    if (m.hasConflictOfInterest && !m.conflictNote)
      ctx.addIssue({
        code: 'custom',
        path: ['conflictNote'],
        message: 'a declared conflict of interest says what it is',
      });
  });
export type JuryMemberInput = z.output<typeof juryMemberInput>;

const members = z
  .array(juryMemberInput)
  .max(50)
  .superRefine((list, ctx) => {
    let presidents = 0;
    list.forEach((m, i) => {
      if (m.role === 'president' && ++presidents > 1)
        ctx.addIssue({ code: 'custom', path: [i, 'role'], message: 'a jury has one president' });
    });
  });

export const juryInput = z.strictObject({
  certificationId: uuid,
  meetsOn: isoDate,
  place: text(300).optional().nullable(),
  members: members.default([]),
});
export type JuryInput = z.input<typeof juryInput>;

export const juryPatch = z
  .strictObject({ meetsOn: isoDate, place: text(300).nullable(), status: z.enum(juryStatuses) })
  .partial();
export type JuryPatch = z.output<typeof juryPatch>;

export const juryMembersInput = z.strictObject({ members });

export const deliberationInput = z
  .strictObject({
    candidateId: uuid,
    decision: z.enum(deliberationDecisions),
    /** The skill blocks validated: required for certified_by_blocks, and only then. */
    skillBlockIds: distinctIds(100).default([]),
    note: text(5000).optional().nullable(),
  })
  .superRefine((d, ctx) => {
    if (d.decision === 'certified_by_blocks' && d.skillBlockIds.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['skillBlockIds'],
        message: 'name the skill blocks validated',
      });
    if (d.decision !== 'certified_by_blocks' && d.skillBlockIds.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['skillBlockIds'],
        message: 'skill blocks are listed only for a certification by blocks',
      });
  });
export type DeliberationInput = z.output<typeof deliberationInput>;

export const juryMemberView = z.object({
  id: uuid,
  fullName: z.string(),
  role: z.enum(juryMemberRoles),
  userId: uuid.nullable(),
  organisationId: uuid.nullable(),
  hasConflictOfInterest: z.boolean(),
  conflictNote: z.string().nullable(),
});

export const deliberationView = z.object({
  id: uuid,
  juryId: uuid,
  candidateId: uuid,
  decision: z.enum(deliberationDecisions),
  skillBlockIds: z.array(uuid),
  note: z.string().nullable(),
  decidedAt: z.iso.datetime(),
});
export type DeliberationView = z.infer<typeof deliberationView>;

export const juryView = z.object({
  id: uuid,
  certificationId: uuid,
  meetsOn: z.string(),
  place: z.string().nullable(),
  status: z.enum(juryStatuses),
  signedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type JuryView = z.infer<typeof juryView>;

export const juryDetail = juryView.extend({
  members: z.array(juryMemberView),
  deliberations: z.array(deliberationView),
});
export type JuryDetail = z.infer<typeof juryDetail>;

export const juryListQuery = pageQuery.extend({
  certificationId: uuid.optional(),
  status: z.enum(juryStatuses).optional(),
});
export type JuryListQuery = z.output<typeof juryListQuery>;

export const juryPage = page(juryView);
export type JuryPage = z.infer<typeof juryPage>;

/** A candidate before a jury: identity, results in the certification's held assessments, decision, certificate. */
export const juryCandidateView = z.object({
  candidateId: uuid,
  organisationId: uuid.nullable(),
  birthName: z.string(),
  usageName: z.string().nullable(),
  firstNames: z.string(),
  birthDate: z.string().nullable(),
  results: z.array(
    z.object({
      assessmentSessionId: uuid,
      assessedAt: z.iso.datetime(),
      skillBlockId: uuid.nullable(),
      skillBlockCode: z.string().nullable(),
      assessmentTask: z.string().nullable(),
      score: z.number().nullable(),
      maxScore: z.number().nullable(),
      decision: z.enum(assessmentDecisions),
    }),
  ),
  /** This jury's decision on the candidate, once taken. */
  deliberation: deliberationView.nullable(),
  /** The certificate issued from that decision, once issued. */
  certificate: z
    .object({
      id: uuid,
      number: z.string(),
      accrochageStatus: z.enum(['pending', 'sent', 'accepted', 'rejected']),
      revoked: z.boolean(),
    })
    .nullable(),
});
export type JuryCandidateView = z.infer<typeof juryCandidateView>;

export const juryCandidateList = z.object({ items: z.array(juryCandidateView) });
export type JuryCandidateList = z.infer<typeof juryCandidateList>;
