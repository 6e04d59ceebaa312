import type { FastifyInstance } from 'fastify';
import { alerts } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function alertRoutes(app: FastifyInstance, services: Services) {
  route(app, services, alerts.listExpiryAlerts, ({ session, query }) =>
    services.alerts.expiries(session.actor, query),
  );
}
