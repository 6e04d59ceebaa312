import type { FastifyInstance } from 'fastify';
import { habilitations } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function habilitationRoutes(app: FastifyInstance, services: Services) {
  route(app, services, habilitations.listHabilitations, ({ session, query }) =>
    services.habilitations.list(session.actor, query),
  );
  route(app, services, habilitations.getHabilitation, ({ session, params }) =>
    services.habilitations.get(session.actor, params.id),
  );
  route(app, services, habilitations.createHabilitation, ({ session, body }) =>
    services.habilitations.create(session.actor, body),
  );
  route(app, services, habilitations.updateHabilitation, ({ session, params, body }) =>
    services.habilitations.update(session.actor, params.id, body),
  );
  route(app, services, habilitations.decideHabilitation, ({ session, params, body }) =>
    services.habilitations.decide(session.actor, params.id, body),
  );
}
