import type { TFunction } from 'i18next';
import type { z } from 'zod';
import type { ApiError } from '../api/client.js';
import type { fr } from '../i18n/fr.js';

export type ValidationKey = keyof typeof fr.validation;

interface KnownMessage {
  key: ValidationKey;
  values?: Record<string, string>;
}

/**
 * The reasons src/core's schemas and services give, in English, mapped to UI keys. The same messages come
 * from the browser's own check (the shared Zod schemas) and from the server's problem+json, so one table
 * translates both.
 */
const exactMessages: Record<string, ValidationKey> = {
  'must not be empty': 'notEmpty',
  'expected a date as YYYY-MM-DD': 'dateFormat',
  'not a calendar date': 'notCalendarDate',
  'a SIRET has exactly 14 digits': 'siretDigits',
  'invalid SIRET (Luhn checksum)': 'siretChecksum',
  'invalid SIRET (La Poste digit sum)': 'siretLaPoste',
  'a SIREN has exactly 9 digits': 'sirenDigits',
  'invalid SIREN (Luhn checksum)': 'sirenChecksum',
  'an NDA has exactly 11 digits': 'ndaDigits',
  'a French postal code has 5 digits': 'postalCode',
  'not a phone number': 'phone',
  'at least 12 characters': 'passwordLength',
  'at most 256 characters': 'passwordMaxLength',
  'use at least three of: lower case, upper case, digits, other characters': 'passwordKinds',
  'must not contain the e-mail name': 'passwordContainsEmail',
  'a partner user belongs to an organisation': 'partnerNeedsOrganisation',
  'only partner users belong to an organisation': 'onlyPartnerHasOrganisation',
  'already used': 'alreadyUsed',
  'already registered': 'alreadyRegistered',
  'not the invited address': 'notInvitedAddress',
  'wrong password': 'wrongPassword',
  'cannot cross between partner and certifier roles': 'roleCrossing',
  'own account': 'ownAccount',
  'unknown field': 'unknownField',
  // Invitations and requests to partners (src/services/invitation.service.ts, partner-request.service.ts).
  'already invited': 'alreadyInvited',
  'the due date is already past': 'dueDatePast',
  'belongs to another organisation': 'otherOrganisation',
  'write an answer or attach a file': 'answerEmpty',
  'no such file': 'noSuchFile',
  // The chain: candidates' identity, assessment sessions, results, juries (src/core/candidates, chain, juries;
  // src/services/assessment.service.ts, jury.service.ts). The server's reasons, not per form: every form of
  // the chain reads its field errors through this table.
  'an INSEE commune code has 5 characters, e.g. 69123 or 2A004': 'inseeCommune',
  'an INSEE country code is 99 followed by 3 digits, e.g. 99350': 'inseeCountry',
  'a code starting with 99 is a country: give it as birthCountryCode': 'countryCodeAsCommune',
  'give the commune of birth (INSEE code) or, for a birth abroad, birthCountryCode': 'birthPlaceMissing',
  'a birth date after 1900': 'birthDateAfter1900',
  'a commune of birth means born in France (99100)': 'communeMeansFrance',
  'letters, spaces, hyphens and apostrophes only': 'nameLetters',
  'must not be in the future': 'notInFuture',
  'give the reason (at least 10 characters)': 'reasonRequired',
  'at least one candidate': 'atLeastOneCandidate',
  'at least one result': 'atLeastOneResult',
  'must not be negative': 'notNegative',
  'a score needs the maximum it is out of': 'scoreNeedsMax',
  'an absent candidate has no score': 'absentNoScore',
  'name the skill block or the assessment task the result is for': 'resultTarget',
  'name the skill blocks validated': 'blocksRequired',
  'skill blocks are listed only for a certification by blocks': 'blocksOnlyByBlocks',
  'not a skill block of this certification': 'notSkillBlock',
  'a jury has one president': 'onePresident',
  'a declared conflict of interest says what it is': 'conflictDescribed',
  'president with a conflict of interest': 'presidentConflict',
  'no president': 'noPresident',
  'no deliberation': 'noDeliberation',
  'already deliberated by this jury': 'alreadyDeliberated',
  'appears twice': 'appearsTwice',
  'same person already registered': 'samePersonRegistered',
  'name the partner that runs the session': 'namePartner',
  'the session is held': 'sessionHeld',
  'the session is cancelled': 'sessionCancelled',
  'must be the 8-character idClient given by the CDC (e.g. 03VML243)': 'cdcClientId',
  'must be the idContrat given by the CDC (1 to 20 letters or digits)': 'cdcContractId',
  'Invalid email address': 'email',
  'Invalid URL': 'url',
  'Invalid UUID': 'uuid',
};

