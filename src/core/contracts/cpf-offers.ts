import { z } from 'zod';
import { page, pageQuery, uuid } from '../common.schema.js';
import {
  communicationSettingsInput,
  cpfOfferVerdicts,
  cpfRuleIds,
  forbiddenClaim,
} from '../cpf-offers/communication.js';
import { defineContract } from './contract.js';

// The communication control reads and writes as controls do: staff with `control.read` see the offers,
// those with `control.manage` import the catalogue and edit the forbidden claims. Partners do not see the
// catalogue (their findings reach them through /api/findings).

/** A row of the catalogue that was not imported: where it is and why (never dropped silently). */
export const cpfRejectedRow = z.object({
  line: z.number().int(),
  column: z.string().optional(),
  /** A stable code of the catalogue importer (`invalid_siret`, `field_count`, `duplicate`…). */
  code: z.string(),
  message: z.string(),
  /** The offer id (`numero_formation`) when it could be read. */
  key: z.string().optional(),
});
export type CpfRejectedRow = z.infer<typeof cpfRejectedRow>;

const counts = z.record(z.string(), z.number().int());

/**
 * What one import of the catalogue did. `offers`: offers read; `matched`: those naming one of the
 * certifier's certifications (kept and checked); `findings`: live findings per rule after this import.
 */
export const cpfImportSummary = z.object({
  importId: uuid,
  fileName: z.string(),
  sha256: z.string(),
  format: z.string(),
  encoding: z.string(),
  extractedOn: z.string(),
  rows: z.number().int(),
  offers: z.number().int(),
  matched: z.number().int(),
  changes: z.object({
    new: z.number().int(),
    changed: z.number().int(),
    gone: z.number().int(),
    unchanged: z.number().int(),
  }),
  findings: counts,
  findingChanges: z.object({
    opened: z.number().int(),
    updated: z.number().int(),
    resolved: z.number().int(),
  }),
  rejected: z.array(cpfRejectedRow),
  warnings: z.number().int(),
  unknownColumns: z.array(z.string()),
});
export type CpfImportSummary = z.infer<typeof cpfImportSummary>;

export const cpfImportView = z.object({
  id: uuid,
  fileName: z.string(),
  sha256: z.string(),
  extractedOn: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  actorLabel: z.string(),
  rows: z.number().int(),
  offers: z.number().int(),
  matched: z.number().int(),
  rejected: z.number().int(),
  warnings: z.number().int(),
  changes: z.object({
    new: z.number().int(),
    changed: z.number().int(),
    gone: z.number().int(),
    unchanged: z.number().int(),
  }),
  findings: counts,
  findingChanges: counts,
});
export type CpfImportView = z.infer<typeof cpfImportView>;
export const cpfImportPage = page(cpfImportView);
export type CpfImportPage = z.infer<typeof cpfImportPage>;

export const cpfOfferChangeView = z.object({
  offerId: z.string(),
  kind: z.enum(['new', 'changed', 'gone', 'back']),
  fields: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })).nullable(),
  title: z.string().nullable(),
  siret: z.string().nullable(),
  organisationName: z.string().nullable(),
  certificationCode: z.string().nullable(),
});
export type CpfOfferChangeView = z.infer<typeof cpfOfferChangeView>;

export const cpfImportDetail = cpfImportView.extend({
  unknownColumns: z.array(z.string()),
  rejectedRows: z.array(cpfRejectedRow),
  warningRows: z.array(cpfRejectedRow),
});
export type CpfImportDetail = z.infer<typeof cpfImportDetail>;

export const cpfChangeQuery = pageQuery.extend({
  kind: z.enum(['new', 'changed', 'gone', 'back']).optional(),
});
export const cpfChangePage = page(cpfOfferChangeView);
export type CpfChangePage = z.infer<typeof cpfChangePage>;

/** Offers of one seller (SIRET) for one certification, as the last import left them. */
export const cpfSellerView = z.object({
  siret: z.string(),
  sellerName: z.string().nullable(),
  organisationId: uuid.nullable(),
  organisationName: z.string().nullable(),
  matchedBy: z.enum(['siret', 'siren']).nullable(),
  certificationId: uuid,
  certificationCode: z.string(),
  certificationTitle: z.string(),
  verdict: z.enum(cpfOfferVerdicts),
  offers: z.number().int(),
  priceMin: z.number().nullable(),
  priceMax: z.number().nullable(),
  openFindings: z.number().int(),
});
export type CpfSellerView = z.infer<typeof cpfSellerView>;

export const cpfSellerQuery = pageQuery.extend({
  certificationId: uuid.optional(),
  verdict: z.enum(cpfOfferVerdicts).optional(),
  /** Searches the SIRET and the seller's name. */
  q: z.string().trim().max(200).optional(),
});
export type CpfSellerQuery = z.output<typeof cpfSellerQuery>;
export const cpfSellerPage = page(cpfSellerView);
export type CpfSellerPage = z.infer<typeof cpfSellerPage>;

