import type { FastifyInstance } from 'fastify';
import { certificates } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';
import { sendFile } from '../chain-uploads/send-file.js';

/** Verification codes are unguessable; the tight limit keeps anyone from trying many anyway. */
const VERIFY_PER_MINUTE = 30;

export function certificateRoutes(app: FastifyInstance, services: Services) {
  route(app, services, certificates.listCertificates, ({ session, query }) =>
    services.certificates.list(session.actor, query),
  );
  route(app, services, certificates.getCertificate, ({ session, params }) =>
    services.certificates.get(session.actor, params.id),
  );
  route(app, services, certificates.issueCertificate, ({ session, body }) =>
    services.certificates.issue(session.actor, body),
  );
  route(app, services, certificates.revokeCertificate, ({ session, params, body }) =>
    services.certificates.revoke(session.actor, params.id, body),
  );
  route(app, services, certificates.setCertificateDisclosure, ({ session, params, body }) =>
    services.certificates.setDisclosure(session.actor, params.id, body),
  );
  route(app, services, certificates.downloadCertificatePdf, async ({ session, params, reply }) =>
    sendFile(reply, {
      mediaType: 'application/pdf',
      ...(await services.certificates.pdf(session.actor, params.id)),
    }),
  );
  route(
    app,
    services,
    certificates.verifyCertificate,
    ({ params }) => services.certificates.verify(params.code),
    { rateLimitPerMinute: VERIFY_PER_MINUTE },
  );
}
