import type { FastifyInstance } from 'fastify';
import { trainingSessions } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function trainingSessionRoutes(app: FastifyInstance, services: Services) {
  route(app, services, trainingSessions.listTrainingSessions, ({ session, query }) =>
    services.trainingSessions.list(session.actor, query),
  );
  route(app, services, trainingSessions.getTrainingSession, ({ session, params }) =>
    services.trainingSessions.get(session.actor, params.id),
  );
  route(app, services, trainingSessions.createTrainingSession, ({ session, body }) =>
    services.trainingSessions.create(session.actor, body),
  );
  route(app, services, trainingSessions.updateTrainingSession, ({ session, params, body }) =>
    services.trainingSessions.update(session.actor, params.id, body),
  );
  route(app, services, trainingSessions.enrolCandidates, ({ session, params, body }) =>
    services.trainingSessions.enrol(session.actor, params.id, body),
  );
  route(app, services, trainingSessions.unenrolCandidate, ({ session, params }) =>
    services.trainingSessions.unenrol(session.actor, params.id, params.candidateId),
  );
}
