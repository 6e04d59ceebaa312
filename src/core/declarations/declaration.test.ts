import { describe, expect, it } from 'vitest';
import {
  declarationChangeOf,
  declarationDueOn,
  declarationStatusOf,
  franceCompetencesValueOf,
  isScopeChangeDeclared,
} from './declaration.js';

describe('declaration deadline', () => {
  it('is two calendar months after the decision, on the month’s last day when shorter', () => {
    expect(declarationDueOn('2026-03-15')).toBe('2026-05-15');
    expect(declarationDueOn('2026-11-30')).toBe('2027-01-30');
    expect(declarationDueOn('2026-12-31')).toBe('2027-02-28');
    expect(declarationDueOn('2027-12-31')).toBe('2028-02-29');
    expect(declarationDueOn('2026-07-31')).toBe('2026-09-30');
  });

  it('is overdue the day after, due soon within 14 days, pending before; declared wins', () => {
    const change = { dueOn: '2026-05-15', declaredOn: null };
    expect(declarationStatusOf(change, '2026-05-16')).toBe('overdue');
    expect(declarationStatusOf(change, '2026-05-15')).toBe('due_soon');
    expect(declarationStatusOf(change, '2026-05-01')).toBe('due_soon');
    expect(declarationStatusOf(change, '2026-04-30')).toBe('pending');
    expect(declarationStatusOf({ ...change, declaredOn: '2026-06-01' }, '2026-07-01')).toBe('declared');
  });
});

describe('changes to declare', () => {
  it('a grant adds the partner; an application closed or sent back changes nothing', () => {
    expect(declarationChangeOf('review', 'active')).toBe('added');
    expect(declarationChangeOf(null, 'application')).toBeNull();
    expect(declarationChangeOf('application', 'review')).toBeNull();
    expect(declarationChangeOf('review', 'ended')).toBeNull();
    expect(declarationChangeOf('review', 'application')).toBeNull();
  });

  it('a watch is not a change, a suspension and its lifting are, and so is every end', () => {
    expect(declarationChangeOf('active', 'under_watch')).toBeNull();
    expect(declarationChangeOf('under_watch', 'active')).toBeNull();
    expect(declarationChangeOf('active', 'suspended')).toBe('suspended');
    expect(declarationChangeOf('suspended', 'under_watch')).toBe('reactivated');
    expect(declarationChangeOf('suspended', 'active')).toBe('reactivated');
    expect(declarationChangeOf('under_watch', 'withdrawn')).toBe('withdrawn');
    expect(declarationChangeOf('active', 'expired')).toBe('ended');
    expect(declarationChangeOf('suspended', 'ended')).toBe('ended');
  });

  it('a change of scope counts only for a habilitation France Compétences lists', () => {
    expect(isScopeChangeDeclared('active')).toBe(true);
    expect(isScopeChangeDeclared('suspended')).toBe(true);
    expect(isScopeChangeDeclared('application')).toBe(false);
    expect(isScopeChangeDeclared('ended')).toBe(false);
  });

  it('maps scopes to the France Compétences values', () => {
    expect(franceCompetencesValueOf('train')).toBe('HABILITATION_FORMER');
    expect(franceCompetencesValueOf('evaluate')).toBe('HABILITATION_ORGANISER');
    expect(franceCompetencesValueOf('both')).toBe('HABILITATION_ORGA_FORM');
  });
});
