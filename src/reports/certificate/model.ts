import { frenchDate } from './render-pdf.js';

/** What a certificate document is made from: the certificate, its holder, the certification, the certifier. */
export interface CertificateDocumentData {
  number: string;
  issuedOn: string;
  verificationCode: string;
  revokedAt: string | null;
  holder: { firstNames: string; birthName: string; usageName: string | null; birthDate: string | null };
  certification: { code: string; title: string; level: string | null };
  /** The blocks validated, for a certification by blocks; empty for the whole certification. */
  skillBlocks: readonly { code: string; title: string }[];
  certifierName: string;
  /** The server's public address, `PUBLIC_URL`, without a trailing slash. */
  publicUrl: string;
}

export interface CertificateView {
  number: string;
  holderName: string;
  holderBirth: string | null;
  title: string;
  certificationLine: string;
  partial: boolean;
  skillBlocks: readonly { code: string; title: string }[];
  issuedOnText: string;
  certifierName: string;
  verificationCode: string;
  verificationUrl: string;
  revoked: boolean;
}

/** The public verification page of a code: `${publicUrl}/verify/<code>`. */
export const verificationUrl = (publicUrl: string, code: string): string =>
  `${publicUrl.replace(/\/+$/, '')}/verify/${encodeURIComponent(code)}`;

/**
 * The certificate as it reads on paper (pure): the holder's full name (usage name, born name when it differs),
 * the certification with its code and level, the blocks for a partial certification, the date in French, the
 * verification code and the address where anyone can check it.
 */
export function certificateView(data: CertificateDocumentData): CertificateView {
  const { holder, certification } = data;
  const name =
    holder.usageName && holder.usageName !== holder.birthName
      ? `${holder.firstNames} ${holder.usageName.toUpperCase()} (née ou né ${holder.birthName.toUpperCase()})`
      : `${holder.firstNames} ${holder.birthName.toUpperCase()}`;
  const partial = data.skillBlocks.length > 0;
  return {
    number: data.number,
    holderName: name,
    holderBirth: holder.birthDate ? `né(e) le ${frenchDate(holder.birthDate)}` : null,
    title: partial ? 'Attestation de validation de blocs de compétences' : 'Certificat',
    certificationLine: `${certification.title} — ${certification.code}${certification.level ? ` — niveau ${certification.level}` : ''}`,
    partial,
    skillBlocks: data.skillBlocks,
    issuedOnText: frenchDate(data.issuedOn),
    certifierName: data.certifierName,
    verificationCode: data.verificationCode,
    verificationUrl: verificationUrl(data.publicUrl, data.verificationCode),
    revoked: data.revokedAt !== null,
  };
}
