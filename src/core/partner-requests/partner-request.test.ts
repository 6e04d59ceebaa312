import { describe, expect, it } from 'vitest';
import { invitationState } from '../invitations/invitation.schema.js';
import {
  requestAnswerInput,
  requestDisplayStatus,
  requestMoveRefusal,
  requestReviewInput,
} from './partner-request.schema.js';

describe('request statuses', () => {
  it('shows an open or reopened request as overdue the day after its due date, not on it', () => {
    expect(requestDisplayStatus('open', '2026-11-23', '2026-11-23')).toBe('open');
    expect(requestDisplayStatus('open', '2026-11-22', '2026-11-23')).toBe('overdue');
    expect(requestDisplayStatus('reopened', '2026-11-01', '2026-11-23')).toBe('overdue');
    expect(requestDisplayStatus('answered', '2026-11-01', '2026-11-23')).toBe('answered');
    expect(requestDisplayStatus('accepted', '2026-11-01', '2026-11-23')).toBe('accepted');
  });

  it('allows answer only while the partner owes one, accept only an answer, reopen an answer or acceptance', () => {
    expect(requestMoveRefusal('answer', 'open')).toBeNull();
    expect(requestMoveRefusal('answer', 'reopened')).toBeNull();
    expect(requestMoveRefusal('answer', 'answered')).toMatch(/already answered/);
    expect(requestMoveRefusal('answer', 'accepted')).toMatch(/closed/);
    expect(requestMoveRefusal('accept', 'answered')).toBeNull();
    expect(requestMoveRefusal('accept', 'open')).toMatch(/only an answered/);
    expect(requestMoveRefusal('reopen', 'accepted')).toBeNull();
    expect(requestMoveRefusal('reopen', 'open')).not.toBeNull();
  });

  it('wants a text or a file in an answer, and reasons to ask again', () => {
    expect(requestAnswerInput.safeParse({ message: '  ' }).success).toBe(false);
    expect(
      requestAnswerInput.safeParse({ evidenceIds: ['8f0e3c1a-4b7e-4c43-9a36-0f1c2b3d4e5f'] }).success,
    ).toBe(true);
    const id = '8f0e3c1a-4b7e-4c43-9a36-0f1c2b3d4e5f';
    expect(requestAnswerInput.safeParse({ message: 'x', evidenceIds: [id, id] }).success).toBe(false);
    expect(requestReviewInput.safeParse({ decision: 'reopen' }).success).toBe(false);
    expect(requestReviewInput.safeParse({ decision: 'reopen', message: 'Il manque la page 2' }).success).toBe(
      true,
    );
    expect(requestReviewInput.safeParse({ decision: 'accept' }).success).toBe(true);
  });
});

describe('invitation states', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const base = {
    acceptedAt: null,
    revokedAt: null,
    replacedAt: null,
    expiresAt: new Date('2026-11-30T12:00:00Z'),
  };
  it('is pending until it expires, then expired; used, withdrawn or replaced whatever the date', () => {
    expect(invitationState(base, now)).toBe('pending');
    expect(invitationState({ ...base, expiresAt: now }, now)).toBe('expired');
    expect(invitationState({ ...base, acceptedAt: now, expiresAt: new Date(0) }, now)).toBe('accepted');
    expect(invitationState({ ...base, revokedAt: now }, now)).toBe('revoked');
    expect(invitationState({ ...base, replacedAt: now }, now)).toBe('replaced');
  });
});
