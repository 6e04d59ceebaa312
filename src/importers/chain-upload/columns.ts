/**
 * The columns of the two upload templates partners fill in (docs/chain-upload.md describes them for people):
 * one list per kind, used to read a file, to write the blank template and to name a column in an error.
 * Headers are French, as partners see them; `field` is the code's name of what the column fills.
 */

import type { UploadKind } from '../../core/contracts/chain-uploads.js';

export type { UploadKind };

export interface UploadColumn {
  /** The header as written in the template (compared ignoring case, accents, spaces and punctuation). */
  header: string;
  /** The input field it fills (`session.startsOn`, `candidate.birthName`, `result.score`…). */
  field: string;
  required: boolean;
  /** For the template's help sheet and the documentation. */
  description: string;
  example: string;
}

/**
 * Training sessions with their candidates: one row per candidate, the session's columns repeated on each
 * row. Rows with the same `reference_session` make one session (a file may declare several sessions).
 */
export const trainingSessionColumns: readonly UploadColumn[] = [
  {
    header: 'reference_session',
    field: 'session.reference',
    required: true,
    description: 'Votre référence de la session ; les lignes de même référence forment une session',
    example: 'RQ-2026-01',
  },
  {
    header: 'code_certification',
    field: 'session.certificationCode',
    required: true,
    description: 'Code RNCP ou RS de la certification préparée',
    example: 'RNCP38001',
  },
  {
    header: 'blocs',
    field: 'session.skillBlockCodes',
    required: false,
    description:
      'Codes des blocs de compétences préparés, séparés par des virgules ; vide : toute la certification',
    example: 'RNCP38001BC01, RNCP38001BC02',
  },
  {
    header: 'date_debut',
    field: 'session.startsOn',
    required: true,
    description: 'Premier jour de formation (AAAA-MM-JJ ou JJ/MM/AAAA)',
    example: '2026-01-05',
  },
  {
    header: 'date_fin',
    field: 'session.endsOn',
    required: true,
    description: 'Dernier jour de formation (AAAA-MM-JJ ou JJ/MM/AAAA)',
    example: '2026-03-27',
  },
  {
    header: 'heures',
    field: 'session.hours',
    required: false,
    description: 'Durée en heures (décimales avec virgule ou point)',
    example: '350',
  },
  {
    header: 'modalite',
    field: 'session.modality',
    required: true,
    description: 'presentiel, distanciel ou mixte',
    example: 'presentiel',
  },
  {
    header: 'lieu',
    field: 'session.site',
    required: false,
    description: 'Lieu de la formation',
    example: 'Lyon 3e',
  },
  {
    header: 'formateurs',
    field: 'session.trainers',
    required: false,
    description: 'Noms des formateurs, séparés par des virgules',
    example: 'Anne Petit, Paul Roux',
  },
  {
    header: 'financement',
    field: 'session.funding',
    required: false,
    description: 'cpf, apprentissage, employeur, personnel, public ou autre',
    example: 'cpf',
  },
  {
    header: 'nom_naissance',
    field: 'candidate.birthName',
    required: true,
    description: 'Nom de naissance du candidat',
    example: 'Martin',
  },
  {
    header: 'nom_usage',
    field: 'candidate.usageName',
    required: false,
    description: "Nom d'usage, s'il diffère du nom de naissance",
    example: '',
  },
  {
    header: 'prenoms',
    field: 'candidate.firstNames',
    required: true,
    description: "Prénoms dans l'ordre de l'état civil",
    example: 'Camille Marie',
  },
  {
    header: 'sexe',
    field: 'candidate.sex',
    required: true,
    description: 'F ou M (H est lu comme M)',
    example: 'F',
  },
  {
    header: 'date_naissance',
    field: 'candidate.birthDate',
    required: true,
    description: 'Date de naissance (AAAA-MM-JJ ou JJ/MM/AAAA)',
    example: '1995-06-14',
  },
  {
    header: 'lieu_naissance',
    field: 'candidate.birthPlace',
    required: true,
    description:
      "Code INSEE de la commune de naissance (5 caractères, ex. 69123, 2A004) ou, né(e) à l'étranger, code INSEE du pays (99 suivi de 3 chiffres, ex. 99350)",
    example: '69123',
  },
  {
    header: 'email',
    field: 'candidate.email',
    required: false,
    description: 'Adresse électronique du candidat',
    example: 'camille.martin@example.org',
  },
  {
    header: 'voie_acces',
    field: 'candidate.accessRoute',
    required: true,
    description:
      'formation_initiale, formation_continue, apprentissage, contrat_professionnalisation, vae ou candidature_individuelle',
    example: 'formation_continue',
  },
  {
    header: 'date_inscription',
    field: 'enrolment.enrolledOn',
    required: false,
    description: "Date d'inscription du candidat à la session",
    example: '2025-12-01',
  },
];

/**
 * Assessment results of one assessment session (named when uploading): one row per candidate and skill
 * block or assessment task.
 */
export const assessmentResultColumns: readonly UploadColumn[] = [
  {
    header: 'id_candidat',
    field: 'candidate.id',
    required: false,
    description:
      'Identifiant Habilis du candidat ; sinon le candidat est reconnu par nom, prénoms et date de naissance',
    example: '',
  },
  {
    header: 'nom_naissance',
    field: 'candidate.birthName',
    required: true,
    description: 'Nom de naissance du candidat inscrit à la session',
    example: 'Martin',
  },
  {
    header: 'prenoms',
    field: 'candidate.firstNames',
    required: true,
    description: 'Prénoms du candidat',
    example: 'Camille Marie',
  },
  {
    header: 'date_naissance',
    field: 'candidate.birthDate',
    required: true,
    description: 'Date de naissance (AAAA-MM-JJ ou JJ/MM/AAAA)',
    example: '1995-06-14',
  },
  {
    header: 'code_bloc',
    field: 'result.skillBlockCode',
    required: false,
    description: "Code du bloc de compétences évalué ; à défaut, renseigner l'épreuve",
    example: 'RNCP38001BC01',
  },
  {
    header: 'epreuve',
    field: 'result.assessmentTask',
    required: false,
    description: "Nom de l'épreuve, si le résultat porte sur une épreuve",
    example: 'Étude de cas',
  },
  {
    header: 'note',
    field: 'result.score',
    required: false,
    description: 'Note obtenue (vide pour un absent)',
    example: '14,5',
  },
  {
    header: 'note_max',
    field: 'result.maxScore',
    required: false,
    description: 'Note maximale (obligatoire si une note est donnée)',
    example: '20',
  },
  {
    header: 'decision',
    field: 'result.decision',
    required: true,
    description: 'admis, ajourne ou absent',
    example: 'admis',
  },
];

export const columnsOf: Record<UploadKind, readonly UploadColumn[]> = {
  'training-sessions': trainingSessionColumns,
  'assessment-results': assessmentResultColumns,
};

/** Compares headers the way people retype them: case, accents, spaces and punctuation do not count. */
export function headerKey(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
