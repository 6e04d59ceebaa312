import type { TFunction } from 'i18next';
import type { ApiError } from '../../api/client.js';
import { type FieldErrors, translateFieldMessage } from '../../forms/field-errors.js';
import type { fr } from '../../i18n/fr.js';

type NetworkKey = keyof typeof fr.networkValidation;

/**
 * The reasons the habilitation and convention schemas and services give (in English), mapped to UI keys.
 * Anything else goes to the shared table of forms/field-errors.ts, and an unknown reason shows as sent.
 */
const exact: Record<string, NetworkKey> = {
  'must not be before startsOn': 'beforeStart',
  'overlaps an existing habilitation of the same scope': 'overlap',
  'name at least one skill block when coversAllSkillBlocks is false': 'atLeastOneBlock',
  'a convention covers at least one certification': 'atLeastOneCertification',
  'unknown skill block': 'unknownSkillBlock',
  'unknown certification': 'unknownCertification',
  'appears twice': 'appearsTwice',
  'unknown site': 'unknownSite',
  'a site is named twice': 'siteTwice',
  'letters, digits, spaces and . _ / - only': 'referenceChars',
};

const patterns: Array<[RegExp, NetworkKey]> = [
  [/^must not be after today/, 'notInFuture'],
  [/is not a skill block of/, 'unknownSkillBlock'],
  [/is not a site of/, 'foreignSite'],
  [/^already exists/, 'alreadyExists'],
];

/** The UI key of a habilitation or convention reason, or null when it is not one of theirs. */
export function networkMessageKey(message: string): NetworkKey | null {
  const known = exact[message];
  if (known) return known;
  for (const [pattern, key] of patterns) if (pattern.test(message)) return key;
  return null;
}

/** A field's reason in the UI's language, for the network's forms. */
export function translateNetworkMessage(message: string, t: TFunction<'translation'>): string {
  const key = networkMessageKey(message);
  return key ? t(`networkValidation.${key}`) : translateFieldMessage(message, t);
}

/**
 * Field errors keyed by the form's own field names: a list element (`skillBlockIds/2`) is shown on its
 * list (`skillBlockIds`), first message per field.
 */
export function networkFieldErrors(
  issues: ReadonlyArray<{ field: string; message: string }>,
  t: TFunction<'translation'>,
): FieldErrors {
  const errors: FieldErrors = {};
  for (const { field, message } of issues) {
    const name = field.replace(/\/\d+$/, '');
    errors[name] ??= translateNetworkMessage(message, t);
  }
  return errors;
}

/** The issues of a Zod error or an API error, as `{ field, message }` with `a/0/b` paths. */
export function issuesOf(
  error: ApiError | { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> },
): Array<{ field: string; message: string }> {
  if ('fields' in error) return error.fields;
  return error.issues.map((i) => ({
    field: i.path.length ? i.path.map(String).join('/') : '(body)',
    message: i.message,
  }));
}
