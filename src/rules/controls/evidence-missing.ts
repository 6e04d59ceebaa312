import { defineControl } from '../engine/control-definition.js';
import { frenchDate } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  kind: 'assessment_session' | 'jury';
  id: string;
  organisationId: string | null;
  certificationId: string;
  certificationCode: string;
  day: string;
  missing: string[];
}

const purposeLabel: Record<string, string> = {
  attendance_sheet: 'feuille d’émargement',
  assessment_minutes: 'procès-verbal de session',
  identity_check: 'contrôle d’identité',
  jury_minutes: 'procès-verbal du jury',
};

export const evidenceMissing = defineControl({
  id: 'evidence.missing',
  title: { fr: 'Preuves obligatoires manquantes', en: 'Missing mandatory evidence' },
  rationale: {
    fr: 'Émargement, procès-verbal et contrôle d’identité prouvent que l’évaluation a eu lieu dans les règles ; France Compétences peut les demander à tout moment.',
    en: 'Attendance sheets, minutes and identity checks prove the assessment took place by the rules; France Compétences may ask for them at any time.',
  },
  sources: [sources.conventionControls, sources.qualiopi16, sources.evaluationControl],
  severity: 'major',
  checks:
    'Assessment sessions organised by a partner, over the window and more than graceDays old, lacking an evidence link (entity assessment_session) for one of sessionPurposes; juries deliberated or signed more than graceDays ago without minutes.',
  reads: ['assessment_sessions', 'evidence_links', 'juries'],
  parameters: {
    windowDays: 730,
    graceDays: 15,
    sessionPurposes: ['attendance_sheet', 'assessment_minutes', 'identity_check'],
  },
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => {
      const missing = r.missing.map((p) => purposeLabel[p] ?? p);
      return {
        subjectKey: `${r.kind}:${r.id}`,
        organisationId: r.organisationId,
        certificationId: r.certificationId,
        title: `${r.certificationCode} : preuves manquantes (${r.kind === 'jury' ? 'jury' : 'session'} du ${frenchDate(r.day)})`,
        description: `${r.kind === 'jury' ? 'Jury' : 'Session d’évaluation'} du ${frenchDate(r.day)} sans : ${missing.join(', ')}.`,
        evidence: { kind: r.kind, id: r.id, day: r.day, missing: r.missing },
      };
    });
  },
});