export const cpfOfferView = z.object({
  offerId: z.string(),
  title: z.string(),
  siret: z.string(),
  organisationName: z.string().nullable(),
  certificationId: uuid,
  certificationCode: z.string().nullable(),
  verdict: z.enum(cpfOfferVerdicts),
  priceMin: z.number().nullable(),
  priceMax: z.number().nullable(),
  hoursMin: z.number().nullable(),
  hoursMax: z.number().nullable(),
  modality: z.string().nullable(),
  departmentCode: z.string().nullable(),
  extractedOn: z.string(),
  present: z.boolean(),
  record: z.record(z.string(), z.unknown()),
});
export type CpfOfferView = z.infer<typeof cpfOfferView>;

export const cpfOfferQuery = pageQuery.extend({
  siret: z
    .string()
    .regex(/^\d{14}$/)
    .optional(),
  certificationId: uuid.optional(),
  /** Offers no longer in the catalogue too. */
  includeGone: z.enum(['true', 'false']).optional(),
});
export type CpfOfferQuery = z.output<typeof cpfOfferQuery>;
export const cpfOfferPage = page(cpfOfferView);
export type CpfOfferPage = z.infer<typeof cpfOfferPage>;

export const communicationSettingsView = z.object({
  forbiddenClaims: z.array(forbiddenClaim),
  rules: z.array(
    z.object({
      id: z.enum(cpfRuleIds),
      severity: z.enum(['minor', 'major', 'critical']),
      title: z.object({ fr: z.string(), en: z.string() }),
      source: z.string(),
    }),
  ),
  updatedAt: z.iso.datetime().nullable(),
});
export type CommunicationSettingsView = z.infer<typeof communicationSettingsView>;

const byId = z.object({ id: uuid });

/**
 * The body is multipart/form-data with one part named `file`: the catalogue as published (CSV `;` or `,`,
 * UTF-8 or Windows-1252, or JSON). A file that cannot be read is refused whole (422 import_rejected).
 */
export const importCpfCatalogue = defineContract({
  method: 'POST',
  path: '/api/cpf-offers/imports',
  summary:
    'Import the Caisse des Dépôts catalogue of CPF offers and check the offers naming the certifications (multipart part `file`)',
  tags: ['communication'],
  access: 'session',
  action: 'control.manage',
  query: z.object({
    /** Apply a file that looks like an extract (most watched offers absent) all the same. */
    force: z.enum(['true', 'false']).optional(),
  }),
  response: cpfImportSummary,
});

export const listCpfImports = defineContract({
  method: 'GET',
  path: '/api/cpf-offers/imports',
  summary: 'The imports of the CPF catalogue, newest first, with what changed',
  tags: ['communication'],
  access: 'session',
  action: 'control.read',
  query: pageQuery,
  response: cpfImportPage,
});

export const getCpfImport = defineContract({
  method: 'GET',
  path: '/api/cpf-offers/imports/:id',
  summary: 'One import of the CPF catalogue with its rejected rows and warnings',
  tags: ['communication'],
  access: 'session',
  action: 'control.read',
  params: byId,
  response: cpfImportDetail,
});

export const listCpfImportChanges = defineContract({
  method: 'GET',
  path: '/api/cpf-offers/imports/:id/changes',
  summary: 'The offers new, changed, gone or back in one import',
  tags: ['communication'],
  access: 'session',
  action: 'control.read',
  params: byId,
  query: cpfChangeQuery,
  response: cpfChangePage,
});

export const listCpfSellers = defineContract({
  method: 'GET',
  path: '/api/cpf-offers/sellers',
  summary: 'Offers per seller and certification; unknown and non-habilitated sellers first',
  tags: ['communication'],
  access: 'session',
  action: 'control.read',
  query: cpfSellerQuery,
  response: cpfSellerPage,
});

export const listCpfOffers = defineContract({
  method: 'GET',
  path: '/api/cpf-offers',
  summary: 'CPF offers naming the certifications, by seller or certification',
  tags: ['communication'],
  access: 'session',
  action: 'control.read',
  query: cpfOfferQuery,
  response: cpfOfferPage,
});

export const getCommunicationSettings = defineContract({
  method: 'GET',
  path: '/api/cpf-offers/settings',
  summary: 'The communication rules and the list of forbidden claims',
  tags: ['communication'],
  access: 'session',
  action: 'control.read',
  response: communicationSettingsView,
});

export const updateCommunicationSettings = defineContract({
  method: 'PUT',
  path: '/api/cpf-offers/settings',
  summary: 'Replace the list of forbidden claims (used from the next import)',
  tags: ['communication'],
  access: 'session',
  action: 'control.manage',
  body: communicationSettingsInput,
  response: communicationSettingsView,
});
