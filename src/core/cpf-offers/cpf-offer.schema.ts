import { z } from 'zod';
import { isoDate } from '../common.schema.js';
import { certificationCodeError, siretError } from '../validators/identifiers.js';

/**
 * One offer of the Caisse des Dépôts catalogue of CPF offers (dataset
 * `moncompteformation_catalogueformation`), as the catalogue importer yields it, whichever generation of
 * column names the file used. The certification code carries its prefix (`RNCP37674`, `RS5000`) although
 * the catalogue stores digits only; prices are euros TTC rounded to the cent. See
 * docs/formats/cpf-catalogue.md for the column each field comes from.
 */
const nullableText = (max: number) => z.string().min(1).max(max).nullable();
const count = z.number().int().min(0).nullable();
const amount = z.number().min(0).nullable();

export const cpfOfferModalities = ['on_site', 'distance', 'mixed'] as const;
export type CpfOfferModality = (typeof cpfOfferModalities)[number];

export const cpfOfferNsf = z.strictObject({
  code: z
    .string()
    .regex(/^\d{3}[a-z]?$/)
    .nullable(),
  label: nullableText(300),
});

export const cpfOffer = z.strictObject({
  /** `numero_formation`: the catalogue's identifier of the offer, unique within one extraction. */
  offerId: z.string().min(1).max(200),
  extractedOn: isoDate.nullable(),
  siret: z.string().superRefine((v, ctx) => {
    const problem = siretError(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** First 9 digits of the SIRET: matches the other establishments of the same company. */
  siren: z.string().regex(/^\d{9}$/),
  organisationName: nullableText(300),
  /** `RNCP37674` or `RS5000`; null when the offer names only a certif-info code. */
  certificationCode: z
    .string()
    .refine((v) => certificationCodeError(v) === null, 'not an RNCP or RS code')
    .nullable(),
  register: z.enum(['RNCP', 'RS']).nullable(),
  certifInfoCode: z
    .string()
    .regex(/^\d{1,10}$/)
    .nullable(),
  certificationTitle: nullableText(1000),
  level: nullableText(300),
  title: z.string().min(1).max(1000),
  highlights: nullableText(20_000),
  objective: nullableText(20_000),
  content: nullableText(50_000),
  expectedResults: nullableText(20_000),
  formacodes: z.array(z.string().regex(/^\d{5}$/)).max(5),
  mainFormacodeLabel: nullableText(300),
  nsfSpecialities: z.array(cpfOfferNsf).max(3),
  romeCodes: z.array(z.string().regex(/^[A-Z]\d{4}$/)).max(5),
  actionCount: count,
  activeSessionCount: count,
  distanceSessionCount: count,
  /** Derived from the session counts (the catalogue has no modality column): see the format doc. */
  modality: z.enum(cpfOfferModalities).nullable(),
  hoursMin: amount,
  hoursMax: amount,
  hoursMean: amount,
  priceMin: amount,
  priceMax: amount,
  priceMean: amount,
  departmentCode: z
    .string()
    .regex(/^(\d{2,3}|2[AB])$/)
    .nullable(),
  departmentName: nullableText(120),
  regionCode: z
    .string()
    .regex(/^\d{2}$/)
    .nullable(),
  regionName: nullableText(120),
});
export type CpfOffer = z.infer<typeof cpfOffer>;
