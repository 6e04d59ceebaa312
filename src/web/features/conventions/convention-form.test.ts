import { describe, expect, it } from 'vitest';
import { conventionInput } from '../../../core/conventions/convention.schema.js';
import { emptyConventionValues, formatCents, parseEuros, toConventionInput } from './convention-form.js';

const org = '11111111-1111-4111-8111-111111111111';
const cert = '22222222-2222-4222-8222-222222222222';

describe('convention form', () => {
  it('reads euros typed the French or the English way as whole cents', () => {
    expect(parseEuros('120')).toBe(12_000);
    expect(parseEuros('120,5')).toBe(12_050);
    expect(parseEuros('1 200,50 €')).toBe(120_050);
    expect(parseEuros('1200.05')).toBe(120_005);
    expect(parseEuros('')).toBeNull();
    expect(parseEuros('12,345')).toBeNaN();
    expect(parseEuros('-5')).toBeNaN();
    expect(parseEuros('cent')).toBeNaN();
  });

  it('shows cents as euros in the UI language', () => {
    expect(formatCents(12_050, 'fr').replace(/\s/g, ' ')).toBe('120,50 €');
    expect(formatCents(12_050, 'en')).toBe('€120.50');
    expect(formatCents(null, 'fr')).toBe('');
  });

  it('builds an input the shared schema accepts, and names a fee that is not an amount', () => {
    const values = {
      ...emptyConventionValues(org, '2026-05-01'),
      reference: 'CONV-2026-014',
      certificationIds: [cert],
      feePerCandidate: '150',
    };
    const { input, issues } = toConventionInput(values);
    expect(issues).toEqual([]);
    expect(input).toMatchObject({
      feePerCandidateCents: 15_000,
      annualFeeCents: null,
      startsOn: '2026-05-01',
    });
    expect(conventionInput.safeParse(input).success).toBe(true);
    expect(toConventionInput({ ...values, annualFee: 'mille' }).issues).toEqual(['annualFee']);
  });
});
