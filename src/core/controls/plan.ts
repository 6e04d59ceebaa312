import type { RiskLevel } from '../risk/risk-score.js';

/**
 * The proposal of a year's plan de contrôle from the partners' risk: how often and how deeply each partner
 * is audited, and when. Pure; the service feeds it the risk scores and each partner's habilitation period.
 *
 * - high risk: an on-site audit in depth (reinforced) in the first quarter, and the observation of an
 *   assessment session in the third quarter;
 * - medium risk: one on-site audit (standard) between April and September;
 * - low risk: a documentary review (light), only when the partner has not been audited during its current
 *   habilitation period, spread over the years the period has left so that every partner is audited at
 *   least once per period (the last year of a period catches up whoever is left).
 */

export const planDepths = ['light', 'standard', 'reinforced'] as const;
export type PlanDepth = (typeof planDepths)[number];

/** What the proposal needs to know of a partner habilitated during the year. */
export interface PlanPartner {
  organisationId: string;
  legalName: string;
  score: number;
  level: RiskLevel;
  /** Its current habilitation period: the earliest start and the latest end (null: open-ended) of its habilitations in force. */
  periodStart: string;
  periodEnd: string | null;
  /** Whether an audit (done, or planned and not cancelled) falls within the current period. */
  auditedInPeriod: boolean;
}

export interface ProposedEntry {
  organisationId: string;
  kind: 'documentary' | 'on_site' | 'observation';
  depth: PlanDepth;
  plannedOn: string;
  riskScore: number;
  riskLevel: RiskLevel;
  /** French: why this audit is proposed. */
  reason: string;
}

/** When an open-ended period is treated as ending (for spreading the documentary reviews). */
export const openPeriodYears = 3;

const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const pad = (n: number) => String(n).padStart(2, '0');

/** A stable bucket for an organisation (from its id), to spread reviews over years the same way each time. */
export function bucketOf(organisationId: string, buckets: number): number {
  const n = Number.parseInt(organisationId.replace(/-/g, '').slice(0, 8), 16);
  return Number.isFinite(n) ? n % buckets : 0;
}

/**
 * The audits proposed for `year`, on `proposedOn` (a date of a month already past moves to two weeks
 * after `proposedOn`, within the year). Highest risk first; within a level, the earliest dates go to the
 * highest scores.
 *
 * @example proposePlan(2027, [{ level: 'high', … }], '2026-11-23') // → on_site (reinforced) + observation
 */
export function proposePlan(
  year: number,
  partners: readonly PlanPartner[],
  proposedOn: string,
): ProposedEntry[] {
  const lastDay = `${year}-12-31`;
  const floor = (() => {
    const d = new Date(`${proposedOn}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 14);
    return d.toISOString().slice(0, 10);
  })();
  const on = (month: number) => {
    const day = `${year}-${pad(month)}-15`;
    if (day >= floor) return day;
    return floor <= lastDay ? floor : lastDay;
  };
  const sorted = [...partners].sort(
    (a, b) => b.score - a.score || a.legalName.localeCompare(b.legalName, 'fr'),
  );
  const entries: ProposedEntry[] = [];
  const rank = { high: 0, medium: 0, low: 0 };
  for (const p of sorted) {
    const base = { organisationId: p.organisationId, riskScore: p.score, riskLevel: p.level };
    const score = p.score.toFixed(1).replace('.', ',');
    if (p.level === 'high') {
      const r = rank.high++;
      entries.push({
        ...base,
        kind: 'on_site',
        depth: 'reinforced',
        plannedOn: on(1 + (r % 3)),
        reason: `Risque élevé (score ${score}) : audit sur site approfondi au premier trimestre.`,
      });
      entries.push({
        ...base,
        kind: 'observation',
        depth: 'standard',
        plannedOn: on(7 + (r % 3)),
        reason: `Risque élevé (score ${score}) : observation d’une session d’évaluation au troisième trimestre.`,
      });
      continue;
    }
    if (p.level === 'medium') {
      const r = rank.medium++;
      entries.push({
        ...base,
        kind: 'on_site',
        depth: 'standard',
        plannedOn: on(4 + (r % 6)),
        reason: `Risque moyen (score ${score}) : un audit sur site dans l’année.`,
      });
      continue;
    }
    if (p.auditedInPeriod) continue;
    const endYear = p.periodEnd
      ? Number(p.periodEnd.slice(0, 4))
      : Math.max(year, Number(p.periodStart.slice(0, 4)) + openPeriodYears - 1);
    const yearsLeft = Math.max(1, endYear - year + 1);
    if (yearsLeft > 1 && bucketOf(p.organisationId, yearsLeft) !== 0) continue;
    const r = rank.low++;
    entries.push({
      ...base,
      kind: 'documentary',
      depth: 'light',
      plannedOn: on(1 + (r % 12)),
      reason:
        yearsLeft === 1
          ? `Risque faible (score ${score}) : aucun audit depuis le début de la période d’habilitation (${frDate(p.periodStart)}), qui s’achève ${p.periodEnd ? `le ${frDate(p.periodEnd)}` : 'cette année'} ; contrôle documentaire obligatoire cette année.`
          : `Risque faible (score ${score}) : aucun audit depuis le début de la période d’habilitation (${frDate(p.periodStart)}) ; contrôle documentaire, les contrôles étant répartis sur les ${yearsLeft} années restantes de la période.`,
    });
  }
  return entries.sort((a, b) => a.plannedOn.localeCompare(b.plannedOn) || b.riskScore - a.riskScore);
}
