import type { FastifyInstance } from 'fastify';
import { audit } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function auditRoutes(app: FastifyInstance, services: Services) {
  route(app, services, audit.listAuditEntries, ({ session, query }) =>
    services.audit.list(session.actor, query),
  );
  route(app, services, audit.verifyAuditLog, ({ session }) => services.audit.verify(session.actor));
}
