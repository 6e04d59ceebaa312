import type { FastifyInstance } from 'fastify';
import { certifierSettings } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';

export function settingsRoutes(app: FastifyInstance, services: Services) {
  route(app, services, certifierSettings.getCertifierSettings, ({ session }) =>
    services.certifierSettings.get(session.actor),
  );
  route(app, services, certifierSettings.updateCertifierSettings, ({ session, body }) =>
    services.certifierSettings.update(session.actor, body),
  );
}
