import type { ClauseVariable } from './model.js';

/**
 * The convention template Habilis ships: a partnership convention between an organisme certificateur and
 * a partenaire habilité, following what the Code du travail (R6113-16 and following, as amended by décret
 * n° 2025-500) asks a habilitation to state: object and certifications, duration, financial terms, means,
 * obligations, subcontracting, controls and sanctions, handling of requests. Written for Habilis; a
 * certifier adapts it to its own practice and has it reviewed by its counsel.
 */
/** French typography: no line break between a guillemet and the word it encloses. */
const guillemets = (text: string) => text.replace(/« /g, '«\u00a0').replace(/ »/g, '\u00a0»');

export const defaultConventionTemplate = guillemets(`# Convention de partenariat et d’habilitation

Référence {{reference}}, version {{version}}, éditée le {{generatedOn}}.

## Entre les soussignés

{{certifier}}, SIRET {{certifierSiret}}, numéro de déclaration d’activité {{certifierNda}}, dont le siège est situé {{certifierAddress}}, organisme certificateur au sens de l’article L. 6113-2 du Code du travail, ci-après « le certificateur »,

et

{{partner}}, SIRET de l’établissement habilité {{partnerSiret}}, numéro de déclaration d’activité {{partnerNda}}, situé {{partnerAddress}}, ci-après « le partenaire habilité ».

## Préambule

Le certificateur est à l’origine de l’enregistrement des certifications professionnelles désignées ci-dessous au répertoire national des certifications professionnelles ou au répertoire spécifique. En application des articles R. 6113-16 et suivants du Code du travail, il peut habiliter des organismes tiers à préparer à ces certifications, à organiser les sessions d’évaluation, ou les deux, sous sa responsabilité et dans les conditions fixées par la présente convention. La certification demeure la propriété du certificateur, qui seul la délivre.

## Article 1 – Objet

La présente convention fixe les conditions dans lesquelles le partenaire habilité est autorisé à {{scope}} pour les certifications suivantes :

{{certifications}}

## Article 2 – Blocs de compétences couverts

L’habilitation porte sur les blocs de compétences suivants :

{{skillBlocks}}

Le partenaire utilise l’intitulé exact de chaque certification et de chaque bloc tel qu’enregistré par France compétences.

## Article 3 – Durée

La convention prend effet le {{startsOn}} et s’achève le {{endsOn}}, soit une durée de {{duration}}. Son renouvellement fait l’objet d’une nouvelle convention, précédée d’un examen du respect des engagements de la période écoulée. Toute modification fait l’objet d’un avenant écrit.

## Article 4 – Conditions financières

En contrepartie de l’habilitation et des prestations d’accompagnement, de contrôle et de délivrance assurées par le certificateur, le partenaire verse :

- une redevance par candidat inscrit à une session d’évaluation : {{feePerCandidate}} ;
- une redevance annuelle : {{annualFee}}.

Les redevances sont facturées par le certificateur et payables à trente jours. Les montants s’entendent hors taxes.

## Article 5 – Obligations du partenaire habilité

{{obligations}}

## Article 6 – Droits de contrôle du certificateur

{{controlRights}}

## Article 7 – Communication

{{communicationRules}}

## Article 8 – Sous-traitance

{{subcontracting}}

## Article 9 – Manquements et sanctions

{{sanctions}}

## Article 10 – Déclaration à France compétences

Le certificateur déclare le partenaire habilité à France compétences et met à jour cette déclaration dans les deux mois suivant toute modification, suspension ou fin de l’habilitation. Le partenaire communique sans délai toute modification de son SIRET, de sa raison sociale, de son numéro de déclaration d’activité ou de sa certification Qualiopi.

## Article 11 – Données personnelles

Chaque partie traite les données personnelles des candidats dans le respect du règlement (UE) 2016/679. Le partenaire transmet au certificateur les données nécessaires à l’inscription des candidats, à la délivrance des certifications et à leur transmission au système d’information du compte personnel de formation, qui reste de la seule responsabilité du certificateur.

## Article 12 – Réclamations et litiges

Les réclamations des candidats relatives à l’évaluation ou à la certification sont transmises au certificateur dans un délai de huit jours. Les parties recherchent une solution amiable à tout différend né de la présente convention ; à défaut, le tribunal compétent est celui du siège du certificateur.

## Signatures

Fait en deux exemplaires originaux.

Pour le certificateur, {{certifier}} : nom, qualité, date et signature.

Pour le partenaire habilité, {{partner}} : nom, qualité, date et signature.
`);

