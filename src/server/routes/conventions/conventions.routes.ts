import type { FastifyInstance } from 'fastify';
import { conventions } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function conventionRoutes(app: FastifyInstance, services: Services) {
  route(app, services, conventions.listConventions, ({ session, query }) =>
    services.conventions.list(session.actor, query),
  );
  route(app, services, conventions.getConvention, ({ session, params }) =>
    services.conventions.get(session.actor, params.id),
  );
  route(app, services, conventions.createConvention, ({ session, body }) =>
    services.conventions.create(session.actor, body),
  );
  route(app, services, conventions.updateConvention, ({ session, params, body }) =>
    services.conventions.update(session.actor, params.id, body),
  );
  route(app, services, conventions.signConvention, ({ session, params, body }) =>
    services.conventions.sign(session.actor, params.id, body),
  );
  route(app, services, conventions.terminateConvention, ({ session, params, body }) =>
    services.conventions.terminate(session.actor, params.id, body),
  );
}
