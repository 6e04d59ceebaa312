import { defineControl } from '../engine/control-definition.js';
import { frenchDate } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  sessionId: string;
  organisationId: string;
  certificationId: string;
  reference: string | null;
  startsOn: string;
  hours: number;
  minimumHours: number;
  legalName: string;
  certificationCode: string;
}

export const trainingHoursBelowMinimum = defineControl({
  id: 'training.hours-below-minimum',
  title: { fr: 'Durée de formation inférieure au minimum', en: 'Training hours under the minimum' },
  rationale: {
    fr: 'L’organisme habilité à former respecte les durées minimales fixées par le certificateur ; une formation écourtée ne prépare pas à toutes les compétences du référentiel.',
    en: 'A body habilitated to train respects the certifier’s minimum durations; shortened training cannot cover every competence.',
  },
  sources: [sources.trainerObligations, sources.conventionTeaching],
  severity: 'major',
  checks:
    'Training sessions over the window whose declared hours are below conditions.minimumHours of the partner’s granted training habilitation in force on the session’s first day (the highest minimum when several).',
  reads: ['training_sessions', 'habilitations'],
  parameters: { windowDays: 730 },
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => ({
      subjectKey: `training_session:${r.sessionId}`,
      organisationId: r.organisationId,
      certificationId: r.certificationId,
      title: `${r.legalName} — ${r.certificationCode} : durée de formation insuffisante`,
      description: `Session ${r.reference ?? r.sessionId} du ${frenchDate(r.startsOn)} : ${r.hours} h déclarées pour un minimum de ${r.minimumHours} h.`,
      evidence: { trainingSessionId: r.sessionId, hours: r.hours, minimumHours: r.minimumHours },
    }));
  },
});
