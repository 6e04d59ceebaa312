import { z } from 'zod';
import { distinctIds } from '../chain/training-session.schema.js';
import { isoDate, page, pageQuery, text, uuid } from '../common.schema.js';

/** The scale, mildest first: each level is heavier than the one before it. */
export const sanctionLevels = [
  'observation',
  'warning',
  'reinforced_watch',
  'suspension',
  'withdrawal',
] as const;
export type SanctionLevel = (typeof sanctionLevels)[number];

/** Compares two levels on the scale: negative when `a` is milder than `b`. */
export const compareSanctionLevels = (a: SanctionLevel, b: SanctionLevel): number =>
  sanctionLevels.indexOf(a) - sanctionLevels.indexOf(b);

export const sanctionStatuses = ['proposed', 'notified', 'final', 'cancelled'] as const;
export type SanctionStatus = (typeof sanctionStatuses)[number];

/** proposed → notified (the partner may reply) → final; a sanction not yet final can be cancelled. */
const sanctionTransitions: Record<SanctionStatus, readonly SanctionStatus[]> = {
  proposed: ['notified', 'cancelled'],
  notified: ['final', 'cancelled'],
  final: [],
  cancelled: [],
};

/** Whether a sanction may go from one status to another (staying put is always allowed). */
export function canMoveSanction(from: SanctionStatus, to: SanctionStatus): boolean {
  return from === to || sanctionTransitions[from].includes(to);
}

/** A partner learns of a sanction once it is notified: a proposal is the certifier's internal work. */
export const isVisibleToPartner = (status: SanctionStatus): boolean => status !== 'proposed';

export const sanctionInput = z
  .strictObject({
    organisationId: uuid,
    habilitationId: uuid.optional().nullable(),
    level: z.enum(sanctionLevels),
    /** The facts and the rule they break: required, the partner reads them and answers them. */
    reasons: text(10_000),
    conventionClause: text(200).optional().nullable(),
    decidedOn: isoDate,
    /** The day the partner's reply is due (contradictory procedure). */
    replyDueOn: isoDate.optional().nullable(),
    findingIds: distinctIds(100).default([]),
  })
  .superRefine((s, ctx) => {
    // Each decision cites the findings it rests on and the clause of the convention it applies.
    if (s.findingIds.length === 0)
      ctx.addIssue({ code: 'custom', path: ['findingIds'], message: 'cite at least one finding' });
    if (!s.conventionClause)
      ctx.addIssue({
        code: 'custom',
        path: ['conventionClause'],
        message: 'cite the convention clause applied',
      });
    // Beyond an observation, the partner has a right of reply, by a date.
    if (s.level !== 'observation' && !s.replyDueOn)
      ctx.addIssue({
        code: 'custom',
        path: ['replyDueOn'],
        message: 'a sanction beyond an observation gives the partner a date to reply by',
      });
    if (s.replyDueOn && s.replyDueOn < s.decidedOn)
      ctx.addIssue({ code: 'custom', path: ['replyDueOn'], message: 'must not be before decidedOn' });
  });
export type SanctionInput = z.output<typeof sanctionInput>;

export const sanctionPatch = z
  .strictObject({ status: z.enum(sanctionStatuses), replyDueOn: isoDate.nullable() })
  .partial();
export type SanctionPatch = z.output<typeof sanctionPatch>;

export const sanctionReplyInput = z.strictObject({ reply: text(10_000) });

export const sanctionView = z.object({
  id: uuid,
  organisationId: uuid,
  habilitationId: uuid.nullable(),
  level: z.enum(sanctionLevels),
  reasons: z.string(),
  conventionClause: z.string().nullable(),
  decidedOn: z.string(),
  decidedBy: uuid.nullable(),
  replyDueOn: z.string().nullable(),
  reply: z.string().nullable(),
  repliedAt: z.iso.datetime().nullable(),
  status: z.enum(sanctionStatuses),
  findingIds: z.array(uuid),
  /** When a final suspension, reinforced watch or withdrawal changed the habilitations. */
  appliedAt: z.iso.datetime().nullable(),
  organisationName: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type SanctionView = z.infer<typeof sanctionView>;

export const sanctionListQuery = pageQuery.extend({
  organisationId: uuid.optional(),
  level: z.enum(sanctionLevels).optional(),
  status: z.enum(sanctionStatuses).optional(),
});
export type SanctionListQuery = z.output<typeof sanctionListQuery>;

export const sanctionPage = page(sanctionView);
export type SanctionPage = z.infer<typeof sanctionPage>;

/**
 * The habilitation status each level leads to once final, and the statuses it applies to. An observation
 * or a warning leaves the habilitation as it is.
 */
export const sanctionEffects: Partial<
  Record<SanctionLevel, { toStatus: 'under_watch' | 'suspended' | 'withdrawn'; from: readonly string[] }>
> = {
  reinforced_watch: { toStatus: 'under_watch', from: ['active'] },
  suspension: { toStatus: 'suspended', from: ['active', 'under_watch'] },
  withdrawal: { toStatus: 'withdrawn', from: ['active', 'under_watch', 'suspended'] },
};

/**
 * Why a notified sanction may not be made final on `today`, or null: the partner's right of reply runs
 * until its deadline, unless it has replied.
 */
export function finalisationRefusal(
  s: { status: SanctionStatus; replyDueOn: string | null; reply: string | null },
  today: string,
): string | null {
  if (s.status !== 'notified') return `a sanction is made final once notified (it is ${s.status})`;
  if (s.reply === null && s.replyDueOn !== null && today <= s.replyDueOn)
    return `the partner may reply until ${s.replyDueOn}: the sanction is made final after its reply or that date`;
  return null;
}
