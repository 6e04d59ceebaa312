import { z } from 'zod';
import { page, pageQuery, text, uuid } from '../common.schema.js';

/** What a piece of evidence can be linked to (the `entity_type` of evidence_links). */
export const evidenceEntityTypes = [
  'organisation',
  'certification',
  'habilitation',
  'convention',
  'training_session',
  'assessment_session',
  'candidate',
  'jury',
  'certificate',
  'control',
  'finding',
  'corrective_action',
  'sanction',
  // A request to a partner (src/services/partner-request.service.ts): the files of its answers.
  'partner_request',
] as const;
export type EvidenceEntityType = (typeof evidenceEntityTypes)[number];

/** Linking a stored file to what it proves. */
export const evidenceLinkInput = z.strictObject({
  entityType: z.enum(evidenceEntityTypes),
  entityId: uuid,
  /** Why it is attached (`signed_convention`, `audit_report`, `attendance_sheet`…). */
  purpose: text(200).optional().nullable(),
});
export type EvidenceLinkInput = z.input<typeof evidenceLinkInput>;

/**
 * The metadata of an upload. It travels in the query string, the file in the multipart body, so that it
 * is validated before a byte of the file is read. A partner uploads for its own organisation (the
 * default); certifier staff name the organisation, or none for the certifier's own files.
 */
export const evidenceUploadQuery = z
  .object({
    organisationId: uuid.optional(),
    description: text(1000).optional(),
    entityType: z.enum(evidenceEntityTypes).optional(),
    entityId: uuid.optional(),
    purpose: text(200).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.entityType && !q.entityId)
      ctx.addIssue({ code: 'custom', path: ['entityId'], message: 'required with entityType' });
    if (q.entityId && !q.entityType)
      ctx.addIssue({ code: 'custom', path: ['entityType'], message: 'required with entityId' });
  });
export type EvidenceUploadQuery = z.output<typeof evidenceUploadQuery>;

export const evidenceLinkView = z.object({
  entityType: z.string(),
  entityId: uuid,
  purpose: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type EvidenceLinkView = z.infer<typeof evidenceLinkView>;

export const evidenceView = z.object({
  id: uuid,
  sha256: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  description: z.string().nullable(),
  organisationId: uuid.nullable(),
  uploadedBy: uuid.nullable(),
  uploadedAt: z.iso.datetime(),
  links: z.array(evidenceLinkView),
});
export type EvidenceView = z.infer<typeof evidenceView>;

export const evidenceListQuery = pageQuery.extend({
  organisationId: uuid.optional(),
  entityType: z.enum(evidenceEntityTypes).optional(),
  entityId: uuid.optional(),
  /** Searches the file name and the description. */
  q: z.string().trim().max(200).optional(),
});
export type EvidenceListQuery = z.output<typeof evidenceListQuery>;

export const evidencePage = page(evidenceView);
export type EvidencePage = z.infer<typeof evidencePage>;
