import { z } from 'zod';
import { skillBlockRef } from '../chain/training-session.schema.js';
import { isoDate, page, pageQuery, text, uuid } from '../common.schema.js';

export const accrochageStatuses = ['pending', 'sent', 'accepted', 'rejected'] as const;

export const certificateIssueInput = z.strictObject({
  deliberationId: uuid,
  /** Defaults to today. */
  issuedOn: isoDate.optional(),
});
export type CertificateIssueInput = z.output<typeof certificateIssueInput>;

export const certificateRevokeInput = z.strictObject({
  /** Why the certificate is withdrawn (fraud, error of the jury…): kept with it and in the audit log. */
  reason: text(2000).min(10, 'give the reasons (at least 10 characters)'),
});

export const certificateView = z.object({
  id: uuid,
  number: z.string(),
  deliberationId: uuid,
  candidateId: uuid,
  /** The holder as the candidate file names them: first names and birth name (usage name in brackets). */
  holderName: z.string(),
  certificationId: uuid,
  certificationCode: z.string(),
  issuedOn: z.string(),
  verificationCode: z.string(),
  accrochageStatus: z.enum(accrochageStatuses),
  accrochageMessage: z.string().nullable(),
  /** The blocks validated, for a certification by blocks; empty for a whole certification. */
  skillBlocks: z.array(skillBlockRef),
  revokedAt: z.iso.datetime().nullable(),
  revocationReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type CertificateView = z.infer<typeof certificateView>;

/** What anyone holding the verification code may read: enough to check a certificate, nothing more. */
export const certificateVerification = z.object({
  number: z.string(),
  status: z.enum(['valid', 'revoked']),
  holderName: z.string(),
  certificationCode: z.string(),
  certificationTitle: z.string(),
  issuedOn: z.string(),
  skillBlocks: z.array(z.object({ code: z.string(), title: z.string() })),
});
export type CertificateVerification = z.infer<typeof certificateVerification>;

export const verificationCodeParam = z.object({
  code: z
    .string()
    .trim()
    .min(8)
    .max(64)
    .regex(/^[0-9A-Za-z_ -]+$/, 'not a verification code'),
});

export const certificateListQuery = pageQuery.extend({
  certificationId: uuid.optional(),
  candidateId: uuid.optional(),
  year: z.coerce.number().int().min(1900).max(9999).optional(),
});
export type CertificateListQuery = z.output<typeof certificateListQuery>;

export const certificatePage = page(certificateView);
export type CertificatePage = z.infer<typeof certificatePage>;
