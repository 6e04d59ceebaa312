import { z } from 'zod';
import { isoDate, uuid } from '../common.schema.js';

export const expiryKinds = ['convention', 'habilitation'] as const;

export const expiryAlertQuery = z.object({
  /** The day the alerts are computed for (default: today in Paris). */
  on: isoDate.optional(),
  /** Only what ends within this many days: 90 (default), 30 or 7. */
  within: z.enum(['90', '30', '7']).transform(Number).default(90),
  kind: z.enum(expiryKinds).optional(),
  organisationId: uuid.optional(),
});
export type ExpiryAlertQuery = z.output<typeof expiryAlertQuery>;

export const expiryAlert = z.object({
  kind: z.enum(expiryKinds),
  /** The convention's or the habilitation's id. */
  id: uuid,
  organisationId: uuid,
  organisationName: z.string(),
  /** The convention's reference, or the habilitation's certification code. */
  label: z.string(),
  status: z.string(),
  endsOn: z.string(),
  daysLeft: z.number().int(),
  /** The tightest reminder reached: 7, 30 or 90 days before the end. */
  threshold: z.union([z.literal(90), z.literal(30), z.literal(7)]),
  /** A convention or habilitation that takes over (later start, not ended), when one is recorded. */
  renewal: z.object({ id: uuid, label: z.string(), status: z.string(), startsOn: z.string() }).nullable(),
});
export type ExpiryAlert = z.infer<typeof expiryAlert>;

export const expiryAlertList = z.object({
  on: z.string(),
  items: z.array(expiryAlert),
  counts: z.object({ within7: z.number().int(), within30: z.number().int(), within90: z.number().int() }),
});
export type ExpiryAlertList = z.infer<typeof expiryAlertList>;
