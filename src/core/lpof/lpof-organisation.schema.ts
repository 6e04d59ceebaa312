import { z } from 'zod';
import { isoDate } from '../common.schema.js';
import { qualiopiCategories } from '../organisations/organisation.schema.js';
import { ndaError, siretError } from '../validators/identifiers.js';

/**
 * One row of the « liste publique des organismes de formation » (article L.6351-7-1 of the Code du
 * travail), as the LPOF importer yields it: identifiers checked and compacted, dates as ISO, Qualiopi as the
 * list of certified categories (the names of `organisation.schema.ts`). The list is keyed by NDA; a SIRET
 * can carry several NDAs. See docs/formats/lpof.md for the column each field comes from.
 */
const ndaValue = z.string().refine((v) => ndaError(v) === null, 'an NDA has exactly 11 digits');
const nullableText = (max: number) => z.string().min(1).max(max).nullable();
const count = z.number().int().min(0).nullable();

export const lpofSpeciality = z.strictObject({
  /** NSF code (`326`, or with a letter `326t`), null when only the label is given. */
  code: z
    .string()
    .regex(/^\d{3}[a-z]?$/)
    .nullable(),
  label: nullableText(300),
});
export type LpofSpeciality = z.infer<typeof lpofSpeciality>;

export const lpofForeignOrganisation = z.strictObject({
  name: nullableText(300),
  addressLine: nullableText(300),
  postalCode: nullableText(20),
  city: nullableText(120),
  country: nullableText(120),
});
export type LpofForeignOrganisation = z.infer<typeof lpofForeignOrganisation>;

export const lpofOrganisation = z.strictObject({
  nda: ndaValue,
  previousNdas: z.array(ndaValue),
  legalName: z.string().min(1).max(300),
  siret: z.string().superRefine((v, ctx) => {
    const problem = siretError(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** Always the first 9 digits of the SIRET (the file's own `siren` column is only cross-checked). */
  siren: z.string().regex(/^\d{9}$/),
  addressLine: nullableText(300),
  postalCode: z
    .string()
    .regex(/^(\d{5}|2[AB]\d{3})$/)
    .nullable(),
  city: nullableText(120),
  /** INSEE region code, two characters (`11`, `93`, `01` for Guadeloupe). */
  regionCode: z
    .string()
    .regex(/^\d{2}$/)
    .nullable(),
  /** The Qualiopi categories the organisation is certified for; empty means not Qualiopi-certified. */
  qualiopiCategories: z.array(z.enum(qualiopiCategories)).max(4),
  foreignOrganisation: lpofForeignOrganisation.nullable(),
  lastDeclarationOn: isoDate.nullable(),
  fiscalYearStart: isoDate.nullable(),
  fiscalYearEnd: isoDate.nullable(),
  specialities: z.array(lpofSpeciality).max(3),
  traineeCount: count,
  traineesFromOtherOrganisationsCount: count,
  trainerCount: count,
});
export type LpofOrganisation = z.infer<typeof lpofOrganisation>;
