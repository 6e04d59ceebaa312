import { z } from 'zod';
import { isoDate, page, pageQuery, text, uuid } from '../common.schema.js';

/** What is asked: documents (files expected) or information (an answer in words may do). */
export const requestKinds = ['documents', 'information'] as const;
export type RequestKind = (typeof requestKinds)[number];

/** The stored statuses; `overdue` is derived (see requestDisplayStatus). */
export const requestStatuses = ['open', 'answered', 'accepted', 'reopened'] as const;
export type RequestStatus = (typeof requestStatuses)[number];

/** What the lists show and filter on: the stored status, or `overdue` when an answer is late. */
export const requestDisplayStatuses = [...requestStatuses, 'overdue'] as const;
export type RequestDisplayStatus = (typeof requestDisplayStatuses)[number];

/** Waiting for the partner: asked, or asked again. */
export const awaitingPartner: readonly RequestStatus[] = ['open', 'reopened'];

/**
 * A request is overdue when the partner still owes an answer (open or asked again) after its due date
 * (the due day itself is still on time). `today` is the certifier's calendar day, `YYYY-MM-DD`.
 */
export function requestDisplayStatus(
  status: RequestStatus,
  dueOn: string,
  today: string,
): RequestDisplayStatus {
  return awaitingPartner.includes(status) && dueOn < today ? 'overdue' : status;
}

export type RequestMove = 'answer' | 'accept' | 'reopen';

/** From which statuses each move is allowed: the partner answers what it owes; the certifier reviews answers. */
export const requestMoves: Readonly<Record<RequestMove, readonly RequestStatus[]>> = {
  answer: ['open', 'reopened'],
  accept: ['answered'],
  reopen: ['answered', 'accepted'],
};

export const requestMoveTarget: Readonly<Record<RequestMove, RequestStatus>> = {
  answer: 'answered',
  accept: 'accepted',
  reopen: 'reopened',
};

/** Why a move is refused from a status, or null when allowed. */
export function requestMoveRefusal(move: RequestMove, status: RequestStatus): string | null {
  if (requestMoves[move].includes(status)) return null;
  const reasons: Record<RequestMove, string> = {
    answer:
      status === 'answered'
        ? 'this request is already answered: wait for the certifier’s review'
        : 'this request is closed (its answer was accepted)',
    accept: 'only an answered request can be accepted',
    reopen: 'only an answered or accepted request can be asked again',
  };
  return reasons[move];
}

export const requestInput = z.strictObject({
  organisationId: uuid,
  kind: z.enum(requestKinds).default('documents'),
  title: text(300),
  body: z.string().trim().min(1, 'must not be empty').max(10_000),
  dueOn: isoDate,
  habilitationId: uuid.optional().nullable(),
  conventionId: uuid.optional().nullable(),
  findingId: uuid.optional().nullable(),
});
export type RequestInput = z.input<typeof requestInput>;

export const requestAnswerInput = z
  .strictObject({
    message: z.string().trim().max(10_000).default(''),
    /** Evidence files already uploaded (POST /api/evidence) by the partner, attached to this answer. */
    evidenceIds: z.array(uuid).max(50).default([]),
  })
  .superRefine((a, ctx) => {
    if (a.message === '' && a.evidenceIds.length === 0)
      ctx.addIssue({ code: 'custom', path: ['message'], message: 'write an answer or attach a file' });
    if (new Set(a.evidenceIds).size !== a.evidenceIds.length)
      ctx.addIssue({ code: 'custom', path: ['evidenceIds'], message: 'the same file twice' });
  });
export type RequestAnswerInput = z.input<typeof requestAnswerInput>;

export const requestReviewInput = z.discriminatedUnion('decision', [
  z.strictObject({
    decision: z.literal('accept'),
    message: z.string().trim().max(10_000).optional(),
  }),
  z.strictObject({
    decision: z.literal('reopen'),
    /** What is still missing: the partner reads it. */
    message: text(10_000),
    /** A new due date; the old one stays when omitted. */
    dueOn: isoDate.optional(),
  }),
]);
export type RequestReviewInput = z.input<typeof requestReviewInput>;

export const requestEventView = z.object({
  id: uuid,
  kind: z.enum(['created', 'answered', 'accepted', 'reopened']),
  message: z.string().nullable(),
  dueOn: z.string().nullable(),
  evidence: z.array(
    z.object({ id: uuid, fileName: z.string(), sizeBytes: z.number().int(), mediaType: z.string() }),
  ),
  authorLabel: z.string(),
  at: z.iso.datetime(),
});
export type RequestEventView = z.infer<typeof requestEventView>;

export const requestView = z.object({
  id: uuid,
  organisationId: uuid,
  organisationName: z.string(),
  kind: z.enum(requestKinds),
  title: z.string(),
  body: z.string(),
  dueOn: z.string(),
  status: z.enum(requestStatuses),
  displayStatus: z.enum(requestDisplayStatuses),
  habilitationId: uuid.nullable(),
  habilitationLabel: z.string().nullable(),
  conventionId: uuid.nullable(),
  conventionReference: z.string().nullable(),
  findingId: uuid.nullable(),
  findingTitle: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  answeredAt: z.iso.datetime().nullable(),
  acceptedAt: z.iso.datetime().nullable(),
  updatedAt: z.iso.datetime(),
});
export type RequestView = z.infer<typeof requestView>;

export const requestDetail = requestView.extend({ events: z.array(requestEventView) });
export type RequestDetail = z.infer<typeof requestDetail>;

export const requestSortKeys = ['dueOn', 'createdAt', 'organisation'] as const;

export const requestListQuery = pageQuery.extend({
  organisationId: uuid.optional(),
  status: z.enum(requestDisplayStatuses).optional(),
  /** Every request still waiting for the partner (open, asked again or overdue). */
  awaiting: z.enum(['partner', 'certifier']).optional(),
  habilitationId: uuid.optional(),
  conventionId: uuid.optional(),
  findingId: uuid.optional(),
  /** Searches the title. */
  q: z.string().trim().max(200).optional(),
  sort: z.enum(requestSortKeys).default('dueOn'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type RequestListQuery = z.output<typeof requestListQuery>;

export const requestPage = page(requestView);
export type RequestPage = z.infer<typeof requestPage>;
