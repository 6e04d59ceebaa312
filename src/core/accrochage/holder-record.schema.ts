import { z } from 'zod';
import { accessRoutes, FRANCE_COUNTRY_CODE, sexes } from '../candidates/candidate.schema.js';
import { modalities } from '../chain/training-session.schema.js';
import { certificationCodeError, skillBlockCodeError } from '../validators/identifiers.js';

/**
 * What the accrochage exporter needs to know about one holder of one certificate, and nothing else: the
 * Habilis-side description of one `passageCertification` of the CDC flux (docs/formats/accrochage.md maps
 * each field to its XML element). The service builds these records from the chain (candidate, deliberation,
 * certificate); the writer checks each one against this schema before writing it, so that a missing or wrong
 * field becomes a readable reason for leaving that holder out, not an invalid file.
 *
 * Error messages are written to follow the field's label: "birth place" + "missing" reads
 * "birth place missing" in the list of holders left out.
 */

/**
 * Whether XML 1.0 can carry the text: no C0 control (tab, LF and CR included: a one-line value has no use for
 * them), no DEL, no lone surrogate (UTF-8 cannot encode one), no U+FFFE / U+FFFF (non-characters).
 */
export function isXmlText(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0xfffe || c === 0xffff) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/** The length the XSD counts: characters (code points), not UTF-16 units. */
function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

const missingOr =
  (otherwise: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined || issue.input === null ? 'missing' : otherwise;

/** A one-line text of 1 to `max` characters, trimmed, that XML 1.0 can carry. */
function xmlText(max: number) {
  return z
    .string({ error: missingOr('must be text') })
    .trim()
    .min(1, 'missing (empty)')
    .refine(isXmlText, 'contains a control or invalid character')
    .refine((v) => v.length <= max || codePointLength(v) <= max, `too long (at most ${max} characters)`);
}

/** A person's name as the civil registry writes it: letters of any script, spaces, hyphens, apostrophes. */
function personName(max: number) {
  return xmlText(max)
    .transform((v) => v.replace(/\s+/g, ' '))
    .refine(
      (v) => /^\p{L}[\p{L}\p{M} '’.-]*$/u.test(v),
      'must contain only letters, spaces, hyphens and apostrophes',
    );
}

/** A date of the flux: `YYYY-MM-DD`, a real calendar day, in 1900–2099 as the XSD's pattern requires. */
const flowDate = z
  .string({ error: missingOr('must be a date as YYYY-MM-DD') })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'is not a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'is not a calendar date')
  .refine((s) => s >= '1900-01-01' && s <= '2099-12-31', 'is outside 1900–2099');

const enumOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: missingOr(`must be one of ${values.join(', ')}`) });

export const obtentionModes = ['admission', 'scoring'] as const;
export type ObtentionMode = (typeof obtentionModes)[number];

/** The jury's honours (mention), in the order of the CDC's list. */
export const honoursLevels = [
  'none',
  'fairly_good',
  'good',
  'very_good',
  'very_good_with_congratulations',
] as const;
export type HonoursLevel = (typeof honoursLevels)[number];

/** For a VAE: with the paid leave for VAE (congé VAE), or the ordinary route. */
export const vaeRoutes = ['vae_leave', 'standard'] as const;
export type VaeRoute = (typeof vaeRoutes)[number];

/** Who took the initiative of the registration: the holder, the training provider, France Travail, the employer. */
export const registrationInitiatives = [
  'holder',
  'training_provider',
  'employment_service',
  'employer',
  'other',
] as const;
export type RegistrationInitiative = (typeof registrationInitiatives)[number];

/** The CEFR level attested for a language certification; `insufficient` below A1. */
export const languageLevels = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'insufficient'] as const;
export type LanguageLevel = (typeof languageLevels)[number];

/** The INSEE code of a French commune (Corsica 2A / 2B); `99…` codes are countries. */
const inseeCommuneCode = z
  .string({ error: missingOr('must be an INSEE code') })
  .trim()
  .toUpperCase()
  .regex(/^[0-9][0-9AB][0-9]{3}$/, 'is not an INSEE commune code (5 characters, e.g. 69123 or 2A004)')
  .refine((v) => !v.startsWith('99'), 'is a country code (99…): give it as the birth country');

