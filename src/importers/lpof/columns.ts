import type { TableSpec } from './tabular/index.js';

/**
 * The columns of the « liste publique des organismes de formation » (docs/formats/lpof.md). Names are
 * compared case-, accent- and punctuation-blind, so the Opendatasoft export's flattened lowercase names
 * (`numerodeclarationactivite`, `adressephysiqueorganismeformation_voie`) match the CSV's dotted ones.
 */
const address = 'adressePhysiqueOrganismeFormation';
const foreign = 'organismeEtrangerRepresente';
const declared = 'informationsDeclarees';
const specialities = `${declared}.specialitesDeFormation`;

export const lpofColumns = {
  nda: ['numeroDeclarationActivite'],
  previousNdas: ['numerosDeclarationActivitePrecedent'],
  legalName: ['denomination'],
  siren: ['siren'],
  siret: ['siretEtablissementDeclarant'],
  addressLine: [`${address}.voie`],
  postalCode: [`${address}.codePostal`],
  city: [`${address}.ville`],
  regionCode: [`${address}.codeRegion`],
  qualiopiTraining: ['certifications.actionsDeFormation'],
  qualiopiSkillsAssessment: ['certifications.bilansDeCompetences'],
  qualiopiVae: ['certifications.VAE'],
  qualiopiApprenticeship: ['certifications.actionsDeFormationParApprentissage'],
  foreignName: [`${foreign}.denomination`],
  foreignAddressLine: [`${foreign}.voie`],
  foreignPostalCode: [`${foreign}.codePostal`],
  foreignCity: [`${foreign}.ville`],
  foreignCountry: [`${foreign}.pays`],
  lastDeclarationOn: [`${declared}.dateDerniereDeclaration`],
  fiscalYearStart: [`${declared}.debutExercice`],
  fiscalYearEnd: [`${declared}.finExercice`],
  specialityCode1: [`${specialities}.codeSpecialite1`],
  specialityLabel1: [`${specialities}.libelleSpecialite1`],
  specialityCode2: [`${specialities}.codeSpecialite2`],
  specialityLabel2: [`${specialities}.libelleSpecialite2`],
  specialityCode3: [`${specialities}.codeSpecialite3`],
  specialityLabel3: [`${specialities}.libelleSpecialite3`],
  traineeCount: [`${declared}.nbStagiaires`],
  traineesFromOtherOrganisationsCount: [`${declared}.nbStagiairesConfiesParUnAutreOF`],
  trainerCount: [`${declared}.effectifFormateurs`],
} as const satisfies Record<string, readonly string[]>;

export type LpofField = keyof typeof lpofColumns;

/** Without these the list is useless for Habilis: the key, the SIRET it is matched on, and Qualiopi. */
export const lpofSpec: TableSpec = {
  fields: lpofColumns,
  required: [
    ['nda'],
    ['siret'],
    ['legalName'],
    ['qualiopiTraining'],
    ['qualiopiSkillsAssessment'],
    ['qualiopiVae'],
    ['qualiopiApprenticeship'],
  ],
};
