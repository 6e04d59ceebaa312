import type { FastifyInstance } from 'fastify';
import { organisations } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function organisationRoutes(app: FastifyInstance, services: Services) {
  route(app, services, organisations.listOrganisations, ({ session, query }) =>
    services.organisations.list(session.actor, query),
  );
  route(app, services, organisations.getOrganisation, ({ session, params }) =>
    services.organisations.get(session.actor, params.id),
  );
  route(app, services, organisations.createOrganisation, ({ session, body }) =>
    services.organisations.create(session.actor, body),
  );
  route(app, services, organisations.updateOrganisation, ({ session, params, body }) =>
    services.organisations.update(session.actor, params.id, body),
  );
  route(app, services, organisations.archiveOrganisation, ({ session, params }) =>
    services.organisations.archive(session.actor, params.id),
  );
}