/** The INSEE code of a country: 99 and three digits (99100 is France, 99350 Morocco). */
const inseeCountryCode = z
  .string({ error: missingOr('must be an INSEE country code') })
  .trim()
  .regex(/^99[0-9]{3}$/, 'is not an INSEE country code (99 and 3 digits, e.g. 99350)');

/** The identity the CDC matches to a person (NIR) when it receives the passage. */
export const accrochageHolder = z
  .strictObject(
    {
      birthName: personName(60),
      usageName: personName(60).nullish(),
      /** In civil-registry order; the flux carries the first three (prenom1 to prenom3). */
      firstNames: z
        .array(personName(60), { error: missingOr('must be a list of first names') })
        .min(1, 'missing (at least one)'),
      sex: enumOf(sexes),
      birthDate: flowDate,
      /** For a birth in France: the commune's INSEE code. */
      birthPlaceCode: inseeCommuneCode.nullish(),
      birthPlaceName: xmlText(60).nullish(),
      /** For a birth abroad: the country's INSEE code (99…). 99100 (France) may go with a commune. */
      birthCountryCode: inseeCountryCode.nullish(),
      birthCountryName: xmlText(60).nullish(),
    },
    { error: missingOr('must be an object') },
  )
  .superRefine(
    (h, ctx) => {
      if (!h.birthPlaceCode && !h.birthCountryCode)
        ctx.addIssue({
          code: 'custom',
          path: ['birthPlaceCode'],
          message: 'missing (the INSEE code of the commune of birth, or the country for a birth abroad)',
        });
      else if (h.birthPlaceCode && h.birthCountryCode && h.birthCountryCode !== FRANCE_COUNTRY_CODE)
        ctx.addIssue({
          code: 'custom',
          path: ['birthCountryCode'],
          message: `contradicts the commune of birth (a commune means France, ${FRANCE_COUNTRY_CODE})`,
        });
    },
    // Run even when another identity field is wrong: a missing birth place is the commonest reason for a
    // rejection and must be listed with the rest, not after the next attempt.
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );
export type AccrochageHolder = z.output<typeof accrochageHolder>;

/**
 * One holder record: one certificate of one person, ready to become a `passageCertification`.
 * Strict: an unknown field is a mistake in the mapping that builds the record and is reported as such.
 */
