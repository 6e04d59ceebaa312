import type { FastifyInstance } from 'fastify';
import { partnerRequests } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function partnerRequestRoutes(app: FastifyInstance, services: Services) {
  route(app, services, partnerRequests.listRequests, ({ session, query }) =>
    services.partnerRequests.list(session.actor, query),
  );
  route(app, services, partnerRequests.getRequest, ({ session, params }) =>
    services.partnerRequests.get(session.actor, params.id),
  );
  route(app, services, partnerRequests.createRequest, ({ session, body }) =>
    services.partnerRequests.create(session.actor, body),
  );
  route(app, services, partnerRequests.answerRequest, ({ session, params, body }) =>
    services.partnerRequests.answer(session.actor, params.id, body),
  );
  route(app, services, partnerRequests.reviewRequest, ({ session, params, body }) =>
    services.partnerRequests.review(session.actor, params.id, body),
  );
}
