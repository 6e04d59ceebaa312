import type { RuleSource } from './control-definition.js';

/**
 * The texts the controls cite, worded once (see ../shared/research/regulation.md §1–§4 and §7 for the
 * sources behind each). Articles R6113-16-1 to R6113-16-6 come from décret n° 2025-500 of 6 June 2025.
 */
export const sources = {
  habilitationAct: {
    kind: 'law',
    reference:
      'Code du travail, art. R6113-16-1 et R6113-16-2 (décret n° 2025-500) : objet, certifications et blocs, durée de l’habilitation',
  },
  trainerObligations: {
    kind: 'law',
    reference:
      'Code du travail, art. R6113-16-3 (décret n° 2025-500) : l’organisme habilité à former respecte le référentiel, les durées minimales et les effectifs',
  },
  evaluatorObligations: {
    kind: 'law',
    reference:
      'Code du travail, art. R6113-16-4 et R6113-16-5 (décret n° 2025-500) : l’organisme habilité à évaluer organise les sessions conformément au référentiel d’évaluation',
  },
  certifierSanctions: {
    kind: 'law',
    reference:
      'Décret n° 2025-500 : le certificateur peut suspendre, abroger ou résilier l’habilitation d’un organisme défaillant',
  },
  evaluationControl: {
    kind: 'france_competences',
    reference:
      'Code du travail, art. R6113-9, 4° : procédures de contrôle de toutes les modalités d’organisation des épreuves d’évaluation',
  },
  evaluationDoctrine: {
    kind: 'france_competences',
    reference:
      'France Compétences, préconisations sur l’évaluation des compétences (oct. 2021) : règles formalisées et contrôle interne',
  },
  cpfReferencing: {
    kind: 'law',
    reference:
      'Code du travail, art. L6323-9-1, 2° : référencement CPF conditionné à Qualiopi et à l’habilitation du certificateur',
  },
  qualiopiRequired: {
    kind: 'law',
    reference:
      'Code du travail, art. L6316-1 : certification qualité (Qualiopi) requise pour les fonds publics et mutualisés',
  },
  accrochage: {
    kind: 'law',
    reference:
      'Code du travail, art. L6113-8 ; Caisse des Dépôts : données des titulaires au SI-CPF dans les 3 mois de la délivrance',
  },
  qualiopi3: {
    kind: 'qualiopi',
    reference: 'Qualiopi, indicateur 3 : taux de réussite aux certifications publiés',
  },
  qualiopi16: {
    kind: 'qualiopi',
    reference:
      'Qualiopi, indicateur 16 : présentation à la certification dans le respect des exigences formelles du certificateur',
  },
  conventionObject: {
    kind: 'convention',
    reference:
      'Convention de partenariat : parties, objet, certifications et blocs couverts, durée et renouvellement',
  },
  conventionTeaching: {
    kind: 'convention',
    reference:
      'Convention de partenariat / conditions de l’habilitation : durée minimale de formation, effectifs maximaux',
  },
  conventionEvaluation: {
    kind: 'convention',
    reference:
      'Convention de partenariat : déclaration préalable des sessions, contrôle d’identité, transmission des résultats et des PV',
  },
  conventionControls: {
    kind: 'convention',
    reference: 'Convention de partenariat : droit de contrôle du certificateur et conservation des preuves',
  },
  statisticalControl: {
    kind: 'good_practice',
    reference:
      'Contrôle statistique du réseau (regulation.md §7 E-16) : taux de réussite et volumes comparés au réseau',
  },
  partnerDeclaration: {
    kind: 'france_competences',
    reference:
      'Code du travail, art. R6113-16-2 (décret n° 2025-500) et France Compétences : le certificateur déclare ses organismes habilités sur la fiche du répertoire',
  },
  cpfOffersBlocked: {
    kind: 'cdc',
    reference:
      'Caisse des Dépôts (EDOF) : une offre CPF n’est publiée que si l’organisme figure parmi les partenaires habilités de la fiche',
  },
  certifierAwards: {
    kind: 'france_competences',
    reference:
      'France Compétences, note du 28 févr. 2020 : le certificateur délivre seul la certification, sur décision du jury',
  },
} satisfies Record<string, RuleSource>;
