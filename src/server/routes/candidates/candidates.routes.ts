import type { FastifyInstance } from 'fastify';
import { candidates } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function candidateRoutes(app: FastifyInstance, services: Services) {
  route(app, services, candidates.listCandidates, ({ session, query }) =>
    services.candidates.list(session.actor, query),
  );
  route(app, services, candidates.getCandidate, ({ session, params }) =>
    services.candidates.get(session.actor, params.id),
  );
  route(app, services, candidates.createCandidate, ({ session, body }) =>
    services.candidates.create(session.actor, body),
  );
  route(app, services, candidates.updateCandidate, ({ session, params, body }) =>
    services.candidates.update(session.actor, params.id, body),
  );
}
