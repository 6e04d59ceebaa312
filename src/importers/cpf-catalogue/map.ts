import type { CpfOffer, CpfOfferModality } from '../../core/cpf-offers/cpf-offer.schema.js';
import { sirenOf } from '../../core/validators/identifiers.js';
import {
  cleanCertificationNumber,
  cleanPaddedCode,
  cleanSiret,
  cleanText,
  isBlank,
  type Parsed,
  parseCount,
  parseDate,
  parseEuroAmount,
  parseQuantity,
  type RowIssues,
} from '../lpof/tabular/index.js';
import type { CpfCatalogueField } from './columns.js';

type Values = Partial<Record<CpfCatalogueField, unknown>>;

/**
 * Maps one catalogue row to an offer. The offer id, the SIRET, the title and the certification (RNCP/RS
 * code or certif-info code) reject the row when unreadable: without them the offer cannot be matched to a
 * partner and a certification. Other values only warn and stay null.
 */
export function mapCpfOfferRow(values: Values, issues: RowIssues): CpfOffer | null {
  const offerId = issues.required('offerId', cleanText(values.offerId, 200), 'missing_value');
  if (offerId !== null) issues.key = offerId;
  const siret = issues.required('siret', cleanSiret(values.siret), 'invalid_siret');
  const title = issues.required('title', cleanText(values.title, 1000), 'missing_value');
  const certification = certificationOf(values, issues);
  const certifInfo = certifInfoOf(values.certifInfoCode);
  if (!certifInfo.ok) issues.reject('certifInfoCode', 'invalid_code', certifInfo.message);
  if (certification !== null && certification.code === null && certifInfo.ok && certifInfo.value === null) {
    issues.reject('rncpNumber', 'missing_certification', 'the offer names no RNCP, RS or certif-info code');
  }
  if (
    offerId === null ||
    siret === null ||
    title === null ||
    certification === null ||
    issues.rejects.length > 0
  ) {
    return null;
  }

  const text = (field: CpfCatalogueField, max: number) =>
    issues.optional(field, cleanText(values[field], max), 'invalid_code');
  const count = (field: CpfCatalogueField) =>
    issues.optional(field, parseCount(values[field]), 'invalid_number');
  const hours = (field: CpfCatalogueField) =>
    issues.optional(field, parseQuantity(values[field]), 'invalid_number');
  const price = (field: CpfCatalogueField) =>
    issues.optional(field, parseEuroAmount(values[field]), 'invalid_price');

  const activeSessionCount = count('activeSessionCount');
  const distanceSessionCount = count('distanceSessionCount');
  return {
    offerId,
    extractedOn: issues.optional('extractedOn', parseDate(values.extractedOn), 'invalid_date'),
    siret,
    siren: sirenOf(siret),
    organisationName: text('organisationName', 300),
    certificationCode: certification.code,
    register: certification.register,
    certifInfoCode: certifInfo.ok ? certifInfo.value : null,
    certificationTitle: text('certificationTitle', 1000),
    level: text('level', 300),
    title,
    highlights: text('highlights', 20_000),
    objective: text('objective', 20_000),
    content: text('content', 50_000),
    expectedResults: text('expectedResults', 20_000),
    formacodes: codes(
      values,
      issues,
      ['formacode1', 'formacode2', 'formacode3', 'formacode4', 'formacode5'],
      formacode,
    ),
    mainFormacodeLabel: text('mainFormacodeLabel', 300),
    nsfSpecialities: nsf(values, issues),
    romeCodes: codes(values, issues, ['rome1', 'rome2', 'rome3', 'rome4', 'rome5'], romeCode),
    actionCount: count('actionCount'),
    activeSessionCount,
    distanceSessionCount,
    modality: modalityOf(activeSessionCount, distanceSessionCount),
    hoursMin: hours('hoursMin'),
    hoursMax: hours('hoursMax'),
    hoursMean: hours('hoursMean'),
    priceMin: price('priceMin'),
    priceMax: price('priceMax'),
    priceMean: price('priceMean'),
    departmentCode: issues.optional(
      'departmentCode',
      cleanPaddedCode(values.departmentCode, 2, 3, /^2[AB]$/),
      'invalid_code',
    ),
    departmentName: text('departmentName', 120),
    regionCode: issues.optional('regionCode', cleanPaddedCode(values.regionCode, 2, 2), 'invalid_code'),
    regionName: text('regionName', 120),
  };
}

/**
 * The certification the offer names, with its prefix: the catalogue writes the number alone, in the
 * column of its register (`code_rncp`, or `code_inventaire`/`code_rs` for the Répertoire spécifique), and
 * says the register in `type_referentiel`. Returns null after rejecting the row when the columns disagree.
 */
