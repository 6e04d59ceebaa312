import type { FastifyInstance } from 'fastify';
import { audits } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function auditSheetRoutes(app: FastifyInstance, services: Services) {
  route(app, services, audits.listChecklistTemplates, ({ session, query }) =>
    services.auditChecklists.listTemplates(session.actor, query.kind),
  );
  route(app, services, audits.createChecklistTemplate, ({ session, body }) =>
    services.auditChecklists.createTemplate(session.actor, body),
  );
  route(app, services, audits.getAuditSheet, ({ session, params }) =>
    services.auditChecklists.sheet(session.actor, params.id),
  );
  route(app, services, audits.recordCheckpointResult, ({ session, params, body }) =>
    services.auditChecklists.recordResult(session.actor, params.id, params.checkpointId, body),
  );
  route(app, services, audits.getQualityOverview, ({ session }) => services.quality.overview(session.actor));
}
