import { defineControl } from '../engine/control-definition.js';
import { frenchDate } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  sessionId: string;
  organisationId: string;
  certificationId: string;
  reference: string | null;
  startsOn: string;
  enrolled: number;
  maxGroupSize: number;
  legalName: string;
  certificationCode: string;
}

export const trainingGroupSize = defineControl({
  id: 'training.group-size',
  title: { fr: 'Effectif de session au-delà du plafond', en: 'Session size over the cap' },
  rationale: {
    fr: 'Le certificateur fixe des effectifs maximaux (stagiaires par groupe ou par formateur) ; les dépasser dégrade la formation et peut masquer des inscriptions fictives.',
    en: 'The certifier caps group sizes; exceeding them degrades training and may hide fictitious enrolments.',
  },
  sources: [sources.trainerObligations, sources.conventionTeaching],
  severity: 'major',
  checks:
    'Training sessions over the window with more enrolments than conditions.maxGroupSize of the partner’s granted training habilitation in force on the first day (the lowest cap when several).',
  reads: ['training_sessions', 'training_enrolments', 'habilitations'],
  parameters: { windowDays: 730 },
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => ({
      subjectKey: `training_session:${r.sessionId}`,
      organisationId: r.organisationId,
      certificationId: r.certificationId,
      title: `${r.legalName} — ${r.certificationCode} : effectif au-delà du plafond`,
      description: `Session ${r.reference ?? r.sessionId} du ${frenchDate(r.startsOn)} : ${r.enrolled} stagiaires inscrits pour un plafond de ${r.maxGroupSize}.`,
      evidence: { trainingSessionId: r.sessionId, enrolled: r.enrolled, maxGroupSize: r.maxGroupSize },
    }));
  },
});
