import type { FastifyInstance } from 'fastify';
import { risk } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function riskRoutes(app: FastifyInstance, services: Services) {
  route(app, services, risk.listRiskScores, ({ session, query }) => services.risk.list(session.actor, query));
  route(app, services, risk.getRiskScore, ({ session, params }) =>
    services.risk.get(session.actor, params.organisationId),
  );
}
