import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { chainUploads } from '../../../core/contracts/index.js';
import { AppError } from '../../../core/errors.js';
import type { UploadedFile } from '../../../services/chain-upload.service.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';
import { sendFile } from './send-file.js';

/** The one part named `file` of a multipart upload, read whole (uploads are small). */
async function uploadedFile(request: FastifyRequest, maxBytes: number): Promise<UploadedFile> {
  if (!request.isMultipart())
    throw new AppError(
      'unsupported_media_type',
      'Send the file as multipart/form-data, in a part named file',
    );
  const part = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 11 } });
  if (part?.fieldname !== 'file') {
    part?.file.resume();
    throw new AppError('validation_failed', 'The upload has no part named file', {
      fields: [{ field: 'file', message: 'send the file in a part named file' }],
    });
  }
  return { fileName: part.filename, content: await part.toBuffer() };
}

export function chainUploadRoutes(app: FastifyInstance, services: Services) {
  // Multipart parsing only where files are uploaded: registered in this scope, not for the whole API.
  void app.register(async (scope) => {
    await scope.register(multipart, { throwFileSizeLimit: true });
    const max = services.chainUploads.maxBytes;

    route(scope, services, chainUploads.downloadUploadTemplate, async ({ session, params, query, reply }) =>
      sendFile(reply, await services.chainUploads.template(session.actor, params.kind, query.format)),
    );
    route(scope, services, chainUploads.uploadTrainingSessions, async ({ session, query, request }) =>
      services.chainUploads.uploadTrainingSessions(session.actor, query, await uploadedFile(request, max)),
    );
    route(scope, services, chainUploads.uploadAssessmentResults, async ({ session, query, request }) =>
      services.chainUploads.uploadAssessmentResults(session.actor, query, await uploadedFile(request, max)),
    );
    route(scope, services, chainUploads.listCandidateDuplicates, ({ session, query }) =>
      services.candidateDuplicates.list(session.actor, query),
    );
  });
}
