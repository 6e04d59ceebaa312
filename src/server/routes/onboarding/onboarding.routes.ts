import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { onboarding } from '../../../core/contracts/index.js';
import { AppError } from '../../../core/errors.js';
import type { Services } from '../../../services/index.js';
import { MAX_PARTNER_LIST_BYTES, type PartnerListFile } from '../../../services/onboarding.service.js';
import { route } from '../../route.js';
import { contentDisposition } from '../evidence/evidence.routes.js';

const fileFieldIssue = [{ field: 'file', message: 'send the partner list in a part named file' }];

/** The one part named `file`, read whole (a partner list is small) and refused past the size limit. */
async function partnerListPart(request: FastifyRequest): Promise<PartnerListFile> {
  if (!request.isMultipart())
    throw new AppError(
      'unsupported_media_type',
      'Send the partner list as multipart/form-data, in a part named file',
    );
  const part = await request.file({
    limits: { fileSize: MAX_PARTNER_LIST_BYTES + 1, files: 1, fields: 10, parts: 11 },
  });
  if (!part) throw new AppError('validation_failed', 'The upload has no file', { fields: fileFieldIssue });
  if (part.fieldname !== 'file') {
    part.file.resume();
    throw new AppError('validation_failed', `The file part is named ${part.fieldname}, not file`, {
      fields: fileFieldIssue,
    });
  }
  // The part stops at one byte over the limit (fileSize): enough to know the file is too large.
  const chunks: Buffer[] = [];
  for await (const chunk of part.file) chunks.push(chunk as Buffer);
  const content = Buffer.concat(chunks);
  if (part.file.truncated || content.byteLength > MAX_PARTNER_LIST_BYTES)
    throw new AppError(
      'payload_too_large',
      `The partner list is larger than ${MAX_PARTNER_LIST_BYTES / 1024 / 1024} MiB`,
      {
        fields: [{ field: 'file', message: `larger than ${MAX_PARTNER_LIST_BYTES} bytes` }],
      },
    );
  return { fileName: part.filename || 'partenaires', content };
}

export function onboardingRoutes(app: FastifyInstance, services: Services) {
  // Multipart parsing only in this scope, as for evidence uploads.
  void app.register(async (scope) => {
    await scope.register(multipart, { throwFileSizeLimit: false });

    route(scope, services, onboarding.importPartners, async ({ session, query, request }) => {
      const file = await partnerListPart(request);
      return services.onboarding.importPartners(session.actor, file, query);
    });
    route(scope, services, onboarding.downloadPartnerTemplate, async ({ session, reply }) => {
      const file = await services.onboarding.template(session.actor);
      reply
        .header('content-type', file.mediaType)
        .header('content-disposition', contentDisposition(file.fileName))
        .header('cache-control', 'private, no-store');
      return file.content;
    });
  });
}
