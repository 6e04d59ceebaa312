import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { contentDisposition } from '../evidence/evidence.routes.js';

/** Answers a generated or stored file as an attachment, never cached by shared caches. */
export function sendFile(
  reply: FastifyReply,
  file: { fileName: string; mediaType: string; content: Buffer | Readable },
): Buffer | Readable {
  reply
    .header('content-type', file.mediaType)
    .header('content-disposition', contentDisposition(file.fileName))
    .header('cache-control', 'private, no-store');
  return file.content;
}
