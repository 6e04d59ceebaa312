import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { evidence } from '../../../core/contracts/index.js';
import { AppError } from '../../../core/errors.js';
import type { IncomingFile } from '../../../services/evidence/evidence.service.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / RFC 8187). */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const exact = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/** The one file part of a multipart upload, named `file`. */
async function filePart(
  request: FastifyRequest,
  maxBytes: number,
): Promise<IncomingFile & { drain(): void }> {
  if (!request.isMultipart())
    throw new AppError(
      'unsupported_media_type',
      'Send the file as multipart/form-data, in a part named file',
    );
  // One byte over the limit lets the store see the file is too large and say so with its own message.
  const part = await request.file({ limits: { fileSize: maxBytes + 1, files: 1, fields: 20, parts: 21 } });
  if (!part)
    throw new AppError('validation_failed', 'The upload has no file', {
      fields: [{ field: 'file', message: 'send the file in a part named file' }],
    });
  const drain = () => {
    part.file.resume();
  };
  if (part.fieldname !== 'file') {
    drain();
    throw new AppError('validation_failed', `The file part is named ${part.fieldname}, not file`, {
      fields: [{ field: 'file', message: 'send the file in a part named file' }],
    });
  }
  return { fileName: part.filename, declaredType: part.mimetype, content: part.file, drain };
}

export function evidenceRoutes(app: FastifyInstance, services: Services) {
  // Multipart parsing only where files are uploaded: registered in this scope, not for the whole API.
  void app.register(async (scope) => {
    await scope.register(multipart, { throwFileSizeLimit: true });

    route(scope, services, evidence.listEvidence, ({ session, query }) =>
      services.evidence.list(session.actor, query),
    );
    route(scope, services, evidence.getEvidence, ({ session, params }) =>
      services.evidence.get(session.actor, params.id),
    );
    route(scope, services, evidence.uploadEvidence, async ({ session, query, request, reply }) => {
      const file = await filePart(request, services.evidence.maxBytes);
      try {
        return await services.evidence.upload(session.actor, query, file);
      } catch (error) {
        // Refused before the bytes were read: read (and drop) them, so the connection stays usable. Refused
        // part-way (too large, wrong kind): the rest is not worth reading; the client must not reuse the
        // connection, whose unread remainder would be taken for its next request.
        if (file.content.destroyed) reply.header('connection', 'close');
        else file.drain();
        throw error;
      }
    });
    route(scope, services, evidence.downloadEvidence, async ({ session, params, reply }) => {
      const { evidence: file, stream } = await services.evidence.open(session.actor, params.id);
      reply
        .header('content-type', file.mediaType)
        .header('content-length', file.sizeBytes)
        .header('content-disposition', contentDisposition(file.fileName))
        .header('repr-digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`)
        .header('cache-control', 'private, no-store');
      return stream;
    });
    route(scope, services, evidence.linkEvidence, ({ session, params, body }) =>
      services.evidence.link(session.actor, params.id, body),
    );
  });
}
