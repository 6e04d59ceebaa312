import { Readable } from 'node:stream';
import { type Actor, requireAccess } from '../core/access/policy.js';
import { AppError, notFound } from '../core/errors.js';
import { sniffContent } from '../core/evidence/media-types.js';
import { ReportRepository } from '../db/repositories/report.repository.js';
import type { ReportBranding } from '../reports/dossier/pdf.js';
import { recordAudit } from './audit.service.js';
import { EvidenceStore } from './evidence/evidence-store.js';
import type { ServiceContext } from './service-context.js';

/** A logo larger than this is refused: it is printed a few centimetres wide. */
export const MAX_LOGO_BYTES = 2 * 1024 * 1024;

/**
 * What every report is signed with: the certifier's name and, when one was set, its logo (PNG or JPEG from
 * the content-addressed store, checked against its SHA-256 before use; a logo that no longer matches is
 * left out rather than printed).
 */
export async function reportBranding(ctx: ServiceContext): Promise<ReportBranding> {
  const repo = new ReportRepository(ctx.db);
  const [certifier, logo] = await Promise.all([repo.certifierName(), repo.logo()]);
  const certifierName = certifier?.name ?? 'Organisme certificateur';
  if (!logo?.logoSha256 || !logo.logoMediaType) return { certifierName, logo: null };
  try {
    const { stream } = await new EvidenceStore(ctx.config.filesDir).openVerified(logo.logoSha256);
    const parts: Buffer[] = [];
    for await (const chunk of stream) parts.push(chunk as Buffer);
    return { certifierName, logo: { bytes: Buffer.concat(parts), mediaType: logo.logoMediaType } };
  } catch {
    return { certifierName, logo: null };
  }
}

/** The logo the reports print, as the settings screen describes it; null when none is set. */
export interface ReportLogoInfo {
  sha256: string;
  mediaType: 'image/png' | 'image/jpeg';
  sizeBytes: number;
  updatedAt: string | null;
}

export async function reportLogoInfo(ctx: ServiceContext, actor: Actor): Promise<ReportLogoInfo | null> {
  requireAccess(actor, 'certifier.read');
  const logo = await new ReportRepository(ctx.db).logo();
  if (!logo?.logoSha256 || !logo.logoMediaType) return null;
  const { stream, sizeBytes } = await new EvidenceStore(ctx.config.filesDir).openVerified(logo.logoSha256);
  stream.destroy();
  return {
    sha256: logo.logoSha256,
    mediaType: logo.logoMediaType === 'image/png' ? 'image/png' : 'image/jpeg',
    sizeBytes,
    updatedAt: logo.updatedAt ? new Date(logo.updatedAt).toISOString() : null,
  };
}

/** The logo's bytes for the settings screen's preview (`not_found` when none is set). */
export async function openReportLogo(
  ctx: ServiceContext,
  actor: Actor,
): Promise<{ mediaType: string; sizeBytes: number; stream: Readable }> {
  requireAccess(actor, 'certifier.read');
  const logo = await new ReportRepository(ctx.db).logo();
  if (!logo?.logoSha256 || !logo.logoMediaType) throw notFound('logo');
  const { stream, sizeBytes } = await new EvidenceStore(ctx.config.filesDir).openVerified(logo.logoSha256);
  return { mediaType: logo.logoMediaType, sizeBytes, stream };
}

/**
 * Sets (or, with null, removes) the logo printed on the reports: PNG or JPEG, told from the bytes themselves
 * (never from the name or the declared type), at most 2 MiB. Read as a stream, so an oversized upload is cut
 * off at the limit; nothing is kept unless the whole file passes. Recorded in the audit log.
 */
export async function setReportLogo(
  ctx: ServiceContext,
  actor: Actor,
  content: Buffer | Readable | null,
): Promise<{ sha256: string | null }> {
  requireAccess(actor, 'certifier.manage');
  let logo: { logoSha256: string | null; logoMediaType: string | null } = {
    logoSha256: null,
    logoMediaType: null,
  };
  if (content) {
    const stored = await new EvidenceStore(ctx.config.filesDir).write(
      Buffer.isBuffer(content) ? Readable.from([content]) : content,
      {
        maxBytes: MAX_LOGO_BYTES,
        mediaTypeOf: (head) => {
          const family = sniffContent(head);
          if (family === 'png') return 'image/png';
          if (family === 'jpeg') return 'image/jpeg';
          throw new AppError(
            'unsupported_media_type',
            head.length === 0 ? 'The logo file is empty' : 'The logo must be a PNG or JPEG image',
            { fields: [{ field: 'file', message: 'not a PNG or JPEG image' }] },
          );
        },
      },
    );
    logo = { logoSha256: stored.sha256, logoMediaType: stored.mediaType };
  }
  await ctx.db.transaction().execute(async (trx) => {
    const before = await new ReportRepository(trx).logo();
    await new ReportRepository(trx).setLogo(logo);
    await recordAudit(
      trx,
      actor,
      {
        action: 'report.logo',
        entityType: 'report_settings',
        entityId: null,
        before: before ? { logoSha256: before.logoSha256, logoMediaType: before.logoMediaType } : null,
        after: logo,
      },
      ctx.now,
    );
  });
  return { sha256: logo.logoSha256 };
}
