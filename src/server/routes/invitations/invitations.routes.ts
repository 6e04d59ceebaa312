import type { FastifyInstance } from 'fastify';
import { invitations } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';
import { type CookiePolicy, setSessionCookie } from '../auth/auth.routes.js';

export function invitationRoutes(
  app: FastifyInstance,
  services: Services,
  cookies: CookiePolicy,
  publicPerMinute: number,
) {
  route(app, services, invitations.listInvitations, ({ session, query }) =>
    services.invitations.list(session.actor, query),
  );
  route(app, services, invitations.createInvitation, ({ session, body }) =>
    services.invitations.invite(session.actor, body),
  );
  route(app, services, invitations.resendInvitation, ({ session, params }) =>
    services.invitations.resend(session.actor, params.id),
  );
  route(app, services, invitations.revokeInvitation, ({ session, params }) =>
    services.invitations.revoke(session.actor, params.id),
  );
  // Public, and limited like sign-in: a link cannot be guessed by trying many.
  route(app, services, invitations.lookupInvitation, ({ body }) => services.invitations.lookup(body), {
    rateLimitPerMinute: publicPerMinute * 3,
  });
  route(
    app,
    services,
    invitations.acceptInvitation,
    async ({ body, request, reply }) =>
      setSessionCookie(
        reply,
        await services.invitations.accept(body, { ip: request.ip, userAgent: request.headers['user-agent'] }),
        cookies,
      ),
    { rateLimitPerMinute: publicPerMinute },
  );
}
