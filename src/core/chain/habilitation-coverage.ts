/**
 * Whether a partner's habilitations allow what it declares: training towards a certification (scope train
 * or both, active or under watch) or organising its assessment (scope evaluate or both, active), over the
 * whole period, for every skill block concerned. Pure: the service reads the habilitations and asks here.
 */

export type HabilitationActivity = 'train' | 'evaluate';

/** What the rule needs to know of one habilitation. Dates are ISO `YYYY-MM-DD`. */
export interface HabilitationFacts {
  id: string;
  scope: string;
  status: string;
  startsOn: string;
  endsOn: string | null;
  coversAllSkillBlocks: boolean;
  skillBlockIds: readonly string[];
}

export interface CoverageNeed {
  activity: HabilitationActivity;
  startsOn: string;
  endsOn: string;
  /** The skill blocks concerned (with their codes, to name the missing ones). */
  skillBlocks: readonly { id: string; code: string }[];
}

/** One thing a habilitation lacks, on the input field it is about. */
export interface CoverageGap {
  kind: 'none' | 'scope' | 'status' | 'period' | 'skill_blocks';
  field: string;
  message: string;
}

export type Coverage = { covered: true; habilitationId: string } | { covered: false; gaps: CoverageGap[] };

/** The habilitation statuses under which a partner may still do each activity. */
export const statusesAllowing: Record<HabilitationActivity, readonly string[]> = {
  train: ['active', 'under_watch'],
  evaluate: ['active'],
};

const activityName: Record<HabilitationActivity, string> = { train: 'training', evaluate: 'evaluation' };

function gapsOf(h: HabilitationFacts, need: CoverageNeed): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  if (h.scope !== 'both' && h.scope !== need.activity)
    gaps.push({
      kind: 'scope',
      field: 'certificationId',
      message: `the habilitation's scope is ${h.scope}: it does not include ${activityName[need.activity]}`,
    });
  const allowed = statusesAllowing[need.activity];
  if (!allowed.includes(h.status))
    gaps.push({
      kind: 'status',
      field: 'certificationId',
      message: `the habilitation is ${h.status} (it must be ${allowed.join(' or ')})`,
    });
  if (h.startsOn > need.startsOn || (h.endsOn !== null && h.endsOn < need.endsOn)) {
    const period = need.startsOn === need.endsOn ? need.startsOn : `${need.startsOn} to ${need.endsOn}`;
    gaps.push({
      kind: 'period',
      field: h.startsOn > need.startsOn ? 'startsOn' : 'endsOn',
      message: `the habilitation runs from ${h.startsOn} to ${h.endsOn ?? '(open)'}: it does not cover ${period}`,
    });
  }
  if (!h.coversAllSkillBlocks) {
    const held = new Set(h.skillBlockIds);
    const missing = need.skillBlocks.filter((b) => !held.has(b.id)).map((b) => b.code);
    if (missing.length)
      gaps.push({
        kind: 'skill_blocks',
        field: 'skillBlockIds',
        message: `skill blocks not covered by the habilitation: ${missing.join(', ')}`,
      });
  }
  return gaps;
}

/**
 * Finds a habilitation that allows the need. When none does, answers the gaps of the closest one (fewest
 * gaps), so the partner reads what is missing rather than a bare refusal.
 *
 * @example
 * habilitationCoverage([], { activity: 'train', startsOn: '2026-01-05', endsOn: '2026-03-27', skillBlocks: [] })
 * // → { covered: false, gaps: [{ kind: 'none', field: 'certificationId', message: '…' }] }
 */
export function habilitationCoverage(
  habilitations: readonly HabilitationFacts[],
  need: CoverageNeed,
): Coverage {
  let closest: CoverageGap[] | undefined;
  for (const h of habilitations) {
    const gaps = gapsOf(h, need);
    if (gaps.length === 0) return { covered: true, habilitationId: h.id };
    if (!closest || gaps.length < closest.length) closest = gaps;
  }
  return {
    covered: false,
    gaps: closest ?? [
      {
        kind: 'none',
        field: 'certificationId',
        message: `the organisation holds no habilitation for this certification (${activityName[need.activity]})`,
      },
    ],
  };
}
