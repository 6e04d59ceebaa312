import { defineControl, type RuleSubject } from '../engine/control-definition.js';
import { sources } from '../engine/sources.js';

interface Row {
  organisationId: string;
  legalName: string;
  recentTrainees: number;
  baselineTrainees: number;
  recentCandidates: number;
  baselineCandidates: number;
}

/** Whether a recent volume is a sudden jump over the baseline scaled to the same length. */
export function isSuddenGrowth(
  recent: number,
  baseline: number,
  parameters: { recentDays: number; baselineDays: number; minRecent: number; factor: number },
): boolean {
  const expected = (baseline * parameters.recentDays) / parameters.baselineDays;
  return recent >= parameters.minRecent && recent >= parameters.factor * Math.max(expected, 1);
}

export const volumeSuddenGrowth = defineControl({
  id: 'volume.sudden-growth',
  title: { fr: 'Croissance soudaine des volumes', en: 'Sudden volume growth' },
  rationale: {
    fr: 'Un afflux soudain de stagiaires ou de candidats chez un partenaire précède souvent les dérives (démarchage CPF, sessions fictives) ; il justifie un contrôle.',
    en: 'A sudden inflow of trainees or candidates often precedes abuse (CPF cold-calling, fictitious sessions); it warrants a control.',
  },
  sources: [sources.statisticalControl],
  severity: 'minor',
  checks:
    'Per partner: trainees enrolled in training sessions started over the last recentDays, and candidates registered in assessment sessions it organised, against the baselineDays before, scaled to the same length; flagged when the recent count reaches minRecent and factor × the expected count.',
  reads: ['training_enrolments', 'training_sessions', 'assessment_session_candidates', 'assessment_sessions'],
  parameters: { recentDays: 90, baselineDays: 360, minRecent: 20, factor: 3 },
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    const p = context.parameters;
    const subjects: RuleSubject[] = [];
    for (const r of rows) {
      const trainees = isSuddenGrowth(r.recentTrainees, r.baselineTrainees, p);
      const candidates = isSuddenGrowth(r.recentCandidates, r.baselineCandidates, p);
      if (!trainees && !candidates) continue;
      const parts = [];
      if (trainees)
        parts.push(
          `${r.recentTrainees} stagiaires inscrits sur les ${p.recentDays} derniers jours contre ${r.baselineTrainees} sur les ${p.baselineDays} jours précédents`,
        );
      if (candidates)
        parts.push(
          `${r.recentCandidates} candidats présentés sur les ${p.recentDays} derniers jours contre ${r.baselineCandidates} sur les ${p.baselineDays} jours précédents`,
        );
      subjects.push({
        subjectKey: r.organisationId,
        organisationId: r.organisationId,
        certificationId: null,
        title: `${r.legalName} : croissance soudaine des volumes`,
        description: `${parts.join(' ; ')}.`,
        evidence: {
          recentTrainees: r.recentTrainees,
          baselineTrainees: r.baselineTrainees,
          recentCandidates: r.recentCandidates,
          baselineCandidates: r.baselineCandidates,
          trainees,
          candidates,
        },
      });
    }
    return subjects;
  },
});
