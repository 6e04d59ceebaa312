import type { FastifyInstance } from 'fastify';
import { certifications } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function certificationRoutes(app: FastifyInstance, services: Services) {
  route(app, services, certifications.listCertifications, ({ session, query }) =>
    services.certifications.list(session.actor, query),
  );
  route(app, services, certifications.getCertification, ({ session, params }) =>
    services.certifications.get(session.actor, params.id),
  );
  route(app, services, certifications.createCertification, ({ session, body }) =>
    services.certifications.create(session.actor, body),
  );
  route(app, services, certifications.updateCertification, ({ session, params, body }) =>
    services.certifications.update(session.actor, params.id, body),
  );
  route(app, services, certifications.addSkillBlock, ({ session, params, body }) =>
    services.certifications.addSkillBlock(session.actor, params.id, body),
  );
  route(app, services, certifications.updateSkillBlock, ({ session, params, body }) =>
    services.certifications.updateSkillBlock(session.actor, params.id, params.skillBlockId, body),
  );
}
