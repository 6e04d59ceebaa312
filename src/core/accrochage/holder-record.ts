import type { FieldIssue } from '../errors.js';
import { type AccrochageHolderRecord, accrochageHolderRecord } from './holder-record.schema.js';

/** Readable names of the record's fields, by path (`*` for any list index). */
const fieldLabels: Record<string, string> = {
  '': 'record',
  certificateId: 'certificate id',
  certificateNumber: 'certificate number',
  certificationCode: 'certification code',
  optionTitle: 'option title',
  awardedOn: 'award date',
  expiresOn: 'end of validity',
  obtainedBy: 'obtention mode',
  score: 'score',
  honours: 'honours',
  assessment: 'assessment',
  'assessment.startsOn': 'assessment start date',
  'assessment.endsOn': 'assessment end date',
  'assessment.modality': 'assessment modality',
  'assessment.centrePostalCode': 'assessment centre postal code',
  accessRoute: 'access route',
  vaeRoute: 'VAE route',
  registration: 'registration',
  'registration.initiative': 'registration initiative',
  'registration.registeredOn': 'registration date',
  languageLevel: 'language level',
  proofUrl: 'proof URL',
  skillBlockCodes: 'skill blocks',
  'skillBlockCodes.*': 'skill block code',
  holder: 'holder identity',
  'holder.birthName': 'birth name',
  'holder.usageName': 'usage name',
  'holder.firstNames': 'first names',
  'holder.firstNames.*': 'first name',
  'holder.sex': 'sex',
  'holder.birthDate': 'birth date',
  'holder.birthPlaceCode': 'birth place',
  'holder.birthPlaceName': 'birth commune name',
  'holder.birthCountryCode': 'birth country',
  'holder.birthCountryName': 'birth country name',
};

/** One thing wrong with a record: the field's path, its readable label, and what is wrong with it. */
export interface AccrochageFieldIssue extends FieldIssue {
  /** `birth place`, `award date`…: what a person calls the field. */
  label: string;
}

/** A holder left out of a flux, and why. `index` is the record's position in the input (0-based). */
export interface LeftOutHolder {
  index: number;
  certificateId: string | null;
  certificateNumber: string | null;
  /** `EXEMPLE Camille (certificate 2026-000123)`, or what could be read of it. */
  holder: string;
  issues: AccrochageFieldIssue[];
  /** One line per issue, prefixed with the holder: `EXEMPLE Camille (certificate 2026-000123): birth place missing`. */
  messages: string[];
}

export type HolderRecordCheck =
  | { ok: true; record: AccrochageHolderRecord }
  | { ok: false; leftOut: LeftOutHolder };

const asText = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/**
 * Names the holder of a record as well as the record allows, even a broken one, for messages:
 * `EXEMPLE Camille (certificate 2026-000123)`, `certificate 2026-000123`, or `record #4`.
 */
export function describeHolder(input: unknown, index: number): string {
  const r = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const h = (typeof r.holder === 'object' && r.holder !== null ? r.holder : {}) as Record<string, unknown>;
  const firstNames = Array.isArray(h.firstNames) ? asText(h.firstNames[0]) : null;
  const name = [asText(h.birthName), firstNames].filter(Boolean).join(' ');
  const number = asText(r.certificateNumber);
  const certificate = number ? `certificate ${number}` : `record #${index + 1}`;
  return name ? `${name} (${certificate})` : certificate;
}

/** `holder.firstNames.2` → `first name`; an unknown path is its own label. */
export function fieldLabel(path: readonly PropertyKey[]): string {
  const key = path.map((p) => (typeof p === 'number' ? '*' : String(p))).join('.');
  return fieldLabels[key] ?? key;
}

/**
 * Checks one holder record against the schema and, when it is wrong, describes every problem field by field
 * in words a certifier's staff can act on ("EXEMPLE Camille (certificate 2026-000123): birth place missing").
 * Also refuses a record validated only by skill blocks: the 1.1.2 flux has no element for blocks and
 * describes a whole certification (docs/formats/accrochage.md, uncertainties).
 *
 * @example
 * const check = checkHolderRecord(row, 0);
 * if (!check.ok) console.log(check.leftOut.messages.join('\n'));
 */
export function checkHolderRecord(input: unknown, index: number): HolderRecordCheck {
  const parsed = accrochageHolderRecord.safeParse(input);
  let issues: AccrochageFieldIssue[];
  if (parsed.success) {
    if (parsed.data.skillBlockCodes.length === 0) return { ok: true, record: parsed.data };
    issues = [
      {
        field: 'skillBlockCodes',
        label: fieldLabel(['skillBlockCodes']),
        message: `show a certification by blocks only (${parsed.data.skillBlockCodes.join(', ')}): the accrochage flux describes a whole certification, so it is not sent`,
      },
    ];
  } else {
    issues = [];
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const path = [...issue.path, key];
          issues.push({
            field: path.join('.'),
            label: fieldLabel(path),
            message: 'is not a field of a holder record',
          });
        }
        continue;
      }
      issues.push({
        field: issue.path.map(String).join('.'),
        label: fieldLabel(issue.path),
        message: issue.message,
      });
    }
  }
  const r = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const holder = describeHolder(input, index);
  return {
    ok: false,
    leftOut: {
      index,
      certificateId: asText(r.certificateId),
      certificateNumber: asText(r.certificateNumber),
      holder,
      issues,
      messages: issues.map((i) => `${holder}: ${i.label} ${i.message}`),
    },
  };
}

/**
 * Splits first names as people type them into the list the record wants: on commas when there are any
 * (`Jean Pierre, Marie` keeps `Jean Pierre` whole), else on spaces. Hyphenated names stay whole.
 *
 * @example splitFirstNames('Camille Marie') // ['Camille', 'Marie']
 */
export function splitFirstNames(text: string): string[] {
  const parts = text.includes(',') ? text.split(',') : text.split(/\s+/);
  return parts.map((p) => p.trim().replace(/\s+/g, ' ')).filter((p) => p !== '');
}
