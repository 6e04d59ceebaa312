import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { qualiopi } from '../../../core/contracts/index.js';
import { AppError } from '../../../core/errors.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

/** The national list is tens of megabytes; past this, the upload is refused (413). */
const MAX_LIST_BYTES = 256 * 1024 * 1024;

/**
 * Streams the one part named `file` to a temp file (the import reads a file, twice: once for its hash, once
 * for its rows), runs `work` on it, and removes it whatever happens.
 */
async function withUploadedList<T>(
  request: FastifyRequest,
  work: (filePath: string, fileName: string) => Promise<T>,
): Promise<T> {
  if (!request.isMultipart())
    throw new AppError(
      'unsupported_media_type',
      'Send the list as multipart/form-data, in a part named file',
    );
  const part = await request.file({ limits: { fileSize: MAX_LIST_BYTES, files: 1, fields: 10, parts: 11 } });
  if (part?.fieldname !== 'file') {
    part?.file.resume();
    throw new AppError('validation_failed', 'The upload has no part named file', {
      fields: [{ field: 'file', message: 'send the list in a part named file' }],
    });
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'habilis-lpof-'));
  try {
    const filePath = path.join(dir, 'upload');
    await pipeline(part.file, createWriteStream(filePath));
    return await work(filePath, part.filename || 'liste-publique-of');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function qualiopiRoutes(app: FastifyInstance, services: Services) {
  // Multipart parsing only in this scope, as for the other uploads.
  void app.register(async (scope) => {
    await scope.register(multipart, { throwFileSizeLimit: true });
    route(scope, services, qualiopi.importQualiopiList, ({ session, request, query }) =>
      withUploadedList(request, (filePath, displayName) =>
        services.qualiopi.importList(session.actor, filePath, { displayName, force: query.force === 'true' }),
      ),
    );
  });
}
