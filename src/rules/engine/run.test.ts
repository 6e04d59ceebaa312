import { describe, expect, it } from 'vitest';
import { defineControl, type RuleSubject } from './control-definition.js';
import { findSubjects, type OpenRuleFinding, type PlannedSubject, planFindingChanges } from './run.js';

const subject = (key: string, overrides: Partial<PlannedSubject> = {}): PlannedSubject => ({
  subjectKey: key,
  organisationId: null,
  certificationId: null,
  title: `T ${key}`,
  description: `D ${key}`,
  evidence: {},
  severity: 'major',
  ...overrides,
});

const finding = (key: string, overrides: Partial<OpenRuleFinding> = {}): OpenRuleFinding => ({
  id: `f-${key}`,
  subjectKey: key,
  title: `T ${key}`,
  description: `D ${key}`,
  severity: 'major',
  status: 'open',
  ...overrides,
});

describe('planFindingChanges', () => {
  it('opens new subjects, refreshes those found again, resolves those gone', () => {
    const plan = planFindingChanges([finding('a'), finding('b')], [subject('b'), subject('c')]);
    expect(plan.open.map((s) => s.subjectKey)).toEqual(['c']);
    expect(plan.refresh.map((r) => [r.finding.id, r.changed])).toEqual([['f-b', false]]);
    expect(plan.resolve.map((f) => f.id)).toEqual(['f-a']);
  });

  it('a refreshed finding changes when its text changes', () => {
    const plan = planFindingChanges([finding('a')], [subject('a', { description: 'now 3 sessions' })]);
    expect(plan.refresh[0]?.changed).toBe(true);
  });

  it('severity follows the rule only while the finding is not qualified', () => {
    const unqualified = planFindingChanges([finding('a')], [subject('a', { severity: 'critical' })]);
    expect(unqualified.refresh[0]?.changed).toBe(true);
    const qualified = planFindingChanges(
      [finding('a', { status: 'qualified', severity: 'minor' })],
      [subject('a', { severity: 'critical' })],
    );
    expect(qualified.refresh[0]?.changed).toBe(false);
  });
});

describe('findSubjects', () => {
  const rule = (subjects: RuleSubject[]) =>
    defineControl({
      id: 'test.rule',
      title: { fr: 'Test', en: 'Test' },
      rationale: { fr: 'Test', en: 'Test' },
      sources: [],
      severity: 'minor',
      checks: 'nothing',
      reads: [],
      parameters: {},
      find: async () => subjects,
    });
  const data = { rows: async () => [] };

  it('keeps one subject per key and gives each the rule severity unless it has its own', async () => {
    const found = await findSubjects(
      rule([
        subject('a', { severity: undefined as never }),
        subject('a'),
        subject('b', { severity: 'critical' }),
      ]),
      data,
      { asOf: '2026-11-23', parameters: {} },
    );
    expect(found.map((s) => [s.subjectKey, s.severity])).toEqual([
      ['a', 'minor'],
      ['b', 'critical'],
    ]);
  });
});
