import type { FastifyInstance } from 'fastify';
import { juries } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';
import { sendFile } from '../chain-uploads/send-file.js';

export function juryRoutes(app: FastifyInstance, services: Services) {
  route(app, services, juries.listJuries, ({ session, query }) => services.juries.list(session.actor, query));
  route(app, services, juries.getJury, ({ session, params }) =>
    services.juries.get(session.actor, params.id),
  );
  route(app, services, juries.createJury, ({ session, body }) => services.juries.create(session.actor, body));
  route(app, services, juries.updateJury, ({ session, params, body }) =>
    services.juries.update(session.actor, params.id, body),
  );
  route(app, services, juries.setJuryMembers, ({ session, params, body }) =>
    services.juries.setMembers(session.actor, params.id, body),
  );
  route(app, services, juries.deliberate, ({ session, params, body }) =>
    services.juries.deliberate(session.actor, params.id, body),
  );
  route(app, services, juries.listJuryCandidates, ({ session, params }) =>
    services.juries.candidates(session.actor, params.id),
  );
  route(app, services, juries.downloadJuryMinutes, async ({ session, params, reply }) =>
    sendFile(reply, {
      mediaType: 'application/pdf',
      ...(await services.juries.minutesPdf(session.actor, params.id)),
    }),
  );
}
