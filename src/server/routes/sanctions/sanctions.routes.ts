import type { FastifyInstance } from 'fastify';
import { sanctions } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function sanctionRoutes(app: FastifyInstance, services: Services) {
  route(app, services, sanctions.listSanctions, ({ session, query }) =>
    services.sanctions.list(session.actor, query),
  );
  route(app, services, sanctions.suggestSanction, async ({ session, query }) => ({
    suggestion: await services.sanctions.suggest(session.actor, query.organisationId),
  }));
  route(app, services, sanctions.getSanction, ({ session, params }) =>
    services.sanctions.get(session.actor, params.id),
  );
  route(app, services, sanctions.createSanction, ({ session, body }) =>
    services.sanctions.create(session.actor, body),
  );
  route(app, services, sanctions.updateSanction, ({ session, params, body }) =>
    services.sanctions.update(session.actor, params.id, body),
  );
  route(app, services, sanctions.replyToSanction, ({ session, params, body }) =>
    services.sanctions.reply(session.actor, params.id, body),
  );
}
