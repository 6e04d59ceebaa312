import type { FastifyInstance } from 'fastify';
import { assessments } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function assessmentRoutes(app: FastifyInstance, services: Services) {
  route(app, services, assessments.listAssessmentSessions, ({ session, query }) =>
    services.assessments.list(session.actor, query),
  );
  route(app, services, assessments.getAssessmentSession, ({ session, params }) =>
    services.assessments.get(session.actor, params.id),
  );
  route(app, services, assessments.createAssessmentSession, ({ session, body }) =>
    services.assessments.create(session.actor, body),
  );
  route(app, services, assessments.updateAssessmentSession, ({ session, params, body }) =>
    services.assessments.update(session.actor, params.id, body),
  );
  route(app, services, assessments.registerCandidates, ({ session, params, body }) =>
    services.assessments.addCandidates(session.actor, params.id, body),
  );
  route(app, services, assessments.setEvaluators, ({ session, params, body }) =>
    services.assessments.setEvaluators(session.actor, params.id, body),
  );
  route(app, services, assessments.listAssessmentResults, ({ session, params }) =>
    services.assessments.listResults(session.actor, params.id),
  );
  route(app, services, assessments.recordAssessmentResults, ({ session, params, body }) =>
    services.assessments.recordResults(session.actor, params.id, body),
  );
}
