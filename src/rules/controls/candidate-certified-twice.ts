import { defineControl } from '../engine/control-definition.js';
import { frenchDate } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  certificationId: string;
  certificationCode: string;
  identityHash: string;
  birthName: string;
  firstNames: string;
  birthDate: string;
  numbers: string[];
  candidateIds: string[];
  organisationIds: string[];
}

export const candidateCertifiedTwice = defineControl({
  id: 'candidate.certified-twice',
  title: { fr: 'Même personne certifiée deux fois', en: 'The same person certified twice' },
  rationale: {
    fr: 'Deux certificats complets de la même certification pour une même personne trahissent un doublon de dossier ou une fraude (candidat présenté deux fois, financement doublé).',
    en: 'Two full certificates of the same certification for one person reveal a duplicate record or fraud (presented twice, funded twice).',
  },
  sources: [sources.certifierAwards, sources.accrochage],
  severity: 'major',
  checks:
    'Certificates not revoked from a full (certified) deliberation, grouped by certification and identity (birth name, first names, birth date, case-insensitive): groups of two or more.',
  reads: ['certificates', 'candidates', 'deliberations'],
  parameters: {},
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => ({
      subjectKey: `${r.certificationId}:${r.identityHash}`,
      organisationId: r.organisationIds.length === 1 ? (r.organisationIds[0] as string) : null,
      certificationId: r.certificationId,
      title: `${r.certificationCode} : ${r.firstNames} ${r.birthName} certifié(e) plusieurs fois`,
      description: `${r.numbers.length} certificats ${r.certificationCode} (${r.numbers.join(', ')}) pour ${r.firstNames} ${r.birthName}, né(e) le ${frenchDate(r.birthDate)}.`,
      evidence: {
        certificateNumbers: r.numbers,
        candidateIds: r.candidateIds,
        organisationIds: r.organisationIds,
      },
    }));
  },
});
