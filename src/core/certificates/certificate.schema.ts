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

/**
 * What the public check (`/verify/:code`) shows of the holder: `initials` (the default: enough to match the
 * paper in hand), or `full_name`, only with the holder's consent, recorded with how it was given.
 */
export const disclosures = ['initials', 'full_name'] as const;
export type Disclosure = (typeof disclosures)[number];

export const certificateDisclosureInput = z
  .strictObject({
    disclosure: z.enum(disclosures),
    /** How the holder agreed (« courriel du 12/03/2026 », « formulaire signé »): required for full_name. */
    consent: text(500).optional().nullable(),
  })
  .superRefine((d, ctx) => {
    if (d.disclosure === 'full_name' && !d.consent)
      ctx.addIssue({
        code: 'custom',
        path: ['consent'],
        message: 'showing the full name needs the holder’s consent: say how it was given',
      });
  });
export type CertificateDisclosureInput = z.output<typeof certificateDisclosureInput>;

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
  /** What the public check shows of the holder, and the consent it rests on (full_name only). */
  disclosure: z.enum(disclosures),
  disclosureConsent: z.string().nullable(),
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