/** The clauses used when a convention does not write its own (its `clauses` JSON). */
export const defaultConventionClauses: Readonly<Record<ClauseVariable, string>> = {
  obligations: [
    '- dispenser des formations conformes au référentiel d’activités, de compétences et d’évaluation en vigueur, couvrant l’ensemble des compétences visées, y compris transversales ;',
    '- respecter les durées minimales de formation et de stage, les exigences de présentiel et les effectifs maximaux fixés par le certificateur ;',
    '- disposer de moyens pédagogiques, techniques et d’encadrement adaptés, et de formateurs et évaluateurs dont les qualifications sont justifiées ;',
    '- inscrire aux sessions d’évaluation les candidats qu’il a préparés et organiser ces sessions dans le respect du référentiel d’évaluation et des consignes du certificateur (convocations, vérification d’identité, surveillance, composition du jury) ;',
    '- transmettre au certificateur, dans les délais fixés, les résultats, procès-verbaux et pièces justificatives de chaque session ;',
    '- maintenir sa déclaration d’activité et, pour les actions financées par des fonds publics ou mutualisés, sa certification Qualiopi, et informer sans délai le certificateur de tout changement ;',
    '- traiter les réclamations des candidats et en informer le certificateur.',
  ].join('\n'),
  controlRights: [
    'Le certificateur contrôle à tout moment le respect de la présente convention. Il peut notamment :',
    '- demander tout document relatif aux formations et évaluations réalisées (programmes, feuilles d’émargement, plannings, supports, dossiers des candidats) ;',
    '- réaliser des audits sur place, annoncés ou inopinés, et assister aux sessions de formation et d’évaluation ;',
    '- examiner la communication du partenaire et ses offres publiées, y compris sur Mon Compte Formation ;',
    '- analyser les résultats et indicateurs du partenaire au regard de ceux du réseau.',
    'Le partenaire facilite ces contrôles et répond aux demandes dans un délai de quinze jours. Chaque contrôle donne lieu à un rapport communiqué au partenaire.',
  ].join('\n'),
  sanctions: [
    'Tout manquement constaté fait l’objet d’un constat écrit. Selon sa gravité et sa répétition, le certificateur peut prononcer, après avoir invité le partenaire à présenter ses observations dans un délai de quinze jours :',
    '- une observation assortie d’un plan d’actions correctives ;',
    '- un avertissement, avec un délai de mise en conformité ;',
    '- la mise sous surveillance renforcée ;',
    '- la suspension de l’habilitation, qui interdit toute nouvelle inscription et toute nouvelle session d’évaluation ;',
    '- le retrait de l’habilitation et la résiliation de la présente convention.',
    'En cas de fraude ou de manquement grave, la suspension peut être prononcée à titre conservatoire. Le certificateur peut signaler les faits aux autorités compétentes (France compétences, Caisse des dépôts, DGCCRF).',
  ].join('\n'),
  communicationRules: guillemets(
    [
      'Le partenaire présente les certifications sous leur intitulé exact, avec leur code RNCP ou RS et leur niveau, et mentionne qu’elles sont délivrées par le certificateur. Il lui est interdit :',
      '- de se présenter comme certificateur ou de laisser croire qu’il délivre la certification ;',
      '- d’employer des mentions de niveau non enregistrées (par exemple « Bac+3 », « Mastère ») ;',
      '- de publier des taux de réussite ou d’insertion autres que ceux communiqués par le certificateur ;',
      '- de démarcher les titulaires d’un compte personnel de formation en méconnaissance de l’article L. 6323-8-1 du Code du travail.',
      'Les supports mentionnant le certificateur ou ses certifications lui sont soumis avant diffusion.',
    ].join('\n'),
  ),
  subcontracting: [
    'Le partenaire ne peut sous-traiter tout ou partie des prestations couvertes par l’habilitation qu’avec l’accord écrit et préalable du certificateur. Le sous-traitant doit être lui-même habilité par le certificateur lorsque la prestation porte sur un bloc de compétences complet, et satisfaire aux conditions de l’article L. 6323-9-2 du Code du travail. La sous-traitance en cascade est interdite. Le partenaire demeure responsable envers le certificateur des prestations sous-traitées.',
  ].join('\n'),
};
