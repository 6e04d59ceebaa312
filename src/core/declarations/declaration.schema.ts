import { z } from 'zod';
import { isoDate, page, pageQuery, text, uuid } from '../common.schema.js';
import { habilitationScopes } from '../habilitations/habilitation.js';
import { habilitationStatuses } from '../habilitations/lifecycle.js';
import { habilitationTypes } from '../registry/normalise.js';
import { declarationChangeKinds, declarationStatuses } from './declaration.js';

/**
 * A change's stable id: `decision:<uuid>` for a decision on a habilitation, `scope:<n>` for a change of
 * scope (n is the audit-log entry that recorded it).
 */
export const declarationChangeId = z
  .string()
  .regex(
    /^(decision:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|scope:[1-9][0-9]{0,17})$/,
    'not a change id (decision:<uuid> or scope:<number>)',
  );

/** One change of the declared list, with its deadline and, once declared, when and under which reference. */
export const declarationChangeView = z.object({
  changeId: declarationChangeId,
  kind: z.enum(declarationChangeKinds),
  habilitationId: uuid,
  organisationId: uuid,
  organisationName: z.string(),
  siret: z.string(),
  certificationId: uuid,
  certificationCode: z.string(),
  certificationTitle: z.string(),
  /** The scope after the change, and its France Compétences value. */
  scope: z.enum(habilitationScopes),
  franceCompetencesValue: z.enum(habilitationTypes),
  /** For a decision: the statuses before and after; for a change of scope: the scope before. */
  fromStatus: z.enum(habilitationStatuses).nullable(),
  toStatus: z.enum(habilitationStatuses).nullable(),
  previousScope: z.enum(habilitationScopes).nullable(),
  decidedAt: z.iso.datetime(),
  decidedOn: z.string(),
  /** The decision's day plus two months. */
  dueOn: z.string(),
  /** Days left until dueOn (negative: late), on the day the list was computed. */
  daysLeft: z.number().int(),
  status: z.enum(declarationStatuses),
  declaredOn: z.string().nullable(),
  declarationReference: z.string().nullable(),
  declarationEvidenceId: uuid.nullable(),
  declaredBy: uuid.nullable(),
});
export type DeclarationChangeView = z.infer<typeof declarationChangeView>;

export const declarationListQuery = pageQuery.extend({
  /** `open`: every change not declared yet (overdue, due soon and pending). */
  status: z.enum([...declarationStatuses, 'open']).optional(),
  organisationId: uuid.optional(),
  certificationId: uuid.optional(),
  /** The day statuses are computed for (default: today in Paris). */
  on: isoDate.optional(),
});
export type DeclarationListQuery = z.output<typeof declarationListQuery>;

export const declarationPage = page(declarationChangeView).extend({
  /** Counts over every change matching the filters, whatever the status filter and the page. */
  counts: z.object({
    overdue: z.number().int(),
    dueSoon: z.number().int(),
    pending: z.number().int(),
    declared: z.number().int(),
  }),
});
export type DeclarationPage = z.infer<typeof declarationPage>;

/** Recording that changes were declared to France Compétences: on which day, and the filing's reference. */
export const declarationMarkInput = z.strictObject({
  changeIds: z.array(declarationChangeId).min(1, 'name at least one change').max(1000),
  declaredOn: isoDate,
  reference: text(200).optional().nullable(),
  /** The proof of filing (a screenshot or receipt uploaded as evidence), kept with each declaration. */
  evidenceId: uuid.optional().nullable(),
});
export type DeclarationMarkInput = z.input<typeof declarationMarkInput>;

export const declarationMarkResult = z.object({ items: z.array(declarationChangeView) });
export type DeclarationMarkResult = z.infer<typeof declarationMarkResult>;

/** One line of the list of partners to declare: one partner × certification. */
export const declaredPartnerRow = z.object({
  organisationId: uuid,
  siret: z.string(),
  legalName: z.string(),
  certificationId: uuid,
  certificationCode: z.string(),
  certificationTitle: z.string(),
  franceCompetencesValue: z.enum(habilitationTypes),
  /** As France Compétences shows it: Actif, Suspendu, Supprimé. */
  state: z.string(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  /** The day of the last change of the pair. */
  lastChangeOn: z.string(),
  /** The earliest deadline of the pair's changes not yet declared; null when all are declared. */
  dueOn: z.string().nullable(),
  /** The last day a change of the pair was declared. */
  declaredOn: z.string().nullable(),
});
export type DeclaredPartnerRow = z.infer<typeof declaredPartnerRow>;

export const declaredPartnerQuery = z.object({
  /** true: only the pairs with a change not declared yet. */
  pendingOnly: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false),
  on: isoDate.optional(),
});
export type DeclaredPartnerQuery = z.output<typeof declaredPartnerQuery>;

export const declaredPartnerList = z.object({ items: z.array(declaredPartnerRow) });
export type DeclaredPartnerList = z.infer<typeof declaredPartnerList>;

export const declarationExportFormats = ['csv', 'xlsx'] as const;
export type DeclarationExportFormat = (typeof declarationExportFormats)[number];

export const declarationExportQuery = declaredPartnerQuery.extend({
  format: z.enum(declarationExportFormats).default('csv'),
});
export type DeclarationExportQuery = z.output<typeof declarationExportQuery>;
