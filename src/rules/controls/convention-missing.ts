import { defineControl } from '../engine/control-definition.js';
import { count, frenchDate } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  organisationId: string;
  certificationId: string;
  legalName: string;
  certificationCode: string;
  activityCount: number;
  firstDay: string;
  lastDay: string;
  samples: string[];
}

/** Training or assessment by a partner on a day when no signed convention covered that certification. */
export const conventionMissing = defineControl({
  id: 'convention.missing',
  title: {
    fr: 'Activité sans convention signée en vigueur',
    en: 'Activity without a valid signed convention',
  },
  rationale: {
    fr: 'Le certificateur ne délègue la formation ou l’évaluation que par une habilitation écrite et une convention signée ; une activité hors convention engage sa responsabilité sans cadre contractuel.',
    en: 'Delegating training or assessment needs a written habilitation and a signed convention; activity outside one engages the certifier with no contractual frame.',
  },
  sources: [sources.habilitationAct, sources.conventionObject],
  severity: 'major',
  checks:
    'Training sessions (start day) and assessment sessions (day) of each partner over the window, for which no convention of that partner covering the certification was signed, started, not ended and not terminated on that day; one finding per partner and certification.',
  reads: [
    'training_sessions',
    'assessment_sessions',
    'conventions',
    'convention_certifications',
    'organisations',
  ],
  parameters: { windowDays: 730 },
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => ({
      subjectKey: `${r.organisationId}:${r.certificationId}`,
      organisationId: r.organisationId,
      certificationId: r.certificationId,
      title: `${r.legalName} — ${r.certificationCode} : activité sans convention signée`,
      description: `${count(r.activityCount, 'session')} de ${r.legalName} sur ${r.certificationCode} du ${frenchDate(r.firstDay)} au ${frenchDate(r.lastDay)} sans convention de partenariat signée et en vigueur ce jour-là pour cette certification.`,
      evidence: {
        activityCount: r.activityCount,
        firstDay: r.firstDay,
        lastDay: r.lastDay,
        sessions: r.samples,
      },
    }));
  },
});
