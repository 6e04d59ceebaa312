import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.js';
import { decisionRefusalOf } from './decision-refusal.js';

describe('decisionRefusalOf', () => {
  it('recognises the missing signed convention (named on toStatus by the service)', () => {
    const error = new ApiError(
      'conflict',
      409,
      'no signed convention',
      [{ field: 'toStatus', message: 'no signed convention in force covers this certification' }],
      { from: 'review', to: 'active', day: '2026-05-01' },
    );
    expect(decisionRefusalOf(error)).toEqual({ kind: 'noConvention' });
  });

  it('recognises an ended period and a move the lifecycle forbids', () => {
    expect(
      decisionRefusalOf(
        new ApiError('conflict', 409, '', [], { from: 'suspended', to: 'active', endsOn: '2026-01-31' }),
      ),
    ).toEqual({ kind: 'periodEnded', endsOn: '2026-01-31' });
    expect(
      decisionRefusalOf(
        new ApiError('conflict', 409, '', [{ field: 'toStatus', message: 'not allowed from withdrawn' }], {
          from: 'withdrawn',
          to: 'active',
          allowed: [],
        }),
      ),
    ).toEqual({ kind: 'notAllowed', from: 'withdrawn', to: 'active' });
  });

  it('recognises an overlapping habilitation', () => {
    const error = new ApiError('conflict', 409, '', [
      { field: 'startsOn', message: 'overlaps an existing habilitation of the same scope' },
    ]);
    expect(decisionRefusalOf(error)).toEqual({ kind: 'overlap' });
  });

  it('leaves any other failure to the generic error', () => {
    expect(
      decisionRefusalOf(new ApiError('validation_failed', 400, '', [{ field: 'reasons', message: 'x' }])),
    ).toBeNull();
    expect(decisionRefusalOf(new ApiError('conflict', 409, 'something else'))).toBeNull();
    expect(decisionRefusalOf(new Error('boom'))).toBeNull();
  });
});
