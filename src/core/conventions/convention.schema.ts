import { z } from 'zod';
import { isoDate, page, pageQuery, text, uuid } from '../common.schema.js';
import { periodError } from '../habilitations/period.js';
import { conventionStatuses } from './convention.js';

/** Amounts in euro cents, so that no fee is ever a float. 1,000,000 € at most. */
const cents = z.number().int('a whole number of cents').min(0).max(100_000_000);

/** The clauses of the convention as structured JSON (numbered articles, obligations, sanction scale…). */
export const conventionClauses = z.record(z.string().max(100), z.unknown());

/** A convention reference as the certifier numbers them (`CONV-2026-014`). */
const reference = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._/-]*$/u, 'letters, digits, spaces and . _ / - only');

const conventionFields = {
  certificationIds: z.array(uuid).min(1, 'a convention covers at least one certification').max(500),
  startsOn: isoDate,
  endsOn: isoDate.optional().nullable(),
  feePerCandidateCents: cents.optional().nullable(),
  annualFeeCents: cents.optional().nullable(),
  clauses: conventionClauses,
  /** The convention document, an evidence file of the same organisation. */
  documentId: uuid.optional().nullable(),
};

function checkTerms(
  c: { certificationIds?: string[] | undefined; startsOn?: string; endsOn?: string | null | undefined },
  ctx: z.RefinementCtx,
) {
  if (c.startsOn && periodError({ startsOn: c.startsOn, endsOn: c.endsOn ?? null }))
    ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'must not be before startsOn' });
  const seen = new Set<string>();
  c.certificationIds?.forEach((id, i) => {
    if (seen.has(id))
      ctx.addIssue({ code: 'custom', path: ['certificationIds', i], message: 'appears twice' });
    seen.add(id);
  });
}

/** A new convention with a partner organisation: a draft until its signature is recorded. */
export const conventionInput = z
  .strictObject({
    organisationId: uuid,
    reference,
    ...conventionFields,
    clauses: conventionClauses.default({}),
  })
  .superRefine(checkTerms);
export type ConventionInput = z.input<typeof conventionInput>;
export type ConventionData = z.output<typeof conventionInput>;

/** A change to the terms of a draft or sent convention; organisation and reference stay. */
export const conventionPatch = z.strictObject(conventionFields).partial().superRefine(checkTerms);
export type ConventionPatch = z.output<typeof conventionPatch>;

/** Recording the signature: the day both parties had signed, and optionally the signed document. */
export const conventionSignatureInput = z.strictObject({
  signedOn: isoDate,
  documentId: uuid.optional().nullable(),
});
export type ConventionSignatureInput = z.input<typeof conventionSignatureInput>;

/** Ending a convention before its term: from which day it no longer applies, and why. */
export const conventionTerminationInput = z.strictObject({
  terminatedOn: isoDate,
  reasons: text(5000),
});
export type ConventionTerminationInput = z.input<typeof conventionTerminationInput>;

export const conventionCertificationView = z.object({ id: uuid, code: z.string(), title: z.string() });

export const conventionView = z.object({
  id: uuid,
  organisationId: uuid,
  organisationName: z.string(),
  reference: z.string(),
  version: z.number().int(),
  status: z.enum(conventionStatuses),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  signedOn: z.string().nullable(),
  terminatedOn: z.string().nullable(),
  terminationReasons: z.string().nullable(),
  feePerCandidateCents: z.number().int().nullable(),
  annualFeeCents: z.number().int().nullable(),
  clauses: conventionClauses,
  documentId: uuid.nullable(),
  certifications: z.array(conventionCertificationView),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ConventionView = z.infer<typeof conventionView>;

export const conventionListQuery = pageQuery.extend({
  organisationId: uuid.optional(),
  certificationId: uuid.optional(),
  status: z.enum(conventionStatuses).optional(),
  /** Searches the reference. */
  q: z.string().trim().max(200).optional(),
});
export type ConventionListQuery = z.output<typeof conventionListQuery>;

export const conventionPage = page(conventionView);
export type ConventionPage = z.infer<typeof conventionPage>;
