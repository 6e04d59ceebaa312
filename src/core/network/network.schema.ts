import { z } from 'zod';
import { page, pageQuery, uuid } from '../common.schema.js';
import { habilitationStatuses } from '../habilitations/lifecycle.js';
import { qualiopiStatuses } from '../organisations/organisation.schema.js';
import { riskLevels } from '../risk/risk-score.js';
import { regionCodes } from './regions.js';

/**
 * The network list: organisations (partners and candidates to partnership) with what the certifier
 * filters them by. One query schema for the page, the CSV/XLSX export and the web list's address bar.
 */
export const networkSortKeys = [
  'legalName',
  'siret',
  'city',
  'postalCode',
  'createdAt',
  'activeHabilitations',
] as const;
export type NetworkSortKey = (typeof networkSortKeys)[number];

/** `none`: organisations without any habilitation (not partners yet). */
export const networkHabilitationFilters = [...habilitationStatuses, 'none'] as const;

/** `true` / `false` in an address; a boolean when a service is called directly (the CLI, a test). */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional();

export const networkListQuery = pageQuery.extend({
  /** Name, trade name, city, or the start of a SIRET. */
  q: z.string().trim().max(200).optional(),
  /** Partners with a habilitation on this certification (in `habilitationStatus` when both are given). */
  certificationId: uuid.optional(),
  /** Partners with a habilitation in this status (on `certificationId` when both are given). */
  habilitationStatus: z.enum(networkHabilitationFilters).optional(),
  /** INSEE region code, read from the postal code (see regions.ts). */
  region: z.enum(regionCodes).optional(),
  qualiopiStatus: z.enum(qualiopiStatuses).optional(),
  /** Risk level of the partner's score (src/core/risk); needs the permission to read controls. */
  risk: z.enum(riskLevels).optional(),
  includeArchived: flag,
  /** Adds each row's risk score (computed on request; the web list asks /api/risk-scores for its page). */
  withRisk: flag,
  sort: z.enum(networkSortKeys).default('legalName'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type NetworkListQuery = z.output<typeof networkListQuery>;
export type NetworkListInput = z.input<typeof networkListQuery>;

export const networkExportQuery = networkListQuery
  .omit({ limit: true, offset: true })
  .extend({ format: z.enum(['csv', 'xlsx']).default('csv') });
export type NetworkExportQuery = z.output<typeof networkExportQuery>;

export const networkRow = z.object({
  id: uuid,
  siret: z.string(),
  nda: z.string().nullable(),
  legalName: z.string(),
  tradeName: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  /** From the postal code; null when it gives none. */
  regionCode: z.enum(regionCodes).nullable(),
  qualiopiStatus: z.enum(qualiopiStatuses),
  qualiopiExpiresOn: z.string().nullable(),
  /** All habilitations, whatever their status. */
  habilitationCount: z.number().int(),
  /** Active or under watch: what the partner may do today. */
  activeHabilitationCount: z.number().int(),
  suspendedHabilitationCount: z.number().int(),
  /** The partner's risk score today, when asked (withRisk, or always in an export) and allowed (control.read). */
  risk: z.object({ score: z.number(), level: z.enum(riskLevels) }).nullable(),
  archivedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type NetworkRow = z.infer<typeof networkRow>;

export const networkPage = page(networkRow);
export type NetworkPage = z.infer<typeof networkPage>;

/** The partner page's timeline: one event per thing that happened, newest first. */
export const timelineEvent = z.object({
  /** Stable across pages: the source and its id. */
  key: z.string(),
  /** An ISO date-time, or a bare ISO date for what is only known to the day (a signature, a sanction). */
  at: z.string(),
  dateOnly: z.boolean(),
  /** `habilitation.decide`, `convention.sign`, `finding.create`, `organisation.qualiopi_refresh`… */
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  /** What it is about: a certification code, a convention reference, a finding's title, a file name. */
  subject: z.string().nullable(),
  actor: z.string().nullable(),
  /** The reasons of a decision, a termination's grounds, a reply. */
  text: z.string().nullable(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  /** Read from the audit log (the author of each change) rather than from the records. */
  fromAuditLog: z.boolean(),
});
export type TimelineEvent = z.infer<typeof timelineEvent>;

export const timelineQuery = pageQuery;
export type TimelineQuery = z.output<typeof timelineQuery>;

export const timelinePage = page(timelineEvent);
export type TimelinePage = z.infer<typeof timelinePage>;
