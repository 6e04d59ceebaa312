import type { HabilitationScope } from '../../core/habilitations/habilitation.js';
import { combineScopes, habilitationTypeOfScope } from '../../core/registry/reconcile.js';
import { defineControl } from '../engine/control-definition.js';
import { sources } from '../engine/sources.js';

interface Row {
  ficheCode: string;
  certificationId: string;
  organisationId: string;
  siret: string;
  legalName: string;
  scopes: HabilitationScope[];
  habilitationIds: string[];
  listedStates: string[];
}

/** As the registry reconciliation words it, so both writers of this finding agree on its text. */
const typeLabel = {
  HABILITATION_FORMER: 'former (HABILITATION_FORMER)',
  HABILITATION_ORGANISER: 'organiser l’évaluation (HABILITATION_ORGANISER)',
  HABILITATION_ORGA_FORM: 'former et organiser l’évaluation (HABILITATION_ORGA_FORM)',
} as const;

/**
 * The same finding as the registry import's reconciliation (`registry.not_declared`, subject
 * `<fiche>:<siret>`): one rule id and one subject key for both writers, so a partner has one live finding
 * whichever found it first. The import judges on the day of each file; this rule judges every day, so a
 * habilitation that comes into force after the last import is found the next night.
 */
export const registryNotDeclared = defineControl({
  id: 'registry.not_declared',
  title: {
    fr: 'Partenaire actif dans Habilis mais non déclaré à France Compétences',
    en: 'Partner active in Habilis but not declared to France Compétences',
  },
  rationale: {
    fr: 'Un organisme habilité que la fiche du répertoire ne liste pas ne peut pas publier d’offre CPF, et la déclaration du certificateur est incomplète.',
    en: 'A habilitated partner the registry fiche does not list cannot publish CPF offers, and the certifier’s declaration is incomplete.',
  },
  sources: [sources.partnerDeclaration, sources.cpfOffersBlocked],
  severity: 'major',
  checks:
    'Active France Compétences fiches (last registry import) of the certifier’s owned certifications: partners with a habilitation in force on the day (active or under watch, within its period) whose SIRET the fiche does not list as declared (state Actif, or no state).',
  reads: ['fc_fiches', 'fc_declared_partners', 'certifications', 'habilitations', 'organisations'],
  parameters: {},
  async find(data, context) {
    const rows = await data.rows<Row>(this.id, context);
    return rows.map((r) => {
      const scope = combineScopes(r.scopes) ?? 'both';
      const type = habilitationTypeOfScope[scope];
      return {
        subjectKey: `${r.ficheCode}:${r.siret}`,
        organisationId: r.organisationId,
        certificationId: r.certificationId,
        title: `${r.ficheCode} : partenaire habilité dans Habilis mais non déclaré à France Compétences`,
        description: `${r.legalName} (SIRET ${r.siret}) est habilité dans Habilis (${typeLabel[type]}) mais ${
          r.listedStates.length
            ? `France Compétences le liste avec l’état ${r.listedStates.join(', ')}`
            : 'France Compétences ne le liste pas'
        } pour ${r.ficheCode} : la Caisse des Dépôts bloquera ses offres CPF. Le déclarer sur la fiche.`,
        evidence: {
          ficheCode: r.ficheCode,
          siret: r.siret,
          expectedHabilitationType: type,
          listedStates: r.listedStates,
          habilitationIds: r.habilitationIds,
        },
      };
    });
  },
});
