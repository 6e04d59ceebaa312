import { describe, expect, it } from 'vitest';
import {
  correctiveActionTransitionError,
  findingStatuses,
  findingTransitionError,
  findingTransitions,
  isReopening,
} from './finding-status.js';

describe('finding status transitions', () => {
  it('follows the normal life of a finding, step by step', () => {
    const life = ['open', 'qualified', 'action_requested', 'action_submitted', 'verified', 'closed'] as const;
    for (let i = 1; i < life.length; i++) {
      const moves = {
        qualified: 'qualify',
        action_requested: 'request',
        action_submitted: 'answer',
        verified: 'verify',
        closed: 'review',
      } as const;
      const move = moves[life[i] as keyof typeof moves];
      expect(findingTransitionError(life[i - 1]!, life[i]!, move), `${life[i - 1]} → ${life[i]}`).toBeNull();
    }
  });

  it('refuses skipping steps and names the allowed next statuses', () => {
    expect(findingTransitionError('open', 'verified', 'review')).toBe(
      'a finding cannot go from open to verified (from open: qualified, escalated, closed)',
    );
    expect(findingTransitionError('qualified', 'action_submitted', 'review')).toMatch(
      /cannot go from qualified/,
    );
  });

  it('lets only the partner’s answer submit an action, and the answer do nothing else', () => {
    expect(findingTransitionError('action_requested', 'action_submitted', 'review')).toMatch(
      /when the partner submits a corrective action/,
    );
    expect(findingTransitionError('action_requested', 'escalated', 'answer')).toMatch(/only submit/);
  });

  it('escalates any live finding, and re-opens a verified or closed one', () => {
    for (const from of ['open', 'qualified', 'action_requested', 'action_submitted'] as const)
      expect(findingTransitionError(from, 'escalated', 'review'), from).toBeNull();
    expect(findingTransitionError('closed', 'escalated', 'review')).not.toBeNull();
    expect(findingTransitionError('closed', 'open', 'review')).toBeNull();
    expect(isReopening('closed', 'open')).toBe(true);
    expect(isReopening('verified', 'open')).toBe(true);
    expect(isReopening('escalated', 'action_requested')).toBe(false);
  });

  it('reaches qualified, action_requested and verified only through their own step', () => {
    expect(findingTransitionError('open', 'qualified', 'review')).toBe(
      'a finding becomes qualified through its own step: qualify it (severity and root cause)',
    );
    expect(findingTransitionError('qualified', 'action_requested', 'review')).toMatch(/due date/);
    expect(findingTransitionError('action_submitted', 'verified', 'review')).toMatch(/effectiveness/);
    expect(findingTransitionError('open', 'action_requested', 'request')).toMatch(/cannot go from open/);
    expect(findingTransitionError('qualified', 'closed', 'qualify')).toBe(
      'this step moves a finding to qualified, not closed',
    );
    // A request may be renewed (new due date) while it is pending.
    expect(findingTransitionError('action_requested', 'action_requested', 'request')).toBeNull();
    expect(findingTransitionError('escalated', 'action_requested', 'request')).toBeNull();
  });

  it('refuses staying put, and every target in the table is a known status', () => {
    for (const s of findingStatuses) {
      expect(findingTransitionError(s, s, 'review')).toBe(`the finding is already ${s}`);
      for (const to of findingTransitions[s]) expect(findingStatuses).toContain(to);
    }
  });

  it('moves corrective actions from proposed to verified, and no further', () => {
    expect(correctiveActionTransitionError('proposed', 'accepted')).toBeNull();
    expect(correctiveActionTransitionError('accepted', 'done')).toBeNull();
    expect(correctiveActionTransitionError('done', 'verified')).toBeNull();
    expect(correctiveActionTransitionError('proposed', 'verified')).toMatch(
      /cannot go from proposed to verified/,
    );
    expect(correctiveActionTransitionError('verified', 'rejected')).not.toBeNull();
  });
});
