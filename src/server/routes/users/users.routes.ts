import type { FastifyInstance } from 'fastify';
import { users } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function userRoutes(app: FastifyInstance, services: Services) {
  route(app, services, users.listUsers, ({ session, query }) => services.users.list(session.actor, query));
  route(app, services, users.createUser, ({ session, body }) => services.users.create(session.actor, body));
  route(app, services, users.updateUser, ({ session, params, body }) =>
    services.users.update(session.actor, params.id, body),
  );
}
