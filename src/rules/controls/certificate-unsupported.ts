import { defineControl } from '../engine/control-definition.js';
import { frenchDate } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  certificateId: string;
  number: string;
  issuedOn: string;
  certificationId: string;
  organisationId: string | null;
  deliberationId: string;
  decision: string;
  juryStatus: string;
  problems: ('unfavourable_decision' | 'other_candidate' | 'other_certification' | 'jury_not_deliberated')[];
  unvalidatedBlocks: string[];
  certificationCode: string;
}

const problemText: Record<Row['problems'][number], string> = {
  unfavourable_decision: 'la délibération ne certifie pas le candidat',
  other_candidate: 'la délibération concerne un autre candidat',
  other_certification: 'le jury délibérait sur une autre certification',
  jury_not_deliberated: 'le jury n’a pas encore délibéré',
};

/** A certificate not backed by a favourable deliberation, or with skill blocks nobody validated. */
export const certificateUnsupported = defineControl({
  id: 'certificate.unsupported',
  title: {
    fr: 'Certificat sans délibération favorable ou avec des blocs non validés',
    en: 'Certificate without a deliberation, or with blocs not all validated',
  },
  rationale: {
    fr: 'Seul le certificateur délivre la certification, sur décision d’un jury qui a validé chaque bloc ; un parchemin sans cette décision est une délivrance irrégulière.',
    en: 'Only the certifier awards, on a jury decision that validated every bloc; a certificate without it is an irregular award.',
  },
  sources: [sources.certifierAwards, sources.evaluationControl],
  severity: 'critical',
  checks:
    'Certificates not revoked whose deliberation is not certified / certified_by_blocks, is about another candidate or certification, or whose jury has not deliberated; or whose skill blocks (all of the certification for certified, unless validated by the deliberation itself; the listed ones for certified_by_blocks) have no passed assessment result.',
  reads: [
    'certificates',
    'deliberations',
    'deliberation_skill_blocks',
    'juries',
    'skill_blocks',
    'assessment_results',
    'assessment_sessions',
    'candidates',
  ],
  parameters: {},
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => {
      const reasons = r.problems.map((p) => problemText[p]);
      if (r.unvalidatedBlocks.length)
        reasons.push(`blocs sans résultat validé : ${r.unvalidatedBlocks.join(', ')}`);
      return {
        subjectKey: `certificate:${r.certificateId}`,
        organisationId: r.organisationId,
        certificationId: r.certificationId,
        title: `Certificat ${r.number} (${r.certificationCode}) : délivrance non justifiée`,
        description: `Certificat ${r.number} délivré le ${frenchDate(r.issuedOn)} : ${reasons.join(' ; ')}.`,
        evidence: {
          certificateId: r.certificateId,
          deliberationId: r.deliberationId,
          decision: r.decision,
          juryStatus: r.juryStatus,
          problems: r.problems,
          unvalidatedBlocks: r.unvalidatedBlocks,
        },
      };
    });
  },
});
