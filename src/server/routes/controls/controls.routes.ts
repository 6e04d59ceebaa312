import type { FastifyInstance } from 'fastify';
import { controls } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function controlRoutes(app: FastifyInstance, services: Services) {
  route(app, services, controls.listControls, ({ session, query }) =>
    services.controls.list(session.actor, query),
  );
  route(app, services, controls.getControl, ({ session, params }) =>
    services.controls.get(session.actor, params.id),
  );
  route(app, services, controls.createControl, ({ session, body }) =>
    services.controls.create(session.actor, body),
  );
  route(app, services, controls.updateControl, ({ session, params, body }) =>
    services.controls.update(session.actor, params.id, body),
  );
}
