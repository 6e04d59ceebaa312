import { defineControl } from '../engine/control-definition.js';
import { frenchDate } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  sessionId: string;
  organisationId: string;
  certificationId: string;
  day: string;
  hasEvaluationHabilitation: boolean;
  missingBlocks: string[];
  legalName: string;
  certificationCode: string;
}

/** An assessment session organised by a partner without a habilitation to evaluate (or on blocks outside it). */
export const habilitationNotEvaluator = defineControl({
  id: 'habilitation.not-evaluator',
  title: {
    fr: 'Évaluation organisée sans habilitation à évaluer',
    en: 'Assessment organised without a habilitation to evaluate',
  },
  rationale: {
    fr: 'Seul un organisme habilité à organiser l’évaluation peut tenir des sessions d’examen au nom du certificateur ; une habilitation à former ne suffit pas.',
    en: 'Only a body habilitated to organise assessment may hold exam sessions in the certifier’s name; a habilitation to train is not enough.',
  },
  sources: [sources.evaluatorObligations, sources.evaluationControl],
  severity: 'critical',
  checks:
    'Assessment sessions (not cancelled) organised by a partner over the window, where the partner holds no granted habilitation with an evaluation scope (evaluate or both) on the certification, or where results were recorded on skill blocks none of them covers.',
  reads: [
    'assessment_sessions',
    'assessment_results',
    'skill_blocks',
    'habilitations',
    'habilitation_skill_blocks',
  ],
  parameters: { windowDays: 730 },
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => ({
      subjectKey: `assessment_session:${r.sessionId}`,
      organisationId: r.organisationId,
      certificationId: r.certificationId,
      title: `${r.legalName} — ${r.certificationCode} : évaluation sans habilitation`,
      description: r.hasEvaluationHabilitation
        ? `Session d’évaluation du ${frenchDate(r.day)} : résultats sur des blocs hors de l’habilitation à évaluer (${r.missingBlocks.join(', ')}).`
        : `Session d’évaluation du ${frenchDate(r.day)} organisée par ${r.legalName}, qui n’est pas habilité à évaluer sur ${r.certificationCode}.`,
      evidence: {
        assessmentSessionId: r.sessionId,
        day: r.day,
        hasEvaluationHabilitation: r.hasEvaluationHabilitation,
        missingBlocks: r.missingBlocks,
      },
    }));
  },
});
