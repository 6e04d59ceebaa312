import { defineControl } from '../engine/control-definition.js';
import { frenchDate } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  sessionId: string;
  organisationId: string;
  certificationId: string;
  reference: string | null;
  startsOn: string;
  endsOn: string;
  hasTrainingHabilitation: boolean;
  missingBlocks: string[];
  legalName: string;
  certificationCode: string;
}

/** A training session on a certification, or on skill blocks, the partner is not habilitated to train for. */
export const habilitationTrainingScope = defineControl({
  id: 'habilitation.training-scope',
  title: {
    fr: 'Formation hors du périmètre de l’habilitation',
    en: 'Training outside the habilitation’s scope',
  },
  rationale: {
    fr: 'Une habilitation à former vaut pour une certification et, le cas échéant, pour certains blocs ; la Caisse des Dépôts bloque les offres CPF hors habilitation.',
    en: 'A habilitation to train covers one certification and possibly some blocs; the CDC blocks CPF offers outside it.',
  },
  sources: [sources.habilitationAct, sources.cpfReferencing],
  severity: 'critical',
  checks:
    'Training sessions over the window whose partner holds no granted habilitation with a training scope (train or both) on the certification, or whose skill blocks (all blocks of the certification when the session names none) are not all covered by one.',
  reads: [
    'training_sessions',
    'training_session_skill_blocks',
    'skill_blocks',
    'habilitations',
    'habilitation_skill_blocks',
  ],
  parameters: { windowDays: 730 },
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => {
      const what = r.hasTrainingHabilitation
        ? `sur des blocs non couverts par l’habilitation (${r.missingBlocks.join(', ')})`
        : `sans habilitation à former sur ${r.certificationCode}`;
      return {
        subjectKey: `training_session:${r.sessionId}`,
        organisationId: r.organisationId,
        certificationId: r.certificationId,
        title: `${r.legalName} — ${r.certificationCode} : formation hors habilitation`,
        description: `Session de formation ${r.reference ?? r.sessionId} (${frenchDate(r.startsOn)} – ${frenchDate(r.endsOn)}) ${what}.`,
        evidence: {
          trainingSessionId: r.sessionId,
          startsOn: r.startsOn,
          endsOn: r.endsOn,
          hasTrainingHabilitation: r.hasTrainingHabilitation,
          missingBlocks: r.missingBlocks,
        },
      };
    });
  },
});
