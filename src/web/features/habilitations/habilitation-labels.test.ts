import { describe, expect, it } from 'vitest';
import { habilitationStatuses, habilitationTransitions } from '../../../core/habilitations/lifecycle.js';
import { decisionTone, orderedDecisions } from './habilitation-labels.js';

describe('habilitation decisions offered', () => {
  it('offers exactly the moves of the lifecycle table, for every status', () => {
    for (const status of habilitationStatuses) {
      const allowed = habilitationTransitions[status];
      expect([...orderedDecisions(allowed)].sort()).toEqual([...allowed].sort());
    }
  });

  it('puts forward moves first and marks the ones that take rights away', () => {
    expect(orderedDecisions(habilitationTransitions.review)).toEqual(['active', 'application', 'ended']);
    expect(orderedDecisions(habilitationTransitions.active)[0]).toBe('under_watch');
    expect(decisionTone('active')).toBe('primary');
    expect(decisionTone('suspended')).toBe('danger');
    expect(decisionTone('withdrawn')).toBe('danger');
    expect(decisionTone('ended')).toBe('neutral');
  });
});
