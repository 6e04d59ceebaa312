import { binomialSurprise } from '../engine/binomial.js';
import { defineControl, type RuleSubject } from '../engine/control-definition.js';
import { sources } from '../engine/sources.js';

/** Candidates presented and passed per partner, certification and year. */
export interface SuccessCount {
  organisationId: string;
  certificationId: string;
  year: number;
  presented: number;
  passed: number;
  legalName: string;
  certificationCode: string;
}

export interface SuccessOutlier {
  row: SuccessCount;
  networkRate: number;
  networkPresented: number;
  direction: 'high' | 'low';
  pValue: number;
}

/**
 * The partners whose success rate is abnormal against the rest of the network, per certification and year:
 * the exact binomial test of the partner's passes against the rate of all the other partners (so a large
 * partner does not hide in its own average), when both samples reach `minSample`. `alpha` is small on
 * purpose: the test runs once per partner, certification and year.
 */
export function successRateOutliers(
  counts: readonly SuccessCount[],
  parameters: { minSample: number; alpha: number },
): SuccessOutlier[] {
  const totals = new Map<string, { presented: number; passed: number }>();
  for (const c of counts) {
    const key = `${c.certificationId}:${c.year}`;
    const t = totals.get(key) ?? { presented: 0, passed: 0 };
    t.presented += c.presented;
    t.passed += c.passed;
    totals.set(key, t);
  }
  const outliers: SuccessOutlier[] = [];
  for (const row of counts) {
    if (row.presented < parameters.minSample) continue;
    const total = totals.get(`${row.certificationId}:${row.year}`) as { presented: number; passed: number };
    const othersPresented = total.presented - row.presented;
    if (othersPresented < parameters.minSample) continue;
    const networkRate = (total.passed - row.passed) / othersPresented;
    const { direction, pValue } = binomialSurprise(row.presented, row.passed, networkRate);
    if (pValue < parameters.alpha)
      outliers.push({ row, networkRate, networkPresented: othersPresented, direction, pValue });
  }
  return outliers;
}

const percent = (x: number) => `${(x * 100).toFixed(1).replace('.', ',')} %`;

export const successRateOutlier = defineControl({
  id: 'success-rate.outlier',
  title: {
    fr: 'Taux de réussite anormal par rapport au réseau',
    en: 'Success rate abnormally high or low against the network',
  },
  rationale: {
    fr: 'Un taux de réussite très supérieur au réseau peut signaler une évaluation complaisante ou une fraude ; très inférieur, une préparation défaillante.',
    en: 'A rate far above the network may mean lenient assessment or fraud; far below, poor preparation.',
  },
  sources: [sources.statisticalControl, sources.evaluationControl, sources.qualiopi3],
  severity: 'major',
  checks:
    'Per organiser, certification and calendar year over the window: candidates presented (one outcome per candidate and session, absences left out) and passed (every non-absent result passed). Exact one-sided binomial test against the pass rate of the other partners on the same certification and year; flagged when both samples reach minSample and p < alpha. Too high: major; too low: minor.',
  reads: ['assessment_results', 'assessment_sessions'],
  parameters: { windowDays: 730, minSample: 20, alpha: 0.001 },
  async find(data, context) {
    const counts = await data.rows<SuccessCount>(this.id, context);
    return successRateOutliers(counts, context.parameters).map(
      ({ row, networkRate, networkPresented, direction, pValue }): RuleSubject => ({
        subjectKey: `${row.organisationId}:${row.certificationId}:${row.year}`,
        organisationId: row.organisationId,
        certificationId: row.certificationId,
        severity: direction === 'high' ? 'major' : 'minor',
        title: `${row.legalName} — ${row.certificationCode} (${row.year}) : taux de réussite anormalement ${direction === 'high' ? 'élevé' : 'bas'}`,
        description: `${row.passed} réussites sur ${row.presented} candidats présentés (${percent(row.passed / row.presented)}) contre ${percent(networkRate)} pour le reste du réseau (${networkPresented} candidats) ; test binomial exact p = ${pValue.toExponential(2)}.`,
        evidence: {
          year: row.year,
          presented: row.presented,
          passed: row.passed,
          networkRate,
          networkPresented,
          direction,
          pValue,
        },
      }),
    );
  },
});
