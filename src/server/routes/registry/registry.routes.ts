import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as registry from '../../../core/contracts/registry.js';
import { AppError } from '../../../core/errors.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

/** The largest upload: a full RNCP XML flow is ~570 MB. */
export const MAX_EXPORT_BYTES = 1024 * 1024 * 1024;

/** The one file part of a multipart upload, named `file`. */
async function exportPart(request: FastifyRequest) {
  if (!request.isMultipart())
    throw new AppError(
      'unsupported_media_type',
      'Send the export as multipart/form-data, in a part named file',
    );
  const part = await request.file({
    limits: { fileSize: MAX_EXPORT_BYTES, files: 1, fields: 10, parts: 11 },
  });
  if (!part)
    throw new AppError('validation_failed', 'The upload has no file', {
      fields: [{ field: 'file', message: 'send the export in a part named file' }],
    });
  if (part.fieldname !== 'file') {
    part.file.resume();
    throw new AppError('validation_failed', `The file part is named ${part.fieldname}, not file`, {
      fields: [{ field: 'file', message: 'send the export in a part named file' }],
    });
  }
  return part;
}

export function registryRoutes(app: FastifyInstance, services: Services) {
  route(app, services, registry.listRegistryFiches, ({ session, query }) =>
    services.registry.searchFiches(session.actor, query),
  );
  route(app, services, registry.getRegistryFiche, ({ session, params }) =>
    services.registry.getFiche(session.actor, params.code),
  );
  route(app, services, registry.getRegistryFicheHistory, ({ session, params, query }) =>
    services.registry.ficheHistory(session.actor, params.code, query),
  );
  route(app, services, registry.listRegistryImportRuns, ({ session, query }) =>
    services.registry.listImportRuns(session.actor, query),
  );
  route(app, services, registry.getRegistryImportRun, ({ session, params }) =>
    services.registry.getImportRun(session.actor, params.id),
  );
  route(app, services, registry.listRegistryImportRunChanges, ({ session, params, query }) =>
    services.registry.importRunChanges(session.actor, params.id, query),
  );
  route(app, services, registry.listRegistryFindings, ({ session, query }) =>
    services.registry.listFindings(session.actor, query),
  );
  route(app, services, registry.getRegistryImport, async ({ session, params }) =>
    services.registry.getImportJob(session.actor, params.id),
  );
  // Multipart parsing only for the upload: registered in its own scope.
  void app.register(async (scope) => {
    await scope.register(multipart, { throwFileSizeLimit: true });
    route(scope, services, registry.startRegistryImport, async ({ session, query, request }) => {
      const part = await exportPart(request);
      return services.registry.startUploadImport(
        session.actor,
        { fileName: part.filename, content: part.file },
        { certifierSiret: query.certifierSiret },
      );
    });
  });
}
