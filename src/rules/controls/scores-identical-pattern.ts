import { defineControl } from '../engine/control-definition.js';
import { frenchDate } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  sessionId: string;
  organisationId: string | null;
  certificationId: string;
  certificationCode: string;
  day: string;
  scoredCandidates: number;
  /** `<candidates> × <task=score/max;…>`, most shared first. */
  patterns: string[];
  candidatesInPatterns: number;
}

export const scoresIdenticalPattern = defineControl({
  id: 'scores.identical-pattern',
  title: { fr: 'Notes identiques au sein d’une session', en: 'Identical score patterns within a session' },
  rationale: {
    fr: 'Plusieurs candidats d’une même session avec exactement les mêmes notes à chaque épreuve évoquent des copies recopiées ou une notation de complaisance.',
    en: 'Several candidates of one session with exactly the same score on every task suggest copied work or rubber-stamp marking.',
  },
  sources: [sources.evaluationControl, sources.evaluationDoctrine],
  severity: 'major',
  checks:
    'Per assessment session over the window and candidate: the ordered list of task (or block) = score / max; sessions where at least minCandidates candidates share the same list of at least minItems scored items.',
  reads: ['assessment_results', 'assessment_sessions'],
  parameters: { windowDays: 730, minItems: 2, minCandidates: 3 },
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => ({
      subjectKey: `assessment_session:${r.sessionId}`,
      organisationId: r.organisationId,
      certificationId: r.certificationId,
      title: `${r.certificationCode} : notes identiques dans la session du ${frenchDate(r.day)}`,
      description: `${r.candidatesInPatterns} candidats sur ${r.scoredCandidates} partagent exactement les mêmes notes (${r.patterns.join(' | ')}).`,
      evidence: {
        assessmentSessionId: r.sessionId,
        scoredCandidates: r.scoredCandidates,
        candidatesInPatterns: r.candidatesInPatterns,
        patterns: r.patterns,
      },
    }));
  },
});
