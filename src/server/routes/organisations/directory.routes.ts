import type { FastifyInstance } from 'fastify';
import { organisationDirectory } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function organisationDirectoryRoutes(app: FastifyInstance, services: Services) {
  route(app, services, organisationDirectory.getOrganisationDirectory, ({ session, params }) =>
    services.organisationDirectory.get(session.actor, params.id),
  );
  route(app, services, organisationDirectory.addOrganisationContact, ({ session, params, body }) =>
    services.organisationDirectory.addContact(session.actor, params.id, body),
  );
  route(app, services, organisationDirectory.removeOrganisationContact, ({ session, params }) =>
    services.organisationDirectory.removeContact(session.actor, params.id, params.contactId),
  );
  route(app, services, organisationDirectory.addOrganisationSite, ({ session, params, body }) =>
    services.organisationDirectory.addSite(session.actor, params.id, body),
  );
  route(app, services, organisationDirectory.removeOrganisationSite, ({ session, params }) =>
    services.organisationDirectory.removeSite(session.actor, params.id, params.siteId),
  );
}
