import { defineControl } from '../engine/control-definition.js';
import { frenchDate } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  conventionId: string;
  reference: string;
  organisationId: string;
  endsOn: string;
  legalName: string;
  unrenewedCodes: string[];
  firstCertificationId: string;
}

export const conventionExpiring = defineControl({
  id: 'convention.expiring',
  title: {
    fr: 'Convention arrivant à échéance sans renouvellement',
    en: 'Convention expiring without renewal',
  },
  rationale: {
    fr: 'Une convention qui expire alors que l’habilitation continue laisse le partenaire agir sans cadre contractuel ; le renouvellement se prépare avant l’échéance.',
    en: 'A convention that ends while the habilitation continues leaves the partner without a contract; renewal is prepared before the end.',
  },
  sources: [sources.conventionObject, sources.habilitationAct],
  severity: 'minor',
  checks:
    'Signed, not terminated conventions ending within noticeDays, for certifications on which the partner keeps a habilitation in force beyond that end, and that no other convention of the partner (draft, sent or signed, ending later or open-ended) covers.',
  reads: ['conventions', 'convention_certifications', 'habilitations'],
  parameters: { noticeDays: 90 },
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => ({
      subjectKey: `convention:${r.conventionId}`,
      organisationId: r.organisationId,
      certificationId: r.unrenewedCodes.length === 1 ? r.firstCertificationId : null,
      title: `${r.legalName} : convention ${r.reference} à renouveler`,
      description: `La convention ${r.reference} prend fin le ${frenchDate(r.endsOn)} sans convention qui lui succède pour ${r.unrenewedCodes.join(', ')}, alors que l’habilitation continue.`,
      evidence: { conventionId: r.conventionId, endsOn: r.endsOn, certificationCodes: r.unrenewedCodes },
    }));
  },
});
