import type { FastifyInstance } from 'fastify';
import { controlRules } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function controlRuleRoutes(app: FastifyInstance, services: Services) {
  route(app, services, controlRules.listControlRules, ({ session }) =>
    services.controlRuns.catalogue(session.actor),
  );
  route(app, services, controlRules.runControlRules, ({ session, body }) =>
    services.controlRuns.run(session.actor, body),
  );
}
