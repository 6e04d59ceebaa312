import { defineControl } from '../engine/control-definition.js';
import { frenchDate, frenchDay } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  kind: 'deliberation' | 'certificate' | 'assessment_session';
  id: string;
  organisationId: string | null;
  certificationId: string;
  certificationCode: string;
  /** The event that should come later: deliberation time, certificate day, assessment day. */
  firstAt: string;
  /** The event it precedes: last assessment, deliberation day, end of training. */
  secondAt: string;
  candidateCount: number;
}

/** Events of the chain in the wrong order. */
export const chronologyInconsistent = defineControl({
  id: 'chronology.inconsistent',
  title: {
    fr: 'Chronologie incohérente (délibération, évaluation, formation, certificat)',
    en: 'Chronology errors (deliberation, assessment, training, certificate)',
  },
  rationale: {
    fr: 'Un jury qui délibère avant l’évaluation, un certificat délivré avant la délibération ou une évaluation avant la fin de la formation révèlent une saisie fausse ou une fraude.',
    en: 'A jury deciding before the assessment, a certificate before the deliberation, or an assessment before training ends shows false records or fraud.',
  },
  sources: [sources.evaluationControl, sources.qualiopi16, sources.certifierAwards],
  severity: 'major',
  checks:
    'Three set queries: deliberations taken before the candidate’s last assessment session for that certification; certificates issued before the day of their deliberation; assessment sessions where registered candidates were still in training towards the same certification (training ends after the assessment day), unless the organiser’s habilitation has conditions.assessmentDuringTraining = true.',
  reads: [
    'deliberations',
    'juries',
    'assessment_results',
    'assessment_sessions',
    'certificates',
    'assessment_session_candidates',
    'training_enrolments',
    'training_sessions',
    'habilitations',
  ],
  parameters: { windowDays: 730 },
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => {
      const text =
        r.kind === 'deliberation'
          ? `Délibération du ${frenchDay(r.firstAt)} antérieure à la dernière évaluation du candidat (${frenchDay(r.secondAt)}).`
          : r.kind === 'certificate'
            ? `Certificat délivré le ${frenchDate(r.firstAt)}, avant la délibération du ${frenchDate(r.secondAt)}.`
            : `Session d’évaluation du ${frenchDate(r.firstAt)} : ${r.candidateCount} candidat(s) encore en formation (fin le ${frenchDate(r.secondAt)}).`;
      return {
        subjectKey: `${r.kind}:${r.id}`,
        organisationId: r.organisationId,
        certificationId: r.certificationId,
        title: `${r.certificationCode} : chronologie incohérente`,
        description: text,
        evidence: {
          kind: r.kind,
          id: r.id,
          firstAt: r.firstAt,
          secondAt: r.secondAt,
          candidateCount: r.candidateCount,
        },
      };
    });
  },
});