function certificationOf(
  values: Values,
  issues: RowIssues,
): { code: string | null; register: 'RNCP' | 'RS' | null } | null {
  let declared: 'RNCP' | 'RS' | null = null;
  if (!isBlank(values.register)) {
    const t = String(values.register).trim().toUpperCase();
    if (t === 'RNCP' || t === 'RS') declared = t;
    else issues.warn('register', 'invalid_code', `type_referentiel is RNCP or RS, found ${t}`);
  }
  const rncp = cleanCertificationNumber(values.rncpNumber, 'RNCP');
  const rs = cleanCertificationNumber(values.rsNumber, 'RS');
  if (!rncp.ok) issues.reject('rncpNumber', 'invalid_certification_code', rncp.message);
  if (!rs.ok) issues.reject('rsNumber', 'invalid_certification_code', rs.message);
  if (!rncp.ok || !rs.ok) return null;
  const candidates = [rncp.value, rs.value].filter((c): c is string => c !== null);
  const registerOf = (code: string) => (code.startsWith('RNCP') ? 'RNCP' : 'RS');
  let code: string | null;
  if (declared !== null) {
    // The column of the declared register first; a prefixed code in the other column is accepted.
    code = candidates.find((c) => registerOf(c) === declared) ?? null;
    if (code === null && candidates.length > 0) {
      issues.reject(
        declared === 'RNCP' ? 'rncpNumber' : 'rsNumber',
        'certification_code_conflict',
        `type_referentiel says ${declared} but the offer's code is ${candidates.join(', ')}`,
      );
      return null;
    }
  } else {
    const distinct = [...new Set(candidates)];
    if (distinct.length > 1) {
      issues.reject(
        'rncpNumber',
        'certification_code_conflict',
        `two certification codes (${distinct.join(', ')}) and no type_referentiel to choose`,
      );
      return null;
    }
    code = distinct[0] ?? null;
  }
  return { code, register: code === null ? null : registerOf(code) };
}

function certifInfoOf(raw: unknown): Parsed<string | null> {
  if (isBlank(raw)) return { ok: true, value: null };
  const t = (typeof raw === 'number' ? String(raw) : String(raw).trim()).replace(/\.0+$/, '');
  if (/^0+$/.test(t) || t === '-1') return { ok: true, value: null };
  return /^\d{1,10}$/.test(t)
    ? { ok: true, value: t.replace(/^0+/, '') }
    : { ok: false, message: `a certif-info code is a number, found ${t}` };
}

function formacode(raw: unknown): Parsed<string | null> {
  const t = String(raw).trim().replace(/\.0+$/, '');
  return /^\d{5}$/.test(t) ? { ok: true, value: t } : { ok: false, message: `not a Formacode: ${t}` };
}

function romeCode(raw: unknown): Parsed<string | null> {
  const t = String(raw).trim().toUpperCase();
  return /^[A-Z]\d{4}$/.test(t) ? { ok: true, value: t } : { ok: false, message: `not a ROME code: ${t}` };
}

function codes(
  values: Values,
  issues: RowIssues,
  fields: CpfCatalogueField[],
  parse: (raw: unknown) => Parsed<string | null>,
): string[] {
  const out: string[] = [];
  for (const field of fields) {
    if (isBlank(values[field])) continue;
    const code = issues.optional(field, parse(values[field]), 'invalid_code');
    if (code !== null && !out.includes(code)) out.push(code);
  }
  return out;
}

const NSF_FIELDS = [
  ['nsfCode1', 'nsfLabel1'],
  ['nsfCode2', 'nsfLabel2'],
  ['nsfCode3', 'nsfLabel3'],
] as const;

function nsf(values: Values, issues: RowIssues): CpfOffer['nsfSpecialities'] {
  const out: CpfOffer['nsfSpecialities'] = [];
  for (const [codeField, labelField] of NSF_FIELDS) {
    let code: string | null = null;
    if (!isBlank(values[codeField])) {
      const t = String(values[codeField]).trim().toLowerCase().replace(/\.0+$/, '');
      if (/^\d{3}[a-z]?$/.test(t)) code = t;
      else issues.warn(codeField, 'invalid_code', `not an NSF code: ${t}`);
    }
    const label = issues.optional(labelField, cleanText(values[labelField], 300), 'invalid_code');
    if (code !== null || label !== null) out.push({ code, label });
  }
  return out;
}

/**
 * The catalogue has no modality column: it is derived from the session counts. No active session, or
 * unknown counts: null. All sessions at a distance: `distance`; none: `on_site`; some: `mixed`.
 */
export function modalityOf(active: number | null, distance: number | null): CpfOfferModality | null {
  if (active === null || distance === null || active === 0) return null;
  if (distance === 0) return 'on_site';
  return distance >= active ? 'distance' : 'mixed';
}
