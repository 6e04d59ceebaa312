import type { FastifyInstance } from 'fastify';
import { findings } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function findingRoutes(app: FastifyInstance, services: Services) {
  route(app, services, findings.listFindings, ({ session, query }) =>
    services.findings.list(session.actor, query),
  );
  route(app, services, findings.getFinding, ({ session, params }) =>
    services.findings.get(session.actor, params.id),
  );
  route(app, services, findings.createFinding, ({ session, body }) =>
    services.findings.create(session.actor, body),
  );
  route(app, services, findings.updateFinding, ({ session, params, body }) =>
    services.findings.update(session.actor, params.id, body),
  );
  route(app, services, findings.transitionFinding, ({ session, params, body }) =>
    services.findings.transition(session.actor, params.id, body),
  );
  route(app, services, findings.submitCorrectiveAction, ({ session, params, body }) =>
    services.findings.submitCorrectiveAction(session.actor, params.id, body),
  );
  route(app, services, findings.reviewCorrectiveAction, ({ session, params, body }) =>
    services.findings.reviewCorrectiveAction(session.actor, params.id, params.actionId, body),
  );
  route(app, services, findings.qualifyFinding, ({ session, params, body }) =>
    services.findings.qualify(session.actor, params.id, body),
  );
  route(app, services, findings.requestCorrectiveAction, ({ session, params, body }) =>
    services.findings.requestAction(session.actor, params.id, body),
  );
  route(app, services, findings.completeCorrectiveAction, ({ session, params, body }) =>
    services.findings.completeCorrectiveAction(session.actor, params.id, params.actionId, body),
  );
  route(app, services, findings.checkEffectiveness, ({ session, params, body }) =>
    services.findings.checkEffectiveness(session.actor, params.id, params.actionId, body),
  );
  route(app, services, findings.runFindingReminders, ({ session }) =>
    services.findings.runReminders(session.actor),
  );
}
