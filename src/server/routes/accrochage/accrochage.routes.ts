import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accrochage } from '../../../core/contracts/index.js';
import { AppError } from '../../../core/errors.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';
import { sendFile } from '../chain-uploads/send-file.js';

/** A processing report lists one line per passage: 20 MiB is far above a 200,000-passage report. */
const MAX_REPORT_BYTES = 20 * 1024 * 1024;

/** The one part named `file` of a multipart upload, read whole. */
async function uploadedReport(request: FastifyRequest): Promise<{ fileName: string; content: Buffer }> {
  if (!request.isMultipart())
    throw new AppError(
      'unsupported_media_type',
      'Send the report as multipart/form-data, in a part named file',
    );
  const part = await request.file({
    limits: { fileSize: MAX_REPORT_BYTES, files: 1, fields: 10, parts: 11 },
  });
  if (part?.fieldname !== 'file') {
    part?.file.resume();
    throw new AppError('validation_failed', 'The upload has no part named file', {
      fields: [{ field: 'file', message: 'send the report in a part named file' }],
    });
  }
  return { fileName: part.filename, content: await part.toBuffer() };
}

export function accrochageRoutes(app: FastifyInstance, services: Services) {
  // Multipart parsing only where the report is uploaded: registered in this scope.
  void app.register(async (scope) => {
    await scope.register(multipart, { throwFileSizeLimit: true });

    route(scope, services, accrochage.exportAccrochage, async ({ session, query, reply }) => {
      // The writer streams to a file and validates it there; the answer is that file, then it is removed.
      const dir = await mkdtemp(path.join(tmpdir(), 'habilis-accrochage-'));
      const removeDir = () => rm(dir, { recursive: true, force: true });
      try {
        const fileName = `accrochage-${new Date().toISOString().slice(0, 10)}.xml`;
        const outcome = await services.accrochage.export(session.actor, {
          ...query,
          outPath: path.join(dir, fileName),
        });
        if (!outcome.file)
          throw new AppError('conflict', 'No certificate can be sent: none is pending, or each lacks data', {
            details: { leftOut: outcome.leftOut },
            fields: outcome.leftOut.flatMap((l) =>
              l.messages.map((message) => ({ field: l.certificate ?? l.holder, message })),
            ),
          });
        reply
          .header('x-accrochage-holders', String(outcome.holders))
          .header('x-accrochage-left-out', String(outcome.leftOut.length));
        // Streamed (a flux can be hundreds of MB); the temporary directory goes once the stream closes.
        const content = createReadStream(outcome.file);
        content.once('close', () => void removeDir());
        return sendFile(reply, { fileName, mediaType: 'application/xml', content });
      } catch (error) {
        await removeDir();
        throw error;
      }
    });
    route(scope, services, accrochage.importAccrochageReport, async ({ session, request }) =>
      services.accrochage.importReport(session.actor, await uploadedReport(request)),
    );
    route(scope, services, accrochage.previewAccrochage, ({ session, query }) =>
      services.accrochage.preview(session.actor, query),
    );
    route(scope, services, accrochage.listAccrochageDeadlines, ({ session }) =>
      services.accrochage.deadlines(session.actor),
    );
  });
}
