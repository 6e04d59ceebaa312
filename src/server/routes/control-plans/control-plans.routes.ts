import type { FastifyInstance } from 'fastify';
import { controlPlans } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function controlPlanRoutes(app: FastifyInstance, services: Services) {
  route(app, services, controlPlans.listControlPlans, ({ session }) =>
    services.controlPlans.list(session.actor),
  );
  route(app, services, controlPlans.proposeControlPlan, ({ session, body }) =>
    services.controlPlans.propose(session.actor, body),
  );
  route(app, services, controlPlans.getControlPlan, ({ session, params, query }) =>
    services.controlPlans.get(session.actor, params.id, query),
  );
  route(app, services, controlPlans.adjustControlPlanEntry, ({ session, params, body }) =>
    services.controlPlans.adjustEntry(session.actor, params.id, params.entryId, body),
  );
  route(app, services, controlPlans.addControlPlanEntry, ({ session, params, body }) =>
    services.controlPlans.addEntry(session.actor, params.id, body),
  );
  route(app, services, controlPlans.commitControlPlan, ({ session, params }) =>
    services.controlPlans.commit(session.actor, params.id),
  );
}
