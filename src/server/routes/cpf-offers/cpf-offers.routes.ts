import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { cpfOffers } from '../../../core/contracts/index.js';
import { AppError } from '../../../core/errors.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

/** The full national catalogue is ~700 MB as CSV; past 2 GB the upload is refused (413). */
const MAX_CATALOGUE_BYTES = 2 * 1024 * 1024 * 1024;

/** Streams the one part named `file` to a temp file, runs `work` on it, and removes it whatever happens. */
async function withUploadedCatalogue<T>(
  request: FastifyRequest,
  work: (filePath: string, fileName: string) => Promise<T>,
): Promise<T> {
  if (!request.isMultipart())
    throw new AppError(
      'unsupported_media_type',
      'Send the catalogue as multipart/form-data, in a part named file',
    );
  const part = await request.file({
    limits: { fileSize: MAX_CATALOGUE_BYTES, files: 1, fields: 10, parts: 11 },
  });
  if (part?.fieldname !== 'file') {
    part?.file.resume();
    throw new AppError('validation_failed', 'The upload has no part named file', {
      fields: [{ field: 'file', message: 'send the catalogue in a part named file' }],
    });
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'habilis-cpf-'));
  try {
    const filePath = path.join(dir, 'upload');
    await pipeline(part.file, createWriteStream(filePath));
    return await work(filePath, part.filename || 'catalogue-cpf');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The Communication area: the CPF catalogue import, the offers per seller, the history, the settings. */
export function cpfOfferRoutes(app: FastifyInstance, services: Services) {
  route(app, services, cpfOffers.listCpfImports, ({ session, query }) =>
    services.cpfOffers.listImports(session.actor, query),
  );
  route(app, services, cpfOffers.getCpfImport, ({ session, params }) =>
    services.cpfOffers.getImport(session.actor, params.id),
  );
  route(app, services, cpfOffers.listCpfImportChanges, ({ session, params, query }) =>
    services.cpfOffers.listChanges(session.actor, params.id, query),
  );
  route(app, services, cpfOffers.listCpfSellers, ({ session, query }) =>
    services.cpfOffers.listSellers(session.actor, query),
  );
  route(app, services, cpfOffers.listCpfOffers, ({ session, query }) =>
    services.cpfOffers.listOffers(session.actor, query),
  );
  route(app, services, cpfOffers.getCommunicationSettings, ({ session }) =>
    services.cpfOffers.settings(session.actor),
  );
  route(app, services, cpfOffers.updateCommunicationSettings, ({ session, body }) =>
    services.cpfOffers.updateSettings(session.actor, body),
  );
  // Multipart parsing only in this scope, as for the other uploads.
  void app.register(async (scope) => {
    await scope.register(multipart, { throwFileSizeLimit: true });
    route(scope, services, cpfOffers.importCpfCatalogue, ({ session, request, query }) =>
      withUploadedCatalogue(request, (filePath, displayName) =>
        services.cpfOffers.importCatalogue(session.actor, filePath, {
          displayName,
          force: query.force === 'true',
        }),
      ),
    );
  });
}
