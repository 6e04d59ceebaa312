import type {
  ControlDefinition,
  RuleContext,
  RuleDataSource,
  RuleSeverity,
  RuleSubject,
} from './control-definition.js';

/** A live (not closed) finding a rule opened earlier, as the run needs to know it. */
export interface OpenRuleFinding {
  id: string;
  subjectKey: string;
  title: string;
  description: string | null;
  severity: RuleSeverity;
  status: string;
}

/** A subject the run will write, with the severity it gets. */
export interface PlannedSubject extends RuleSubject {
  severity: RuleSeverity;
}

/** What the plan compares of a subject (its evidence is the caller's: written as it comes). */
export type ComparedSubject = Pick<PlannedSubject, 'subjectKey' | 'title' | 'description' | 'severity'>;

export interface FindingPlan<S extends ComparedSubject = PlannedSubject> {
  /** Subjects with no live finding yet: one finding each. */
  open: S[];
  /** Live findings found again: refreshed (evidence, last run); `changed` when their text or severity moves. */
  refresh: { finding: OpenRuleFinding; subject: S; changed: boolean }[];
  /** Live findings whose condition is gone: closed automatically. */
  resolve: OpenRuleFinding[];
}

/**
 * Runs a rule's `find` and makes its answer safe to write: one subject per key (the first wins, a rule
 * returning the same key twice is a bug of its query and must not open two findings), each with its
 * severity (the rule's own unless the subject says otherwise).
 */
export async function findSubjects(
  rule: ControlDefinition,
  data: RuleDataSource,
  context: RuleContext,
): Promise<PlannedSubject[]> {
  const subjects = await rule.find(data, context);
  const byKey = new Map<string, PlannedSubject>();
  for (const s of subjects) {
    if (!s.subjectKey) throw new Error(`rule ${rule.id} returned a subject without a key`);
    if (!byKey.has(s.subjectKey)) byKey.set(s.subjectKey, { ...s, severity: s.severity ?? rule.severity });
  }
  return [...byKey.values()];
}

/**
 * What a run changes in the findings of one rule, from the rule's live findings and the subjects it found
 * now: a subject without a live finding opens one; a live finding found again is refreshed (never a second
 * finding: the same rule on the same subject has one live finding); a live finding not found again is
 * resolved. Its severity follows the rule only while nobody has qualified it (status `open`): once the
 * quality manager has, the severity is theirs.
 */
export function planFindingChanges<S extends ComparedSubject = PlannedSubject>(
  open: readonly OpenRuleFinding[],
  subjects: readonly S[],
): FindingPlan<S> {
  const live = new Map(open.map((f) => [f.subjectKey, f]));
  const plan: FindingPlan<S> = { open: [], refresh: [], resolve: [] };
  const seen = new Set<string>();
  for (const subject of subjects) {
    seen.add(subject.subjectKey);
    const finding = live.get(subject.subjectKey);
    if (!finding) {
      plan.open.push(subject);
      continue;
    }
    const severityMoves = finding.status === 'open' && finding.severity !== subject.severity;
    const changed =
      finding.title !== subject.title || (finding.description ?? '') !== subject.description || severityMoves;
    plan.refresh.push({ finding, subject, changed });
  }
  for (const f of open) if (!seen.has(f.subjectKey)) plan.resolve.push(f);
  return plan;
}
