import { z } from 'zod';
import { email, text, uuid } from '../common.schema.js';

const postalCode = z.string().regex(/^(\d{5}|98\d{3}|2[AB]\d{3})$/, 'a French postal code has 5 digits');
const phone = z.string().regex(/^[+0-9 ().-]{6,25}$/, 'not a phone number');

/** A person to reach at the organisation: the manager, the quality lead, the exams coordinator… */
export const contactInput = z.strictObject({
  fullName: text(200),
  role: text(120).optional().nullable(),
  email: email.optional().nullable(),
  phone: phone.optional().nullable(),
});
export type ContactInput = z.input<typeof contactInput>;

/** A place where the organisation trains or holds exams (a habilitation's territory names them). */
export const siteInput = z.strictObject({
  label: text(200),
  addressLine: text(300).optional().nullable(),
  postalCode: postalCode.optional().nullable(),
  city: text(120).optional().nullable(),
});
export type SiteInput = z.input<typeof siteInput>;

export const contactView = z.object({
  id: uuid,
  organisationId: uuid,
  fullName: z.string(),
  role: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type ContactView = z.infer<typeof contactView>;

export const siteView = z.object({
  id: uuid,
  organisationId: uuid,
  label: z.string(),
  addressLine: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type SiteView = z.infer<typeof siteView>;

export const organisationDirectory = z.object({
  contacts: z.array(contactView),
  sites: z.array(siteView),
});
export type OrganisationDirectory = z.infer<typeof organisationDirectory>;
