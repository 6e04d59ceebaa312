import type {
  HonoursLevel,
  LanguageLevel,
  ObtentionMode,
  RegistrationInitiative,
  VaeRoute,
} from '../../core/accrochage/holder-record.schema.js';
import type { AccessRoute } from '../../core/candidates/candidate.schema.js';
import type { Modality } from '../../core/chain/training-session.schema.js';

/*
 * Habilis' names → the CDC's enumerations (XSD 1.1.2, formats.md §B.4). Each table is a Record over the
 * Habilis union, so adding a value on the Habilis side fails to compile until its CDC value is chosen here.
 */

/** Voie d'accès → `modaliteAcces`. The CDC's EQUIVALENCE_DIPLOME_ETRANGER has no Habilis route yet. */
export const cdcAccessRoute: Record<AccessRoute, string> = {
  initial_training: 'FORMATION_INITIALE_HORS_APPRENTISSAGE',
  apprenticeship: 'FORMATION_INITIALE_APPRENTISSAGE',
  continuing_training: 'FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION',
  professionalisation_contract: 'FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION',
  vae: 'VAE',
  individual_application: 'CANDIDAT_LIBRE',
};

/** Assessment modality → `modalitePassageExamen`. */
export const cdcModality: Record<Modality, string> = {
  in_person: 'EN_PRESENTIEL',
  distance: 'A_DISTANCE',
  blended: 'MIXTE',
};

export const cdcObtention: Record<ObtentionMode, string> = {
  admission: 'PAR_ADMISSION',
  scoring: 'PAR_SCORING',
};

export const cdcHonours: Record<HonoursLevel, string> = {
  none: 'SANS_MENTION',
  fairly_good: 'MENTION_ASSEZ_BIEN',
  good: 'MENTION_BIEN',
  very_good: 'MENTION_TRES_BIEN',
  very_good_with_congratulations: 'MENTION_TRES_BIEN_AVEC_FELICITATIONS_DU_JURY',
};

export const cdcVaeRoute: Record<VaeRoute, string> = {
  vae_leave: 'CONGES_VAE',
  standard: 'VAE_CLASSIQUE',
};

/** The CDC still names France Travail by its former name, Pôle emploi. */
export const cdcInitiative: Record<RegistrationInitiative, string> = {
  holder: 'CERTIFIE',
  training_provider: 'OF',
  employment_service: 'POLE_EMPLOI',
  employer: 'EMPLOYEUR',
  other: 'AUTRE',
};

export const cdcLanguageLevel: Record<LanguageLevel, string> = {
  A1: 'A1',
  A2: 'A2',
  B1: 'B1',
  B2: 'B2',
  C1: 'C1',
  C2: 'C2',
  insufficient: 'INSUFFISANT',
};
