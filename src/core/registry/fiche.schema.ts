import { z } from 'zod';
import { habilitationTypes } from './normalise.js';

/**
 * One fiche of the France Compétences registry (RNCP or RS) as Habilis keeps it, whatever the export it came
 * from (XML v4.x or the CSV bundle): normalised values (ISO dates, booleans, 14-digit SIRETs, canonical
 * codes), every repeated element as a list. The importer validates each record with this schema before it
 * reaches the database. Field names follow docs/formats/france-competences.md, which maps each one to its
 * XML element and CSV column.
 */

const ficheCode = z.string().regex(/^(RNCP|RS)[1-9]\d{0,5}$/, 'a fiche code is RNCP or RS and its number');
const siret14 = z.string().regex(/^\d{14}$/, 'a SIRET has 14 digits');
// The importer builds dates itself from checked day/month/year: a shape check is enough here (and cheap on
// the 25,000 fiches of a full export).
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .nullable();
const longText = z.string().min(1).max(200_000).nullable();
const shortText = z.string().min(1).max(2_000).nullable();

export const registerCodes = ['RNCP', 'RS'] as const;

/** The six access routes of a fiche, by their export suffix (SI_JURY_FI … SI_JURY_VAE). */
export const accessRouteCodes = ['FI', 'CA', 'FC', 'CQ', 'CL', 'VAE'] as const;
export type AccessRouteCode = (typeof accessRouteCodes)[number];

export const codeLabel = z.object({
  code: z.string().min(1).max(40),
  label: z.string().max(2_000).nullable(),
});

export const ficheCertifier = z.object({
  siret: siret14.nullable(),
  name: z.string().min(1).max(500),
  /** `Actif` / `Inactif` as published; null in the CSV bundle. */
  state: z.string().max(40).nullable(),
  stateChangedOn: date,
  tradeName: shortText,
  website: shortText,
});
export type FicheCertifier = z.infer<typeof ficheCertifier>;

export const ficheSkillBlock = z.object({
  /** `RNCP35419BC01`, normalised (unprefixed codes of the export get the fiche's prefix). */
  code: z.string().regex(/^(RNCP|RS)[1-9]\d{0,5}BC\d{2,3}$/),
  title: z.string().min(1).max(2_000),
  /** LISTE_COMPETENCES. */
  competences: longText,
  /** MODALITES_EVALUATION: how the block is assessed. */
  assessmentRules: longText,
  entryPrerequisites: longText,
  validationPrerequisites: longText,
});
export type FicheSkillBlock = z.infer<typeof ficheSkillBlock>;

export const ficheAccessRoute = z.object({
  route: z.enum(accessRouteCodes),
  /** ACTIF of the SI_JURY_* group: whether the fiche can be obtained this way. */
  isOpen: z.boolean().nullable(),
  /** COMPOSITION: who sits on the jury for this route. */
  jury: longText,
  modifiedOn: date,
});
export type FicheAccessRoute = z.infer<typeof ficheAccessRoute>;

export const ficheStatistics = z.object({
  year: z.number().int().min(1900).max(2200),
  certified: z.number().int().nullable(),
  certifiedByVae: z.number().int().nullable(),
  insertionRate6Months: z.number().int().nullable(),
  jobInsertionRate6Months: z.number().int().nullable(),
  jobInsertionRate2Years: z.number().int().nullable(),
});
export type FicheStatistics = z.infer<typeof ficheStatistics>;

export const declaredPartner = z.object({
  /** Null when the export gives none (rare); such a partner cannot be matched with an organisation. */
  siret: siret14.nullable(),
  name: z.string().min(1).max(500),
  habilitationType: z.enum(habilitationTypes),
  /** ETAT_HABILITATION (or the older ETAT_PARTENAIRE): `Actif`, `Inactif`, `Supprimé`; null in the CSV bundle. */
  state: z.string().max(40).nullable(),
  /** The state is `Actif`. The habilitation is effective only if the fiche is active too. */
  isActive: z.boolean(),
  activeSince: date,
  stateChangedOn: date,
  /** Line of the PARTENAIRE element (XML) or of the row (CSV Partenaires file) in the imported file. */
  line: z.number().int().min(1),
});
export type DeclaredPartner = z.infer<typeof declaredPartner>;

