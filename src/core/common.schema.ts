import { z } from 'zod';
import { compactIdentifier, ndaError, siretError } from './validators/identifiers.js';

/** An ISO calendar date, `YYYY-MM-DD`, that exists. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'not a calendar date');

export const uuid = z.uuid();

/** A SIRET as typed or exported (spaces, dots, TABs tolerated), checked and compacted to 14 digits. */
export const siret = z
  .string()
  .transform(compactIdentifier)
  .superRefine((v, ctx) => {
    const problem = siretError(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const nda = z
  .string()
  .transform(compactIdentifier)
  .superRefine((v, ctx) => {
    const problem = ndaError(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const email = z.email().max(254);

/** A trimmed single-line text; empty strings are refused rather than stored. */
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type PageQuery = z.infer<typeof pageQuery>;

export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });

/** RFC 9457 problem details, as every error leaves the API. */
export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type Problem = z.infer<typeof problem>;
