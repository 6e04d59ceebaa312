import { describe, expect, it } from 'vitest';
import { daysBetween, reminderDecision } from './reminders.js';

describe('reminderDecision', () => {
  const requested = { status: 'action_requested' as const, dueOn: '2026-03-01', lastSentOn: null };

  it.each([
    ['on the due date', '2026-03-01', null],
    ['the day after', '2026-03-02', { kind: 'reminder', daysLate: 1 }],
    ['14 days late', '2026-03-15', { kind: 'reminder', daysLate: 14 }],
    ['15 days late', '2026-03-16', { kind: 'escalation', daysLate: 15 }],
  ])('a request not answered, %s', (_, today, expected) => {
    expect(reminderDecision(requested, today)).toEqual(expected);
  });

  it('reminds again only after a week, and never twice the same day', () => {
    const sent = { ...requested, lastSentOn: '2026-03-02' };
    expect(reminderDecision(sent, '2026-03-02')).toBeNull();
    expect(reminderDecision(sent, '2026-03-08')).toBeNull();
    expect(reminderDecision(sent, '2026-03-09')).toEqual({ kind: 'reminder', daysLate: 8 });
  });

  it('ignores a reminder sent for an earlier due date', () => {
    const renewed = { ...requested, dueOn: '2026-04-01', lastSentOn: '2026-03-30' };
    expect(reminderDecision(renewed, '2026-04-02')).toEqual({ kind: 'reminder', daysLate: 1 });
  });

  it('leaves alone findings that wait for the certifier, and those without a due date', () => {
    for (const status of ['open', 'qualified', 'verified', 'closed', 'escalated'] as const)
      expect(reminderDecision({ ...requested, status }, '2026-05-01'), status).toBeNull();
    expect(reminderDecision({ ...requested, dueOn: null }, '2026-05-01')).toBeNull();
    expect(
      reminderDecision({ status: 'action_submitted', dueOn: '2026-03-01', lastSentOn: null }, '2026-03-03'),
    ).toEqual({ kind: 'reminder', daysLate: 2 });
  });

  it('follows the policy it is given', () => {
    expect(reminderDecision(requested, '2026-03-04', { everyDays: 1, escalateAfterDays: 3 })).toEqual({
      kind: 'escalation',
      daysLate: 3,
    });
    expect(daysBetween('2026-02-27', '2026-03-01')).toBe(2);
  });
});
