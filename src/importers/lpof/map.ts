import type { LpofOrganisation, LpofSpeciality } from '../../core/lpof/lpof-organisation.schema.js';
import type { qualiopiCategories } from '../../core/organisations/organisation.schema.js';
import { sirenOf } from '../../core/validators/identifiers.js';
import type { LpofField } from './columns.js';
import {
  cleanDigits,
  cleanNda,
  cleanPaddedCode,
  cleanPostalCode,
  cleanSiret,
  cleanText,
  isBlank,
  parseBoolean,
  parseCount,
  parseDate,
  type RowIssues,
} from './tabular/index.js';

type Values = Partial<Record<LpofField, unknown>>;
type QualiopiCategory = (typeof qualiopiCategories)[number];

const QUALIOPI_COLUMNS: Array<[LpofField, QualiopiCategory]> = [
  ['qualiopiTraining', 'training'],
  ['qualiopiSkillsAssessment', 'skills_assessment'],
  ['qualiopiVae', 'vae'],
  ['qualiopiApprenticeship', 'apprenticeship'],
];

/**
 * Maps one LPOF row to an organisation record. The NDA (the list's key), the SIRET (how Habilis finds
 * the organisation), the name and the four Qualiopi flags reject the row when unreadable: a row read with
 * a wrong Qualiopi flag would raise a false « lost Qualiopi » finding. Other values only warn and stay null.
 */
export function mapLpofRow(values: Values, issues: RowIssues): LpofOrganisation | null {
  const nda = issues.required('nda', cleanNda(values.nda), 'invalid_nda');
  if (nda !== null) issues.key = nda;
  const siret = issues.required('siret', cleanSiret(values.siret), 'invalid_siret');
  const legalName = issues.required('legalName', cleanText(values.legalName, 300), 'missing_value');

  const qualiopi: QualiopiCategory[] = [];
  for (const [field, category] of QUALIOPI_COLUMNS) {
    const flag = parseBoolean(values[field]);
    if (!flag.ok) issues.reject(field, 'invalid_boolean', flag.message);
    else if (flag.value === true) qualiopi.push(category);
  }
  if (nda === null || siret === null || legalName === null || issues.rejects.length > 0) return null;

  // The file's SIREN column is redundant with the SIRET: kept only as a cross-check.
  const siren = sirenOf(siret);
  const declaredSiren = cleanDigits(values.siren, 9);
  if (!declaredSiren.ok) issues.warn('siren', 'siren_mismatch', declaredSiren.message);
  else if (declaredSiren.value !== null && declaredSiren.value !== siren) {
    issues.warn('siren', 'siren_mismatch', `SIREN ${declaredSiren.value} is not the SIRET's (${siren})`);
  }

  return {
    nda,
    previousNdas: previousNdas(values.previousNdas, nda, issues),
    legalName,
    siret,
    siren,
    addressLine: issues.optional('addressLine', cleanText(values.addressLine, 300), 'invalid_code'),
    postalCode: issues.optional('postalCode', cleanPostalCode(values.postalCode), 'invalid_code'),
    city: issues.optional('city', cleanText(values.city, 120), 'invalid_code'),
    regionCode: issues.optional('regionCode', cleanPaddedCode(values.regionCode, 2, 2), 'invalid_code'),
    qualiopiCategories: qualiopi,
    foreignOrganisation: foreignOrganisation(values, issues),
    lastDeclarationOn: issues.optional(
      'lastDeclarationOn',
      parseDate(values.lastDeclarationOn),
      'invalid_date',
    ),
    fiscalYearStart: issues.optional('fiscalYearStart', parseDate(values.fiscalYearStart), 'invalid_date'),
    fiscalYearEnd: issues.optional('fiscalYearEnd', parseDate(values.fiscalYearEnd), 'invalid_date'),
    specialities: specialities(values, issues),
    traineeCount: issues.optional('traineeCount', parseCount(values.traineeCount), 'invalid_number'),
    traineesFromOtherOrganisationsCount: issues.optional(
      'traineesFromOtherOrganisationsCount',
      parseCount(values.traineesFromOtherOrganisationsCount),
      'invalid_number',
    ),
    trainerCount: issues.optional('trainerCount', parseCount(values.trainerCount), 'invalid_number'),
  };
}

/**
 * `numerosDeclarationActivitePrecedent` may list several NDAs, comma-separated or only spaced: each run of
 * digits and spaces is compacted, and a run of 22 or 33 digits is several NDAs side by side.
 */
function previousNdas(raw: unknown, nda: string, issues: RowIssues): string[] {
  if (isBlank(raw)) return [];
  const out: string[] = [];
  for (const part of String(raw).split(/[^\d\s.\u00a0\u202f]+/)) {
    const digits = cleanDigits(part, 11);
    if (!digits.ok || digits.value === null || digits.value === '') continue;
    const run = digits.value;
    if (run.length % 11 !== 0) {
      issues.warn('previousNdas', 'invalid_nda', `an NDA has exactly 11 digits: ${part.trim()}`);
      continue;
    }
    for (let i = 0; i < run.length; i += 11) {
      const previous = run.slice(i, i + 11);
      if (previous !== nda && !out.includes(previous)) out.push(previous);
    }
  }
  return out;
}

function foreignOrganisation(values: Values, issues: RowIssues): LpofOrganisation['foreignOrganisation'] {
  const foreign = {
    name: issues.optional('foreignName', cleanText(values.foreignName, 300), 'invalid_code'),
    addressLine: issues.optional(
      'foreignAddressLine',
      cleanText(values.foreignAddressLine, 300),
      'invalid_code',
    ),
    postalCode: issues.optional('foreignPostalCode', cleanText(values.foreignPostalCode, 20), 'invalid_code'),
    city: issues.optional('foreignCity', cleanText(values.foreignCity, 120), 'invalid_code'),
    country: issues.optional('foreignCountry', cleanText(values.foreignCountry, 120), 'invalid_code'),
  };
  return Object.values(foreign).some((v) => v !== null) ? foreign : null;
}

const SPECIALITY_FIELDS = [
  ['specialityCode1', 'specialityLabel1'],
  ['specialityCode2', 'specialityLabel2'],
  ['specialityCode3', 'specialityLabel3'],
] as const;

function specialities(values: Values, issues: RowIssues): LpofSpeciality[] {
  const out: LpofSpeciality[] = [];
  for (const [codeField, labelField] of SPECIALITY_FIELDS) {
    const rawCode = cleanText(values[codeField], 10);
    let code = rawCode.ok && rawCode.value !== null ? rawCode.value.toLowerCase() : null;
    // A number-typed column drops nothing here (NSF codes start at 100), but may add `.0`.
    if (code !== null) code = code.replace(/\.0+$/, '');
    if (code !== null && !/^\d{3}[a-z]?$/.test(code)) {
      issues.warn(codeField, 'invalid_code', `not an NSF code: ${code}`);
      code = null;
    } else if (!rawCode.ok) issues.warn(codeField, 'invalid_code', rawCode.message);
    const label = issues.optional(labelField, cleanText(values[labelField], 300), 'invalid_code');
    if (code !== null || label !== null) out.push({ code, label });
  }
  return out;
}
