import { defineControl, type RuleSubject } from '../engine/control-definition.js';
import { frenchDate } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  sessionId: string;
  organisationId: string;
  certificationId: string;
  certificationCode: string;
  day: string;
  dueOn: string;
  legalName: string;
  lateResults: number;
  missingResults: number;
}

export const resultsLate = defineControl({
  id: 'results.late',
  title: { fr: 'Résultats transmis après le délai', en: 'Results submitted after the deadline' },
  rationale: {
    fr: 'Le partenaire transmet les résultats dans le délai fixé par la convention ; un retard retarde le jury, la délivrance et l’accrochage, et des résultats manquants cachent des candidats sans décision.',
    en: 'Results are due within the convention’s deadline; delay holds up the jury, the award and the accrochage, and missing results hide undecided candidates.',
  },
  sources: [sources.conventionEvaluation, sources.evaluationControl],
  severity: 'minor',
  checks:
    'Assessment sessions organised by a partner over the window: results recorded after deadlineDays past the session day, and, once that deadline has passed, registered candidates without any result (then major).',
  reads: ['assessment_sessions', 'assessment_results', 'assessment_session_candidates'],
  parameters: { windowDays: 730, deadlineDays: 15 },
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    const subjects: RuleSubject[] = [];
    for (const r of rows) {
      if (r.lateResults === 0 && r.missingResults === 0) continue;
      const parts = [];
      if (r.lateResults) parts.push(`${r.lateResults} résultat(s) saisi(s) après le ${frenchDate(r.dueOn)}`);
      if (r.missingResults) parts.push(`${r.missingResults} candidat(s) inscrit(s) toujours sans résultat`);
      subjects.push({
        subjectKey: `assessment_session:${r.sessionId}`,
        organisationId: r.organisationId,
        certificationId: r.certificationId,
        ...(r.missingResults ? { severity: 'major' as const } : {}),
        title: `${r.legalName} — ${r.certificationCode} : résultats hors délai`,
        description: `Session du ${frenchDate(r.day)} (résultats dus le ${frenchDate(r.dueOn)}) : ${parts.join(' ; ')}.`,
        evidence: {
          assessmentSessionId: r.sessionId,
          dueOn: r.dueOn,
          lateResults: r.lateResults,
          missingResults: r.missingResults,
        },
      });
    }
    return subjects;
  },
});
