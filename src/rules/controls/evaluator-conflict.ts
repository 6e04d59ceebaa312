import { defineControl } from '../engine/control-definition.js';
import { frenchDate } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  sessionId: string;
  organiserId: string | null;
  certificationId: string;
  certificationCode: string;
  day: string;
  userId: string;
  displayName: string;
  evaluatorOrganisationId: string | null;
  trainedCandidates: number;
  sameOrganisationCandidates: number;
}

export const evaluatorConflict = defineControl({
  id: 'evaluator.conflict',
  title: { fr: 'Évaluateur en conflit d’intérêts', en: 'Evaluator with a conflict of interest' },
  rationale: {
    fr: 'Un évaluateur ne juge pas les candidats qu’il a lui-même formés, ni ceux de son propre organisme quand l’habilitation exige des évaluateurs indépendants.',
    en: 'An evaluator does not judge candidates they trained, nor those of their own organisation when the habilitation requires independent evaluators.',
  },
  sources: [sources.evaluationDoctrine, sources.evaluationControl, sources.conventionEvaluation],
  severity: 'major',
  checks:
    'Evaluators of assessment sessions over the window whose display name is among the trainers of a training session, towards the same certification, that a registered candidate followed; or who belong to the organisation of registered candidates when the organiser’s habilitation has conditions.independentEvaluators = true.',
  reads: [
    'assessment_sessions',
    'assessment_session_evaluators',
    'assessment_session_candidates',
    'users',
    'training_enrolments',
    'training_sessions',
    'candidates',
    'habilitations',
  ],
  parameters: { windowDays: 730 },
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => {
      const parts = [];
      if (r.trainedCandidates) parts.push(`a formé ${r.trainedCandidates} des candidats évalués`);
      if (r.sameOrganisationCandidates)
        parts.push(
          `appartient à l’organisme de ${r.sameOrganisationCandidates} candidats alors que l’habilitation exige des évaluateurs indépendants`,
        );
      return {
        subjectKey: `${r.sessionId}:${r.userId}`,
        organisationId: r.organiserId,
        certificationId: r.certificationId,
        title: `${r.certificationCode} : évaluateur ${r.displayName} en conflit d’intérêts`,
        description: `Session d’évaluation du ${frenchDate(r.day)} : l’évaluateur ${r.displayName} ${parts.join(' et ')}.`,
        evidence: {
          assessmentSessionId: r.sessionId,
          userId: r.userId,
          trainedCandidates: r.trainedCandidates,
          sameOrganisationCandidates: r.sameOrganisationCandidates,
        },
      };
    });
  },
});
