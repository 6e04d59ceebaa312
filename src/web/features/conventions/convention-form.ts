import type { ConventionInput } from '../../../core/conventions/convention.schema.js';

export interface ConventionFormValues {
  organisationId: string | null;
  reference: string;
  certificationIds: string[];
  startsOn: string | null;
  endsOn: string | null;
  /** Euros as typed: "120", "120,50", "1 200". */
  feePerCandidate: string;
  annualFee: string;
}

export const conventionFormFields: readonly string[] = [
  'organisationId',
  'reference',
  'certificationIds',
  'startsOn',
  'endsOn',
  'feePerCandidate',
  'annualFee',
];

export const emptyConventionValues = (
  organisationId: string | null,
  today: string,
): ConventionFormValues => ({
  organisationId,
  reference: '',
  certificationIds: [],
  startsOn: today,
  endsOn: null,
  feePerCandidate: '',
  annualFee: '',
});

/**
 * Euros as a French or English user types them ("1 200,50", "1200.5", "120 €") → whole cents; null when
 * empty, NaN when it is not an amount (more than two decimals, letters, a sign).
 */
export function parseEuros(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f€]/g, '');
  if (compact === '') return null;
  const match = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!match) return Number.NaN;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** 12050 → "120,50 €" (French) or "€120.50" (English). */
export function formatCents(cents: number | null, language: string): string {
  if (cents === null) return '';
  return new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'fr-FR', {
    style: 'currency',
    currency: 'EUR',
  }).format(cents / 100);
}

/** The body of POST /api/conventions, with the fee fields that are not amounts named. */
export function toConventionInput(values: ConventionFormValues): {
  input: ConventionInput;
  issues: Array<'feePerCandidate' | 'annualFee'>;
} {
  const issues: Array<'feePerCandidate' | 'annualFee'> = [];
  const fee = (field: 'feePerCandidate' | 'annualFee') => {
    const cents = parseEuros(values[field]);
    if (Number.isNaN(cents)) issues.push(field);
    return cents === null || Number.isNaN(cents) ? null : cents;
  };
  const input: ConventionInput = {
    organisationId: values.organisationId ?? '',
    reference: values.reference,
    certificationIds: values.certificationIds,
    startsOn: values.startsOn ?? '',
    endsOn: values.endsOn,
    feePerCandidateCents: fee('feePerCandidate'),
    annualFeeCents: fee('annualFee'),
  };
  return { input, issues };
}
