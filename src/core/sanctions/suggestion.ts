import type { Severity } from '../findings/finding.schema.js';
import { compareSanctionLevels, type SanctionLevel, sanctionLevels } from './sanction.schema.js';

/** Why a level is suggested; the UI words each reason. */
export type SuggestionReason =
  | { code: 'critical_finding'; count: number }
  | { code: 'repeated_major'; count: number; months: number }
  | { code: 'major_finding'; count: number }
  | { code: 'minor_findings'; count: number }
  | { code: 'previous_sanction'; level: SanctionLevel; decidedOn: string };

export interface SanctionSuggestion {
  level: SanctionLevel;
  reasons: SuggestionReason[];
}

export interface SuggestionFacts {
  /** The partner's findings (any status but dismissed ones), with the day they were opened. */
  findings: readonly { severity: Severity; openedOn: string; isLive: boolean }[];
  /** Its sanctions made final. */
  sanctions: readonly { level: SanctionLevel; decidedOn: string }[];
}

/** Three major (or critical) findings within this many months make a pattern. */
export const REPEAT_WINDOW_MONTHS = 12;
export const REPEAT_THRESHOLD = 3;

const monthsBefore = (day: string, months: number): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
};

const heavier = (a: SanctionLevel, b: SanctionLevel): SanctionLevel =>
  compareSanctionLevels(a, b) >= 0 ? a : b;

const nextLevel = (level: SanctionLevel): SanctionLevel =>
  sanctionLevels[Math.min(sanctionLevels.indexOf(level) + 1, sanctionLevels.length - 1)] ?? level;

/**
 * The level of the scale the facts point to, with its reasons, for the quality manager to confirm or
 * change: a live critical finding calls for a suspension; three major or critical findings within twelve
 * months too, and a withdrawal when the partner was already suspended; otherwise one step above the last
 * final sanction when new major findings came after it, a warning for a major finding, an observation for
 * minor ones. Null when there is nothing to sanction.
 *
 * @example suggestSanctionLevel({ findings: [{ severity: 'major', openedOn: '2026-01-10', isLive: true }], sanctions: [] }, '2026-02-01')
 * // { level: 'warning', reasons: [{ code: 'major_finding', count: 1 }] }
 */
export function suggestSanctionLevel(facts: SuggestionFacts, today: string): SanctionSuggestion | null {
  const since = monthsBefore(today, REPEAT_WINDOW_MONTHS);
  const recent = facts.findings.filter((f) => f.openedOn >= since);
  const serious = recent.filter((f) => f.severity !== 'minor');
  const critical = facts.findings.filter((f) => f.isLive && f.severity === 'critical');
  const minor = recent.filter((f) => f.severity === 'minor' && f.isLive);
  const last = [...facts.sanctions].sort((a, b) => a.decidedOn.localeCompare(b.decidedOn)).at(-1);
  const heaviest = facts.sanctions.reduce<SanctionLevel | null>(
    (acc, s) => (acc ? heavier(acc, s.level) : s.level),
    null,
  );

  let level: SanctionLevel | null = null;
  const reasons: SuggestionReason[] = [];
  const raise = (to: SanctionLevel, reason: SuggestionReason) => {
    level = level ? heavier(level, to) : to;
    reasons.push(reason);
  };

  if (critical.length) raise('suspension', { code: 'critical_finding', count: critical.length });
  if (serious.length >= REPEAT_THRESHOLD) {
    const alreadySuspended = heaviest !== null && compareSanctionLevels(heaviest, 'suspension') >= 0;
    raise(alreadySuspended ? 'withdrawal' : 'suspension', {
      code: 'repeated_major',
      count: serious.length,
      months: REPEAT_WINDOW_MONTHS,
    });
  } else if (serious.length) raise('warning', { code: 'major_finding', count: serious.length });
  if (last && serious.some((f) => f.openedOn >= last.decidedOn))
    raise(nextLevel(heaviest ?? last.level), {
      code: 'previous_sanction',
      level: heaviest ?? last.level,
      decidedOn: last.decidedOn,
    });
  if (level === null && minor.length) raise('observation', { code: 'minor_findings', count: minor.length });
  return level === null ? null : { level, reasons };
}
