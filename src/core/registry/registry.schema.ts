import { z } from 'zod';
import { page, pageQuery, siret, uuid } from '../common.schema.js';
import { ficheRecord, importReject, registerCodes } from './fiche.schema.js';
import { habilitationTypes } from './normalise.js';
import { reconciliationRules } from './reconcile.js';

/**
 * The shapes of the registry as Habilis shows it: the summary of an import (what the CLI prints with
 * --json and the API answers), the fiches with their partners and history, the import runs, the
 * reconciliation findings, and the progress of an upload being imported.
 */

export const importOptions = z.strictObject({
  /** The certifier's SIRET: the fiches it certifies become owned certifications of the working copy. */
  certifierSiret: siret.optional(),
});
export type ImportOptions = z.output<typeof importOptions>;

export const importChanges = z.object({
  newFiches: z.number().int(),
  changedFiches: z.number().int(),
  unchangedFiches: z.number().int(),
  becameInactive: z.number().int(),
  becameActive: z.number().int(),
  partnersAdded: z.number().int(),
  partnersRemoved: z.number().int(),
  partnersChanged: z.number().int(),
});
export type ImportChanges = z.infer<typeof importChanges>;

export const reconciliationSummary = z.object({
  /** Fiches of the file that are owned certifications of the working copy, compared with Habilis. */
  ownedCertifications: z.number().int(),
  findingsOpened: z.number().int(),
  findingsUpdated: z.number().int(),
  findingsClosed: z.number().int(),
  /** Open registry findings on the owned certifications of the file after the import. */
  openFindings: z.number().int(),
});
export type ReconciliationSummary = z.infer<typeof reconciliationSummary>;

/** What an import did: counts of the file, rejects, changes against the registry, reconciliation. */
export const importSummary = z.object({
  runId: uuid,
  fileName: z.string(),
  format: z.enum(['xml', 'csv']),
  sha256: z.string(),
  flowVersion: z.string().nullable(),
  /** Fiches imported (FICHE elements or Standard rows accepted). */
  certifications: z.number().int(),
  activeCertifications: z.number().int(),
  skillBlocks: z.number().int(),
  /** PARTENAIRE rows accepted, and those whose ETAT_HABILITATION (or ETAT_PARTENAIRE) is Actif. */
  declaredPartners: z.number().int(),
  activeDeclaredPartners: z.number().int(),
  /** CERTIFICATEUR rows. */
  certifiers: z.number().int(),
  /** The first 1,000 rejects; rejectedCount counts them all. */
  rejected: z.array(importReject),
  rejectedCount: z.number().int(),
  /** Elements (or zip entries) the importer does not know, ignored. */
  unknownElements: z.number().int(),
  changes: importChanges,
  /** Certifications of the working copy created or refreshed from the registry. */
  workingCopy: z.object({ certifications: z.number().int(), skillBlocks: z.number().int() }),
  reconciliation: reconciliationSummary,
});
export type ImportSummary = z.infer<typeof importSummary>;

const booleanQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const registryFicheListQuery = pageQuery.extend({
  /** A code (`RNCP35419`, `35419`, `rs 5000`) or words of the title. */
  q: z.string().trim().max(200).optional(),
  /** A certifier's SIRET (14 digits) or words of its name. */
  certifier: z.string().trim().max(200).optional(),
  register: z.enum(registerCodes).optional(),
  active: booleanQuery,
  owned: booleanQuery,
});
export type RegistryFicheListQuery = z.output<typeof registryFicheListQuery>;

export const registryCertifierView = z.object({
  siret: z.string().nullable(),
  name: z.string(),
  state: z.string().nullable(),
});

export const registryFicheSummary = z.object({
  code: z.string(),
  register: z.enum(registerCodes),
  title: z.string(),
  level: z.number().int().nullable(),
  state: z.string().nullable(),
  isActive: z.boolean(),
  registeredOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  skillBlockCount: z.number().int(),
  partnerCount: z.number().int(),
  activePartnerCount: z.number().int(),
  certifiers: z.array(registryCertifierView),
  /** The certification of the working copy with this code, if the certifier follows it. */
  certificationId: uuid.nullable(),
  isOwned: z.boolean(),
  /** When the registry last recorded a change of this fiche (or its first import). */
  changedAt: z.iso.datetime(),
  publicUrl: z.string(),
});
export type RegistryFicheSummary = z.infer<typeof registryFicheSummary>;

export const registryFichePage = page(registryFicheSummary);
export type RegistryFichePage = z.infer<typeof registryFichePage>;

