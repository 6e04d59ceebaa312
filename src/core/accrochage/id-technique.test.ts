import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accrochageIdTechnique, parseAccrochageIdTechnique } from './id-technique.js';

const certificateNumber = fc.stringMatching(/^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/);

describe('accrochageIdTechnique', () => {
  it('is the number then the id', () => {
    expect(accrochageIdTechnique({ id: '6F1C2B9E-4D3A-4E8B-9C1D-2A3B4C5D6E7F', number: '2026-000123' })).toBe(
      '2026-000123-6f1c2b9e-4d3a-4e8b-9c1d-2a3b4c5d6e7f',
    );
  });

  it('is stable, fits the XSD (1 to 255 plain characters) and reads back to its certificate', () => {
    fc.assert(
      fc.property(fc.uuid(), certificateNumber, (id, number) => {
        const made = accrochageIdTechnique({ id, number });
        expect(accrochageIdTechnique({ id, number })).toBe(made);
        expect(made.length).toBeGreaterThanOrEqual(1);
        expect(made.length).toBeLessThanOrEqual(255);
        expect(made).toMatch(/^[0-9A-Za-z._-]+$/);
        expect(parseAccrochageIdTechnique(made)).toEqual({ id: id.toLowerCase(), number });
      }),
    );
  });

  it('differs for two certificates, even with the same number', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), certificateNumber, certificateNumber, (a, b, na, nb) => {
        fc.pre(a.toLowerCase() !== b.toLowerCase());
        expect(accrochageIdTechnique({ id: a, number: na })).not.toBe(
          accrochageIdTechnique({ id: b, number: nb }),
        );
      }),
    );
  });

  it('refuses what it cannot carry', () => {
    expect(() => accrochageIdTechnique({ id: 'not-a-uuid', number: '2026-000001' })).toThrow(RangeError);
    expect(() =>
      accrochageIdTechnique({ id: '6f1c2b9e-4d3a-4e8b-9c1d-2a3b4c5d6e7f', number: '2026 000001' }),
    ).toThrow(RangeError);
  });
});

describe('parseAccrochageIdTechnique', () => {
  it('is undefined for ids made elsewhere', () => {
    expect(parseAccrochageIdTechnique('JURY-2026-02-0001')).toBeUndefined();
    expect(parseAccrochageIdTechnique('6f1c2b9e-4d3a-4e8b-9c1d-2a3b4c5d6e7f')).toBeUndefined();
  });
});
