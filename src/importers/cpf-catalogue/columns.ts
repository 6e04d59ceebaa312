import type { TableSpec } from '../lpof/tabular/index.js';

/**
 * The columns of the CDC catalogue of CPF offers (`moncompteformation_catalogueformation`), each field
 * with every name seen for it: the 2023–2024 generation first, the newer names after (`siret_of`,
 * `code_rs`, `date_chargement`). Names are compared case-, accent- and punctuation-blind.
 * See docs/formats/cpf-catalogue.md.
 */
export const cpfCatalogueColumns = {
  offerId: ['numero_formation'],
  extractedOn: ['date_extract', 'date_chargement'],
  siret: ['siret', 'siret_of'],
  organisationName: ['nom_of', 'raison_sociale_of', 'raison_sociale'],
  register: ['type_referentiel'],
  rncpNumber: ['code_rncp'],
  rsNumber: ['code_inventaire', 'code_rs'],
  certifInfoCode: ['code_certifinfo'],
  certificationTitle: ['intitule_certification'],
  level: ['libelle_niveau_sortie_formation'],
  title: ['intitule_formation'],
  highlights: ['points_forts'],
  objective: ['objectif_formation'],
  content: ['contenu_formation'],
  expectedResults: ['resultats_attendus_formation'],
  formacode1: ['code_formacode_1'],
  formacode2: ['code_formacode_2'],
  formacode3: ['code_formacode_3'],
  formacode4: ['code_formacode_4'],
  formacode5: ['code_formacode_5'],
  mainFormacodeLabel: ['libelle_code_formacode_principal'],
  nsfCode1: ['code_nsf_1'],
  nsfCode2: ['code_nsf_2'],
  nsfCode3: ['code_nsf_3'],
  nsfLabel1: ['libelle_nsf_1'],
  nsfLabel2: ['libelle_nsf_2'],
  nsfLabel3: ['libelle_nsf_3'],
  rome1: ['code_rome_1'],
  rome2: ['code_rome_2'],
  rome3: ['code_rome_3'],
  rome4: ['code_rome_4'],
  rome5: ['code_rome_5'],
  actionCount: ['nb_action'],
  activeSessionCount: ['nb_session_active'],
  distanceSessionCount: ['nb_session_a_distance'],
  hoursMin: ['nombre_heures_total_min'],
  hoursMax: ['nombre_heures_total_max'],
  hoursMean: ['nombre_heures_total_mean'],
  priceMin: ['frais_ttc_tot_min'],
  priceMax: ['frais_ttc_tot_max'],
  priceMean: ['frais_ttc_tot_mean'],
  departmentCode: ['code_departement'],
  departmentName: ['nom_departement'],
  regionCode: ['code_region'],
  regionName: ['nom_region'],
  // Read so they are not reported as unknown; not kept (meaning undocumented, or derivable).
  ignoredActionHours: ['nbaction_nbheures'],
  ignoredExportRegion: ['coderegion_export'],
} as const satisfies Record<string, readonly string[]>;

export type CpfCatalogueField = keyof typeof cpfCatalogueColumns;

/** An offer needs its id, its seller's SIRET, its title, and a certification to be matched on. */
export const cpfCatalogueSpec: TableSpec = {
  fields: cpfCatalogueColumns,
  required: [['offerId'], ['siret'], ['title'], ['rncpNumber', 'rsNumber', 'certifInfoCode']],
};
