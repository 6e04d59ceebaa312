import { Readable } from 'node:stream';
import { type Actor, requireAccess } from '../core/access/policy.js';
import { AppError } from '../core/errors.js';
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

/** Sets (or, with null, removes) the logo printed on the reports. PNG or JPEG, at most 2 MiB. */
export async function setReportLogo(
  ctx: ServiceContext,
  actor: Actor,
  bytes: Buffer | null,
): Promise<{ sha256: string | null }> {
  requireAccess(actor, 'certifier.manage');
  let logo: { logoSha256: string | null; logoMediaType: string | null } = {
    logoSha256: null,
    logoMediaType: null,
  };
  if (bytes) {
    const family = sniffContent(new Uint8Array(bytes.subarray(0, 4096)));
    if (family !== 'png' && family !== 'jpeg')
      throw new AppError('unsupported_media_type', 'The logo must be a PNG or JPEG image', {
        fields: [{ field: 'file', message: 'not a PNG or JPEG image' }],
      });
    const mediaType = family === 'png' ? 'image/png' : 'image/jpeg';
    const stored = await new EvidenceStore(ctx.config.filesDir).write(Readable.from([bytes]), {
      maxBytes: MAX_LOGO_BYTES,
      mediaTypeOf: () => mediaType,
    });
    logo = { logoSha256: stored.sha256, logoMediaType: mediaType };
  }
  await ctx.db.transaction().execute(async (trx) => {
    await new ReportRepository(trx).setLogo(logo);
    await recordAudit(
      trx,
      actor,
      { action: 'report.logo', entityType: 'report_settings', entityId: null, after: logo },
      ctx.now,
    );
  });
  return { sha256: logo.logoSha256 };
}