export const fichePublication = z.object({
  kind: z.enum(['general', 'creation', 'other']),
  title: longText,
  publishedOn: date,
});

export const ficheCorrespondence = z.object({
  sourceSkillBlocks: z.array(z.string().max(40)),
  targetCode: z.string().max(40).nullable(),
  targetSkillBlocks: z.array(z.string().max(40)),
});

export const ficheTexts = z.object({
  /** ACTIVITES_VISEES. */
  activities: longText,
  /** CAPACITES_ATTESTEES: the competences the fiche attests. */
  competences: longText,
  sectors: longText,
  jobTypes: longText,
  regulations: longText,
  objectives: longText,
  entryPrerequisites: longText,
  validationPrerequisites: longText,
  masteryLevel: longText,
  partialValidationScope: longText,
  validityDuration: longText,
  renewalTerms: longText,
});
export type FicheTexts = z.infer<typeof ficheTexts>;

export const ficheRecord = z.object({
  code: ficheCode,
  register: z.enum(registerCodes),
  /** ID_FICHE: France Compétences' technical id. */
  sourceId: z.number().int().nullable(),
  title: z.string().min(1).max(2_000),
  abbreviation: codeLabel.nullable(),
  /** 3 to 8 (NIV3…NIV8); null for RS fiches and fiches without level. */
  level: z.number().int().min(1).max(8).nullable(),
  levelLabel: shortText,
  /** ETAT_FICHE as published (`Publiée`, `Modifications à valider`…); null in the CSV bundle. */
  state: z.string().max(200).nullable(),
  /** ACTIF: the registration is in force. */
  isActive: z.boolean(),
  registrationType: shortText,
  decidedOn: date,
  effectiveOn: date,
  publishedOn: date,
  lastOfficialJournalOn: date,
  endsOn: date,
  deliveryDeadline: date,
  registrationYears: z.number().int().nullable(),
  hasPartners: z.boolean().nullable(),
  partialValidation: z.boolean().nullable(),
  accessibleNewCaledonia: z.boolean().nullable(),
  accessibleFrenchPolynesia: z.boolean().nullable(),
  url: shortText,
  certifiers: z.array(ficheCertifier),
  skillBlocks: z.array(ficheSkillBlock),
  accessRoutes: z.array(ficheAccessRoute),
  statistics: z.array(ficheStatistics),
  predecessors: z.array(ficheCode),
  successors: z.array(ficheCode),
  partners: z.array(declaredPartner),
  formacodes: z.array(codeLabel),
  nsf: z.array(codeLabel),
  rome: z.array(codeLabel),
  ccn: z.array(codeLabel),
  idcc: z.array(codeLabel),
  publications: z.array(fichePublication),
  correspondences: z.array(ficheCorrespondence),
  promotionYears: z.array(z.number().int()),
  texts: ficheTexts,
  /** Line of the FICHE element (XML) or of the row in the Standard file (CSV). */
  line: z.number().int().min(1),
});
export type FicheRecord = z.infer<typeof ficheRecord>;

/** Something of the file the importer could not take: the fiche, the row, or one value of it. */
export const importReject = z.object({
  line: z.number().int(),
  column: z.number().int().optional(),
  code: z.string(),
  message: z.string(),
});
export type ImportReject = z.infer<typeof importReject>;

/** The certification registers' public page of a fiche. */
export function publicFicheUrl(code: string): string {
  const m = /^(RNCP|RS)(\d+)$/.exec(code);
  if (!m) return 'https://www.francecompetences.fr/recherche/';
  return `https://www.francecompetences.fr/recherche/${m[1]!.toLowerCase()}/${m[2]}/`;
}
