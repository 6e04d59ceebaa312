import type { FastifyInstance } from 'fastify';
import { network } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';
import { contentDisposition } from '../evidence/evidence.routes.js';
import { organisationDirectoryRoutes } from '../organisations/directory.routes.js';

/** The network list, its export, the partner timeline, and each organisation's contacts and sites. */
export function networkRoutes(app: FastifyInstance, services: Services) {
  organisationDirectoryRoutes(app, services);
  route(app, services, network.listNetwork, ({ session, query }) =>
    services.network.list(session.actor, query),
  );
  route(app, services, network.exportNetwork, async ({ session, query, reply }) => {
    const file = await services.network.export(session.actor, query);
    reply
      .header('content-type', file.mediaType)
      .header('content-disposition', contentDisposition(file.fileName))
      .header('cache-control', 'private, no-store');
    return file.content;
  });
  route(app, services, network.getPartnerTimeline, ({ session, params, query }) =>
    services.network.timeline(session.actor, params.id, query),
  );
}