export const declaredPartnerView = z.object({
  siret: z.string().nullable(),
  name: z.string(),
  habilitationType: z.enum(habilitationTypes),
  state: z.string().nullable(),
  isActive: z.boolean(),
  activeSince: z.string().nullable(),
  stateChangedOn: z.string().nullable(),
  sourceLine: z.number().int(),
  sourceRunId: uuid,
  /** The Habilis organisation with this SIRET, if there is one. */
  organisationId: uuid.nullable(),
});
export type DeclaredPartnerView = z.infer<typeof declaredPartnerView>;

export const ficheChangeKinds = [
  'new',
  'changed',
  'became_inactive',
  'became_active',
  'partner_added',
  'partner_removed',
  'partner_changed',
] as const;

export const ficheChangeView = z.object({
  id: z.number().int(),
  runId: uuid,
  ficheCode: z.string(),
  kind: z.enum(ficheChangeKinds),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
});
export type FicheChangeView = z.infer<typeof ficheChangeView>;

export const ficheChangePage = page(ficheChangeView);

/** The changes one import recorded, optionally of one kind or one fiche. */
export const runChangesQuery = pageQuery.extend({
  kind: z.enum(ficheChangeKinds).optional(),
  code: z.string().trim().max(40).optional(),
});
export type RunChangesQuery = z.output<typeof runChangesQuery>;
export type FicheChangePage = z.infer<typeof ficheChangePage>;

/** The record of a fiche as stored: everything but its partners (listed apart) and its line. */
export const ficheSnapshotView = ficheRecord.omit({ partners: true, line: true });

export const registryFicheDetail = registryFicheSummary.extend({
  record: ficheSnapshotView,
  sourceLine: z.number().int(),
  firstImportedAt: z.iso.datetime(),
  partners: z.array(declaredPartnerView),
  /** The latest changes, newest first (the whole history: the history endpoint). */
  history: z.array(ficheChangeView),
});
export type RegistryFicheDetail = z.infer<typeof registryFicheDetail>;

export const importRunStatuses = ['running', 'changed', 'unchanged'] as const;

export const importRunView = z.object({
  id: uuid,
  fileName: z.string(),
  format: z.enum(['xml', 'csv']),
  entryName: z.string().nullable(),
  sha256: z.string(),
  sizeBytes: z.number().int(),
  flowVersion: z.string().nullable(),
  certifierSiret: z.string().nullable(),
  status: z.enum(importRunStatuses),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  rejectedCount: z.number().int(),
  actorLabel: z.string(),
  summary: z.record(z.string(), z.unknown()),
});
export type ImportRunView = z.infer<typeof importRunView>;

export const importRunDetail = importRunView.extend({
  rejected: z.array(importReject),
  unknownElements: z.record(z.string(), z.number().int()),
});
export type ImportRunDetail = z.infer<typeof importRunDetail>;

export const importRunPage = page(importRunView);
export type ImportRunPage = z.infer<typeof importRunPage>;

export const registryFindingQuery = pageQuery.extend({
  status: z.enum(['open', 'closed', 'all']).default('open'),
  ruleId: z.enum(reconciliationRules).optional(),
  /** Only the findings of this fiche. */
  code: z.string().trim().max(40).optional(),
});
export type RegistryFindingQuery = z.output<typeof registryFindingQuery>;

export const registryFindingView = z.object({
  id: uuid,
  ruleId: z.enum(reconciliationRules),
  subjectKey: z.string(),
  ficheCode: z.string(),
  certificationId: uuid.nullable(),
  organisationId: uuid.nullable(),
  title: z.string(),
  description: z.string().nullable(),
  severity: z.enum(['minor', 'major', 'critical']),
  status: z.string(),
  source: z.record(z.string(), z.unknown()),
  openedAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable(),
  updatedAt: z.iso.datetime(),
});
export type RegistryFindingView = z.infer<typeof registryFindingView>;

export const registryFindingPage = page(registryFindingView);
export type RegistryFindingPage = z.infer<typeof registryFindingPage>;

/** An upload being imported in the background, polled for its progress bar. */
export const importJobView = z.object({
  id: uuid,
  status: z.enum(['running', 'succeeded', 'failed']),
  fileName: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  progress: z.object({
    bytesRead: z.number().int(),
    totalBytes: z.number().int(),
    fiches: z.number().int(),
    /** 0 to 1, from the bytes read. */
    ratio: z.number(),
  }),
  summary: importSummary.nullable(),
  error: z
    .object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() })
    .nullable(),
});
export type ImportJobView = z.infer<typeof importJobView>;
