import type { FastifyInstance } from 'fastify';
import { conventionDocuments } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';
import { contentDisposition } from '../evidence/evidence.routes.js';

export function conventionDocumentRoutes(app: FastifyInstance, services: Services) {
  route(app, services, conventionDocuments.getDefaultConventionTemplate, async ({ session }) =>
    services.conventionDocuments.defaultTemplate(session.actor),
  );
  route(app, services, conventionDocuments.generateConventionDocument, ({ session, params, body }) =>
    services.conventionDocuments.generate(session.actor, params.id, body),
  );
  route(app, services, conventionDocuments.downloadConventionDocument, async ({ session, params, reply }) => {
    const { evidence: file, stream } = await services.conventionDocuments.download(session.actor, params.id);
    reply
      .header('content-type', file.mediaType)
      .header('content-length', file.sizeBytes)
      .header('content-disposition', contentDisposition(file.fileName))
      .header('repr-digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`)
      .header('cache-control', 'private, no-store');
    return stream;
  });
}
