import { defineControl } from '../engine/control-definition.js';
import { count, frenchDate } from '../engine/format.js';
import { sources } from '../engine/sources.js';

interface Row {
  organisationId: string;
  legalName: string;
  qualiopiStatus: string;
  qualiopiExpiresOn: string | null;
  sessionCount: number;
  firstDay: string;
  lastDay: string;
  sampleSessionIds: string[];
  certificationCodes: string[];
}

const statusLabel: Record<string, string> = {
  certified: 'certifié',
  not_certified: 'non certifié',
  lapsed: 'certification échue',
  unknown: 'statut inconnu',
};

/** A partner training on CPF funding without a valid Qualiopi certificate. */
export const qualiopiCpf = defineControl({
  id: 'qualiopi.cpf',
  title: {
    fr: 'Qualiopi absente ou échue sur des formations financées par le CPF',
    en: 'Qualiopi missing or lapsed while training on CPF',
  },
  rationale: {
    fr: 'Sans Qualiopi, un organisme ne peut être référencé sur Mon Compte Formation : ses actions CPF sont irrégulières et la Caisse des Dépôts le déréférence.',
    en: 'Without Qualiopi a provider cannot be referenced on Mon Compte Formation: its CPF actions are irregular and the CDC deregisters it.',
  },
  sources: [sources.qualiopiRequired, sources.cpfReferencing],
  severity: 'critical',
  checks:
    'CPF-funded training sessions over the window (and planned within a year) whose partner’s Qualiopi was not valid on the session’s first day (certified and not expired, or lapsed after that day), or is not valid today for a session still running; one finding per partner.',
  reads: ['training_sessions', 'organisations'],
  parameters: { windowDays: 365 },
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => ({
      subjectKey: r.organisationId,
      organisationId: r.organisationId,
      certificationId: null,
      title: `${r.legalName} : formations CPF sans Qualiopi valide`,
      description: `${count(r.sessionCount, 'session')} financée(s) par le CPF (${r.certificationCodes.join(', ')}) du ${frenchDate(r.firstDay)} au ${frenchDate(r.lastDay)} alors que la Qualiopi de l’organisme est : ${statusLabel[r.qualiopiStatus] ?? r.qualiopiStatus}${r.qualiopiExpiresOn ? `, échéance ${frenchDate(r.qualiopiExpiresOn)}` : ''}.`,
      evidence: {
        qualiopiStatus: r.qualiopiStatus,
        qualiopiExpiresOn: r.qualiopiExpiresOn,
        sessionCount: r.sessionCount,
        sessions: r.sampleSessionIds,
        certificationCodes: r.certificationCodes,
      },
    }));
  },
});