export const accrochageHolderRecord = z
  .strictObject(
    {
      certificateId: z.uuid({ error: missingOr('is not a UUID') }),
      /** The certificate's number as printed (`2026-000123`); with the id it makes the idTechnique. */
      certificateNumber: z
        .string({ error: missingOr('must be text') })
        .regex(
          /^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/,
          'must be 1 to 64 letters, digits, dots, dashes or underscores',
        ),
      /** The fiche code with its register prefix (`RNCP37674`, `RS5568`); the register is read from it. */
      certificationCode: z.string({ error: missingOr('must be text') }).superRefine((v, ctx) => {
        const problem = certificationCodeError(v);
        if (problem) ctx.addIssue({ code: 'custom', message: `is not valid: ${problem}` });
      }),
      /** The option or specialty obtained, when the fiche has options (libelleOption). */
      optionTitle: xmlText(255).nullish(),
      /** The date of the award (jury's decision): the start of validity of the certification. */
      awardedOn: flowDate,
      /** The end of validity, for certifications that expire (many RS habilitations); null: no end. */
      expiresOn: flowDate.nullish(),
      obtainedBy: enumOf(obtentionModes).default('admission'),
      /** The score as the certifier expresses it (`812/1000`); required when obtained by scoring. */
      score: xmlText(255).nullish(),
      honours: enumOf(honoursLevels).nullish(),
      /** The assessment the holder passed, when known. */
      assessment: z
        .strictObject(
          {
            startsOn: flowDate.nullish(),
            endsOn: flowDate.nullish(),
            modality: enumOf(modalities).nullish(),
            /** The postal code of the assessment centre (up to 9 characters in the flux). */
            centrePostalCode: z
              .string({ error: missingOr('must be text') })
              .trim()
              .regex(/^[0-9A-Z]{1,9}$/i, 'is not a postal code (1 to 9 letters or digits)')
              .nullish(),
          },
          { error: missingOr('must be an object') },
        )
        .nullish(),
      /** How the holder came to the certification; null when unknown (sent as nil). */
      accessRoute: enumOf(accessRoutes).nullish(),
      vaeRoute: enumOf(vaeRoutes).nullish(),
      registration: z
        .strictObject(
          {
            initiative: enumOf(registrationInitiatives).nullish(),
            registeredOn: flowDate.nullish(),
          },
          { error: missingOr('must be an object') },
        )
        .nullish(),
      languageLevel: enumOf(languageLevels).nullish(),
      /** The public page that proves the certificate (Habilis' /verify/:code), sent as urlPreuve. */
      proofUrl: xmlText(255)
        .refine((v) => /^https?:\/\/[^\s/]+\.[^\s]+$/.test(v), 'is not an http(s) URL')
        .nullish(),
      /** The skill blocks validated, for a certification by blocks; empty for the whole certification. */
      skillBlockCodes: z
        .array(
          z.string({ error: missingOr('must be text') }).superRefine((v, ctx) => {
            const problem = skillBlockCodeError(v);
            if (problem) ctx.addIssue({ code: 'custom', message: `is not valid: ${problem}` });
          }),
          { error: missingOr('must be a list') },
        )
        .default([]),
      holder: accrochageHolder,
    },
    { error: missingOr('must be an object') },
  )
  .superRefine((r, ctx) => {
    if (r.obtainedBy === 'scoring' && !r.score)
      ctx.addIssue({
        code: 'custom',
        path: ['score'],
        message: 'missing (the certification is obtained by scoring)',
      });
    if (r.expiresOn && r.expiresOn <= r.awardedOn)
      ctx.addIssue({
        code: 'custom',
        path: ['expiresOn'],
        message: `is not after the award date (${r.awardedOn})`,
      });
    if (r.vaeRoute && r.accessRoute !== 'vae')
      ctx.addIssue({
        code: 'custom',
        path: ['vaeRoute'],
        message: 'is given but the access route is not VAE',
      });
    if (r.holder.birthDate >= r.awardedOn)
      ctx.addIssue({
        code: 'custom',
        path: ['holder', 'birthDate'],
        message: `is not before the award date (${r.awardedOn})`,
      });
    const a = r.assessment;
    if (a?.startsOn && a.endsOn && a.endsOn < a.startsOn)
      ctx.addIssue({
        code: 'custom',
        path: ['assessment', 'endsOn'],
        message: `is before the assessment start (${a.startsOn})`,
      });
    if (a?.startsOn && a.startsOn > r.awardedOn)
      ctx.addIssue({
        code: 'custom',
        path: ['assessment', 'startsOn'],
        message: `is after the award date (${r.awardedOn})`,
      });
    const registeredOn = r.registration?.registeredOn;
    if (registeredOn && registeredOn > r.awardedOn)
      ctx.addIssue({
        code: 'custom',
        path: ['registration', 'registeredOn'],
        message: `is after the award date (${r.awardedOn})`,
      });
  });
export type AccrochageHolderRecordInput = z.input<typeof accrochageHolderRecord>;
export type AccrochageHolderRecord = z.output<typeof accrochageHolderRecord>;

/**
 * Who deposits the flux. `clientId` and `contractId` are the certifier's identifiers at the CDC (idClient,
 * the 8-character « BCR » code, and idContrat). A trusted third party depositing for the certifier gives
 * its own idClient as `depositorClientId`; the flux then declares the deposit as TIERS_CONFIANCE.
 */
export const accrochageIssuer = z.strictObject({
  clientId: z
    .string({ error: missingOr('must be text') })
    .trim()
    .regex(/^[0-9A-Z]{8}$/, 'must be the 8-character idClient given by the CDC (e.g. 03VML243)'),
  contractId: z
    .string({ error: missingOr('must be text') })
    .trim()
    .regex(/^[0-9A-Za-z_-]{1,20}$/, 'must be the idContrat given by the CDC (1 to 20 letters or digits)'),
  depositorClientId: z
    .string({ error: missingOr('must be text') })
    .trim()
    .regex(/^[0-9A-Z]{8}$/, "must be the depositor's 8-character idClient")
    .nullish(),
});
export type AccrochageIssuerInput = z.input<typeof accrochageIssuer>;
export type AccrochageIssuer = z.output<typeof accrochageIssuer>;
