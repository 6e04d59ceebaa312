import { z } from 'zod';
import { email, isoDate, page, pageQuery, text, uuid } from '../common.schema.js';

/** The access routes (voies d'accès) the CDC accrochage knows, in the code's names. */
export const accessRoutes = [
  'initial_training',
  'continuing_training',
  'apprenticeship',
  'professionalisation_contract',
  'vae',
  'individual_application',
] as const;
export type AccessRoute = (typeof accessRoutes)[number];

export const sexes = ['M', 'F'] as const;

/** INSEE's code of the country France; a commune of birth implies it. */
export const FRANCE_COUNTRY_CODE = '99100';

/** A person's name as the civil registry writes it: letters (any script, accents), spaces, hyphens, apostrophes. */
const personName = (max: number) =>
  text(max).regex(/^\p{L}[\p{L}\p{M} '’.-]*$/u, 'letters, spaces, hyphens and apostrophes only');

/** The INSEE code of a French commune (Corsica: 2A / 2B); `99…` codes are countries, not communes. */
export const inseeCommuneCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9][0-9AB][0-9]{3}$/, 'an INSEE commune code has 5 characters, e.g. 69123 or 2A004')
  .refine((v) => !v.startsWith('99'), 'a code starting with 99 is a country: give it as birthCountryCode');

/** The INSEE code of a country of birth: `99` and three digits (99100 is France). */
export const inseeCountryCode = z
  .string()
  .trim()
  .regex(/^99[0-9]{3}$/, 'an INSEE country code is 99 followed by 3 digits, e.g. 99350');

const candidateFields = {
  /** Null: a candidate who applies alone (candidature individuelle), attached to no partner. */
  organisationId: uuid.optional().nullable(),
  birthName: personName(100),
  usageName: personName(100).optional().nullable(),
  firstNames: personName(200),
  sex: z.enum(sexes),
  birthDate: isoDate.refine((d) => d >= '1900-01-01', 'a birth date after 1900'),
  birthPlaceCode: inseeCommuneCode.optional().nullable(),
  birthCountryCode: inseeCountryCode.optional().nullable(),
  email: email.optional().nullable(),
  accessRoute: z.enum(accessRoutes),
};

export interface BirthPlace {
  birthPlaceCode?: string | null | undefined;
  birthCountryCode?: string | null | undefined;
}

/**
 * What is wrong with a place of birth, as field issues: the CDC needs the commune for someone born in France,
 * the country for someone born abroad, and a commune cannot go with a foreign country. Empty when it is right.
 *
 * @example birthPlaceIssues({ birthPlaceCode: '69123', birthCountryCode: '99350' }) // one issue on birthCountryCode
 */
export function birthPlaceIssues(place: BirthPlace): { field: string; message: string }[] {
  if (!place.birthPlaceCode && !place.birthCountryCode)
    return [
      {
        field: 'birthPlaceCode',
        message: 'give the commune of birth (INSEE code) or, for a birth abroad, birthCountryCode',
      },
    ];
  if (place.birthPlaceCode && place.birthCountryCode && place.birthCountryCode !== FRANCE_COUNTRY_CODE)
    return [
      {
        field: 'birthCountryCode',
        message: `a commune of birth means born in France (${FRANCE_COUNTRY_CODE})`,
      },
    ];
  return [];
}

/** What a user gives to create a candidate; a partner's candidates belong to its own organisation. */
export const candidateInput = z.strictObject(candidateFields).superRefine((c, ctx) => {
  for (const issue of birthPlaceIssues(c))
    ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
});
export type CandidateInput = z.input<typeof candidateInput>;
export type CandidateData = z.output<typeof candidateInput>;

/**
 * The fields a certificate and the CDC accrochage carry: once a live certificate was issued to the candidate,
 * only the certifier may change them, giving a reason (docs/chain-upload.md, « Correcting a candidate »).
 */
export const certifiedIdentityFields = [
  'birthName',
  'usageName',
  'firstNames',
  'sex',
  'birthDate',
  'birthPlaceCode',
  'birthCountryCode',
  'accessRoute',
] as const;

/**
 * A partial change of identity; the organisation does not change (a transfer is a new candidate). `reason`
 * is required from the certifier when it corrects the identity of a candidate who holds a certificate; it is
 * kept in the audit entry.
 */
export const candidatePatch = z
  .strictObject({
    ...candidateFields,
    reason: text(2000).min(10, 'give the reason (at least 10 characters)'),
  })
  .omit({ organisationId: true })
  .partial();
export type CandidatePatch = z.output<typeof candidatePatch>;

export const candidateView = z.object({
  id: uuid,
  organisationId: uuid.nullable(),
  birthName: z.string(),
  usageName: z.string().nullable(),
  firstNames: z.string(),
  sex: z.enum(sexes).nullable(),
  birthDate: z.string().nullable(),
  birthPlaceCode: z.string().nullable(),
  birthCountryCode: z.string().nullable(),
  email: z.string().nullable(),
  accessRoute: z.enum(accessRoutes).nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type CandidateView = z.infer<typeof candidateView>;

export const candidateListQuery = pageQuery.extend({
  /** Searches birth name, usage name and first names. */
  q: z.string().trim().max(200).optional(),
  organisationId: uuid.optional(),
});
export type CandidateListQuery = z.output<typeof candidateListQuery>;

export const candidatePage = page(candidateView);
export type CandidatePage = z.infer<typeof candidatePage>;
