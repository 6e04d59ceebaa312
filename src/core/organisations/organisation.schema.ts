import { z } from 'zod';
import { email, isoDate, nda, page, pageQuery, siret, text, uuid } from '../common.schema.js';

export const qualiopiStatuses = ['certified', 'not_certified', 'lapsed', 'unknown'] as const;
export type QualiopiStatus = (typeof qualiopiStatuses)[number];

/** Qualiopi's four categories of action (article L.6313-1 of the Code du travail). */
export const qualiopiCategories = ['training', 'skills_assessment', 'vae', 'apprenticeship'] as const;

/** What a user gives to create an organisation; unknown fields are refused (strict). */
export const organisationInput = z.strictObject({
  siret,
  nda: nda.optional().nullable(),
  legalName: text(300),
  tradeName: text(300).optional().nullable(),
  addressLine: text(300).optional().nullable(),
  postalCode: z
    .string()
    .regex(/^(\d{5}|98\d{3}|2[AB]\d{3})$/, 'a French postal code has 5 digits')
    .optional()
    .nullable(),
  city: text(120).optional().nullable(),
  region: text(120).optional().nullable(),
  email: email.optional().nullable(),
  phone: z
    .string()
    .regex(/^[+0-9 ().-]{6,25}$/, 'not a phone number')
    .optional()
    .nullable(),
  website: z.url().max(500).optional().nullable(),
  qualiopiStatus: z.enum(qualiopiStatuses).default('unknown'),
  qualiopiCategories: z.array(z.enum(qualiopiCategories)).max(4).default([]),
  qualiopiExpiresOn: isoDate.optional().nullable(),
  notes: z.string().max(10_000).optional().nullable(),
});
export type OrganisationInput = z.input<typeof organisationInput>;
export type OrganisationData = z.output<typeof organisationInput>;

/** A partial update: every field optional, SIRET not changeable (it is the organisation's identity). */
export const organisationPatch = organisationInput.omit({ siret: true }).partial().strict();
export type OrganisationPatch = z.output<typeof organisationPatch>;

export const organisationView = z.object({
  id: uuid,
  siret: z.string(),
  siren: z.string(),
  nda: z.string().nullable(),
  legalName: z.string(),
  tradeName: z.string().nullable(),
  addressLine: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  website: z.string().nullable(),
  qualiopiStatus: z.enum(qualiopiStatuses),
  qualiopiCategories: z.array(z.string()),
  qualiopiExpiresOn: z.string().nullable(),
  notes: z.string().nullable(),
  archivedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type OrganisationView = z.infer<typeof organisationView>;

export const organisationSortKeys = ['legalName', 'siret', 'createdAt', 'city'] as const;

export const organisationListQuery = pageQuery.extend({
  q: z.string().trim().max(200).optional(),
  qualiopiStatus: z.enum(qualiopiStatuses).optional(),
  includeArchived: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  sort: z.enum(organisationSortKeys).default('legalName'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type OrganisationListQuery = z.output<typeof organisationListQuery>;

export const organisationPage = page(organisationView);
export type OrganisationPage = z.infer<typeof organisationPage>;
