import { z } from 'zod';
import { cdcClientId, cdcContractId } from '../certifier/settings.schema.js';
import { isoDate, uuid } from '../common.schema.js';
import { defineContract } from './contract.js';

/**
 * The accrochage exchange with the Caisse des Dépôts (docs/formats/accrochage.md): the flux of the
 * certificates not yet accepted, the CDC's processing report, and the 3-month deadline of each certificate.
 */

/**
 * What to export, and who deposits it. The CDC identifiers (idClient, idContrat, a trusted third party's
 * idClient) come from the certifier settings (`/api/settings/certifier`); given here, they override them.
 */
export const accrochageExportQuery = z.strictObject({
  clientId: cdcClientId.optional(),
  contractId: cdcContractId.optional(),
  /** A trusted third party depositing for the certifier gives its own idClient here. */
  depositorClientId: cdcClientId.optional(),
  /** Only this certification (`RNCP37674`, `RS5568`). */
  certificationCode: z.string().trim().min(1).max(20).optional(),
  /** Only the certificates issued on or after this day. */
  since: isoDate.optional(),
});
export type AccrochageExportQuery = z.output<typeof accrochageExportQuery>;

/** A certificate not written to the flux, and every reason, field by field. */
export const accrochageLeftOut = z.object({
  certificateId: uuid.nullable(),
  certificate: z.string().nullable(),
  holder: z.string(),
  reasons: z.array(z.object({ field: z.string(), label: z.string(), message: z.string() })),
  messages: z.array(z.string()),
});
export type AccrochageLeftOutView = z.infer<typeof accrochageLeftOut>;

/** The filter of a preview: the certificates an export with the same filter would consider. */
export const accrochagePreviewQuery = accrochageExportQuery.pick({ certificationCode: true, since: true });

/** What an export would write now; nothing is written or marked. */
export const accrochagePreview = z.object({
  /** The CDC identifiers of the certifier settings the flux would carry (null: not set). */
  clientId: z.string().nullable(),
  contractId: z.string().nullable(),
  depositorClientId: z.string().nullable(),
  /** The settings an export needs and that are not set (`clientId`, `contractId`). */
  missingSettings: z.array(z.string()),
  /** Passages ready to be written. */
  holders: z.number().int(),
  certifications: z.array(z.object({ code: z.string(), passages: z.number().int() })),
  leftOut: z.array(accrochageLeftOut),
  /** True when one file would be full (CDC limits): the rest goes in the next export. */
  full: z.boolean(),
});
export type AccrochagePreview = z.infer<typeof accrochagePreview>;

export const accrochageReportImport = z.object({
  fileName: z.string(),
  fluxId: z.string().nullable(),
  processingId: z.string().nullable(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  /** The certificates whose status the report set. */
  updated: z.array(
    z.object({
      certificateId: uuid,
      number: z.string(),
      status: z.enum(['accepted', 'rejected']),
      message: z.string().nullable(),
    }),
  ),
  /** Passages of the report that name no certificate of this instance. */
  unknown: z.array(z.object({ idTechnique: z.string(), status: z.enum(['accepted', 'rejected']) })),
  warnings: z.array(z.object({ line: z.number().int(), message: z.string() })),
});
export type AccrochageReportImport = z.infer<typeof accrochageReportImport>;

export const accrochageDeadlineStates = ['late', 'due_soon', 'ok'] as const;
export type AccrochageDeadlineState = (typeof accrochageDeadlineStates)[number];

export const accrochageDeadline = z.object({
  certificateId: uuid,
  number: z.string(),
  /** The holder: first names and birth name (usage name in brackets). */
  holderName: z.string(),
  certificationCode: z.string(),
  organisationId: uuid.nullable(),
  issuedOn: isoDate,
  /** issuedOn + 3 months: the day the CDC must have accepted the passage by. */
  dueOn: isoDate,
  /** Days from today to dueOn (negative when late). */
  daysLeft: z.number().int(),
  state: z.enum(accrochageDeadlineStates),
  accrochageStatus: z.enum(['pending', 'sent', 'rejected']),
  accrochageMessage: z.string().nullable(),
});
export type AccrochageDeadlineView = z.infer<typeof accrochageDeadline>;

export const accrochageDeadlines = z.object({
  items: z.array(accrochageDeadline),
  counts: z.object({ late: z.number().int(), due_soon: z.number().int(), ok: z.number().int() }),
});
export type AccrochageDeadlines = z.infer<typeof accrochageDeadlines>;

/**
 * The answer is the XML flux itself (`application/xml`, attachment), checked against the XSD; the
 * certificates written are then marked sent. Headers: `x-accrochage-holders` (passages written),
 * `x-accrochage-left-out` (certificates left out: see the CLI's --json or the list of deadlines).
 */
export const exportAccrochage = defineContract({
  method: 'POST',
  path: '/api/accrochage/export',
  summary: 'Write the accrochage flux of the certificates not yet accepted by the CDC, and mark them sent',
  tags: ['accrochage'],
  access: 'session',
  action: 'certificate.manage',
  query: accrochageExportQuery,
  response: z.unknown().describe('the XML flux'),
});

export const previewAccrochage = defineContract({
  method: 'GET',
  path: '/api/accrochage/preview',
  summary:
    'What an export would write now: passages ready, holders left out with every reason, CDC identifiers set',
  tags: ['accrochage'],
  access: 'session',
  action: 'certificate.manage',
  query: accrochagePreviewQuery,
  response: accrochagePreview,
});

/** multipart/form-data, one part named `file`: the CDC's accusé de traitement (XML). */
export const importAccrochageReport = defineContract({
  method: 'POST',
  path: '/api/accrochage/reports',
  summary: 'Read a CDC processing report and set each certificate accepted or rejected',
  tags: ['accrochage'],
  access: 'session',
  action: 'certificate.manage',
  response: accrochageReportImport,
});

export const listAccrochageDeadlines = defineContract({
  method: 'GET',
  path: '/api/accrochage/deadlines',
  summary: 'Certificates not yet accepted by the CDC, with their 3-month deadline (late, due soon, ok)',
  tags: ['accrochage'],
  access: 'session',
  action: 'chain.read',
  response: accrochageDeadlines,
});
