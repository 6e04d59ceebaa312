import { defineControl } from '../engine/control-definition.js';
import { frenchDay } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  sessionId: string;
  organisationId: string;
  certificationId: string;
  certificationCode: string;
  startsAt: Date;
  declaredAt: Date;
  legalName: string;
}

const DAY = 86_400_000;

export const assessmentDeclaredLate = defineControl({
  id: 'assessment.declared-late',
  title: { fr: 'Session d’évaluation déclarée trop tard', en: 'Assessment session declared too late' },
  rationale: {
    fr: 'Les sessions d’examen se déclarent à l’avance pour que le certificateur puisse les contrôler (observation inopinée, jury) ; une déclaration tardive l’en empêche.',
    en: 'Exam sessions are declared in advance so the certifier can control them; a late declaration prevents it.',
  },
  sources: [sources.conventionEvaluation, sources.evaluationControl, sources.qualiopi16],
  severity: 'minor',
  checks:
    'Assessment sessions organised by a partner over the window, not cancelled, declared less than noticeDays before they start.',
  reads: ['assessment_sessions'],
  parameters: { windowDays: 730, noticeDays: 15 },
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => {
      const days = Math.floor((new Date(r.startsAt).getTime() - new Date(r.declaredAt).getTime()) / DAY);
      return {
        subjectKey: `assessment_session:${r.sessionId}`,
        organisationId: r.organisationId,
        certificationId: r.certificationId,
        title: `${r.legalName} — ${r.certificationCode} : session déclarée trop tard`,
        description:
          days < 0
            ? `Session du ${frenchDay(r.startsAt)} déclarée après coup, le ${frenchDay(r.declaredAt)}.`
            : `Session du ${frenchDay(r.startsAt)} déclarée le ${frenchDay(r.declaredAt)}, ${days} jour(s) avant (préavis requis : ${context.parameters.noticeDays} jours).`,
        evidence: {
          assessmentSessionId: r.sessionId,
          startsAt: new Date(r.startsAt).toISOString(),
          declaredAt: new Date(r.declaredAt).toISOString(),
          noticeDays: context.parameters.noticeDays,
        },
      };
    });
  },
});
