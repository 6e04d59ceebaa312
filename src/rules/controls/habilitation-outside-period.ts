import { defineControl } from '../engine/control-definition.js';
import { frenchDate } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  kind: 'training_session' | 'assessment_session';
  id: string;
  organisationId: string;
  certificationId: string;
  day: string;
  legalName: string;
  certificationCode: string;
  /** `starts…ends status-on-that-day` for each habilitation of the right scope. */
  habilitations: string[];
}

/** Activity on a day the partner's habilitation did not run, or was suspended (or not yet granted). */
export const habilitationOutsidePeriod = defineControl({
  id: 'habilitation.outside-period',
  title: {
    fr: 'Activité hors de la période de l’habilitation ou pendant une suspension',
    en: 'Activity outside the habilitation’s period or while suspended',
  },
  rationale: {
    fr: 'L’habilitation a une durée et peut être suspendue : former ou évaluer hors de cette durée, ou pendant la suspension, c’est agir sans habilitation.',
    en: 'A habilitation has a period and may be suspended: training or assessing outside it, or while suspended, is acting without one.',
  },
  sources: [sources.habilitationAct, sources.certifierSanctions],
  severity: 'critical',
  checks:
    'Training sessions (start day) and assessment sessions (day) over the window whose partner holds a habilitation of the right scope on the certification, but none whose period covers that day with an effective status on that day (its last decision by then: active or under watch to train, active to evaluate).',
  reads: ['training_sessions', 'assessment_sessions', 'habilitations', 'habilitation_decisions'],
  parameters: { windowDays: 730 },
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => {
      const what = r.kind === 'training_session' ? 'Session de formation' : 'Session d’évaluation';
      return {
        subjectKey: `${r.kind}:${r.id}`,
        organisationId: r.organisationId,
        certificationId: r.certificationId,
        title: `${r.legalName} — ${r.certificationCode} : activité hors période ou pendant une suspension`,
        description: `${what} du ${frenchDate(r.day)} alors qu’aucune habilitation n’était en vigueur ce jour-là (habilitations : ${r.habilitations.join(' ; ')}).`,
        evidence: { kind: r.kind, id: r.id, day: r.day, habilitations: r.habilitations },
      };
    });
  },
});
