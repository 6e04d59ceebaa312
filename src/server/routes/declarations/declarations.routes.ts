import type { FastifyInstance } from 'fastify';
import { declarations } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';
import { contentDisposition } from '../evidence/evidence.routes.js';

export function declarationRoutes(app: FastifyInstance, services: Services) {
  route(app, services, declarations.listDeclarationChanges, ({ session, query }) =>
    services.declarations.list(session.actor, query),
  );
  route(app, services, declarations.markChangesDeclared, ({ session, body }) =>
    services.declarations.markDeclared(session.actor, body),
  );
  route(app, services, declarations.listDeclaredPartners, ({ session, query }) =>
    services.declarations.partnerList(session.actor, query),
  );
  route(app, services, declarations.exportDeclaredPartners, async ({ session, query, reply }) => {
    const file = await services.declarations.exportPartnerList(session.actor, query);
    reply
      .header('content-type', file.mediaType)
      .header('content-disposition', contentDisposition(file.fileName))
      .header('cache-control', 'private, no-store');
    return file.content;
  });
}
