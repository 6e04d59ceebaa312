import { defineControl } from '../engine/control-definition.js';
import { frenchDate } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  certificateId: string;
  number: string;
  issuedOn: string;
  dueOn: string;
  accrochageStatus: string;
  accrochageMessage: string | null;
  certificationId: string;
  organisationId: string | null;
  certificationCode: string;
}

const statusLabel: Record<string, string> = {
  pending: 'non transmis',
  sent: 'transmis sans accusé favorable',
  rejected: 'rejeté',
};

export const accrochageLate = defineControl({
  id: 'accrochage.late',
  title: {
    fr: 'Certificat non accepté par la Caisse des Dépôts dans les 3 mois',
    en: 'Certificate not accepted by the CDC within 3 months',
  },
  rationale: {
    fr: 'Le certificateur transmet au SI-CPF les données de chaque titulaire dans les 3 mois de la délivrance ; à défaut, ses certifications peuvent être retirées des répertoires.',
    en: 'The certifier sends each holder’s data to the SI-CPF within 3 months of the award; otherwise its certifications may be removed from the registers.',
  },
  sources: [sources.accrochage],
  severity: 'major',
  checks:
    'Certificates not revoked whose accrochage status is not accepted once deadlineMonths have passed since the issue date.',
  reads: ['certificates', 'candidates'],
  parameters: { deadlineMonths: 3 },
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => ({
      subjectKey: `certificate:${r.certificateId}`,
      organisationId: r.organisationId,
      certificationId: r.certificationId,
      title: `Certificat ${r.number} (${r.certificationCode}) : accrochage en retard`,
      description: `Certificat délivré le ${frenchDate(r.issuedOn)}, à accepter par la Caisse des Dépôts avant le ${frenchDate(r.dueOn)} : ${statusLabel[r.accrochageStatus] ?? r.accrochageStatus}${r.accrochageMessage ? ` (${r.accrochageMessage})` : ''}.`,
      evidence: {
        certificateId: r.certificateId,
        issuedOn: r.issuedOn,
        dueOn: r.dueOn,
        accrochageStatus: r.accrochageStatus,
      },
    }));
  },
});