/** Zod's own default messages, which carry the limit in their text. */
const patterns: Array<[RegExp, (m: RegExpExecArray) => KnownMessage]> = [
  [/^Too small: expected string to have >=1 characters?$/, () => ({ key: 'required' })],
  [
    /^Too big: expected string to have <=(\d+) characters?$/,
    (m) => ({ key: 'tooLong', values: { max: m[1] ?? '' } }),
  ],
  [
    /^Too small: expected string to have >=(\d+) characters?$/,
    (m) => ({ key: 'tooShort', values: { min: m[1] ?? '' } }),
  ],
  [/^(.+) is not an evaluator$/, (m) => ({ key: 'notAnEvaluator', values: { name: m[1] ?? '' } })],
  [/^already issued as (.+)$/, (m) => ({ key: 'alreadyIssuedAs', values: { number: m[1] ?? '' } })],
  [/^on certificate (.+)$/, (m) => ({ key: 'onCertificate', values: { numbers: m[1] ?? '' } })],
  [
    /^the identity is on certificate (.+): say why it is corrected$/,
    (m) => ({ key: 'identityOnCertificate', values: { numbers: m[1] ?? '' } }),
  ],
  [/^Too big/, () => ({ key: 'tooBig' })],
  [/^Too small/, () => ({ key: 'tooSmall' })],
  [/^Invalid input: expected \w+, received undefined$/, () => ({ key: 'required' })],
  [/^Unrecognized keys?/, () => ({ key: 'unknownField' })],
  [/^Invalid/, () => ({ key: 'invalid' })],
];

/** The UI key for a validation message from src/core or Zod, or null when the message is not known. */
export function knownMessageOf(message: string): KnownMessage | null {
  const exact = exactMessages[message];
  if (exact) return { key: exact };
  for (const [pattern, toKey] of patterns) {
    const m = pattern.exec(message);
    if (m) return toKey(m);
  }
  return null;
}

/** A field's reason in the UI's language; an unknown reason is shown as the server gave it. */
export function translateFieldMessage(message: string, t: TFunction<'translation'>): string {
  const known = knownMessageOf(message);
  if (!known) return message;
  // The key is chosen at run time, so i18next cannot type its placeholders; the table above fills them.
  const translate = t as unknown as (key: string, values?: Record<string, string>) => string;
  return translate(`validation.${known.key}`, known.values);
}

/** Field name → message to show under its input. Paths are `a/0/b`, as the API names them. */
export type FieldErrors = Record<string, string>;

/** The issues of a failed `safeParse`, first message per field, translated. */
export function fieldErrorsFromZod(error: z.ZodError, t: TFunction<'translation'>): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length ? issue.path.map(String).join('/') : '(body)';
    errors[field] ??= translateFieldMessage(issue.message, t);
  }
  return errors;
}

/** The `errors` of a problem+json answer, first message per field, translated. */
export function fieldErrorsFromApi(error: ApiError, t: TFunction<'translation'>): FieldErrors {
  const errors: FieldErrors = {};
  for (const { field, message } of error.fields) errors[field] ??= translateFieldMessage(message, t);
  return errors;
}

/**
 * Splits field errors into those the form can show under an input and the rest (a field the form does not
 * have, or the body as a whole), which it lists above the form so nothing is silently dropped.
 */
export function splitFieldErrors(
  errors: FieldErrors,
  formFields: readonly string[],
): { inline: FieldErrors; other: string[] } {
  const inline: FieldErrors = {};
  const other: string[] = [];
  for (const [field, message] of Object.entries(errors)) {
    if (formFields.includes(field)) inline[field] = message;
    else other.push(field === '(body)' ? message : `${field} — ${message}`);
  }
  return { inline, other };
}
