import type { FastifyInstance } from 'fastify';
import { reports } from '../../../core/contracts/index.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';
import { sendFile } from '../chain-uploads/send-file.js';

const SURVEY_PER_MINUTE = 30;

export function reportRoutes(app: FastifyInstance, services: Services) {
  route(app, services, reports.downloadDossier, async ({ session, query, reply }) => {
    const { format, ...dossierQuery } = query;
    if (format === 'pdf')
      return sendFile(reply, {
        mediaType: 'application/pdf',
        ...(await services.dossiers.pdf(session.actor, dossierQuery)),
      });
    const file = await services.dossiers.zipFile(session.actor, dossierQuery);
    reply.header('content-length', file.sizeBytes);
    return sendFile(reply, { mediaType: 'application/zip', fileName: file.fileName, content: file.content });
  });
  route(app, services, reports.getStatistics, ({ session, query }) =>
    services.statistics.report(session.actor, query),
  );
  route(app, services, reports.downloadStatistics, async ({ session, query, reply }) =>
    sendFile(reply, await services.statistics.exportXlsx(session.actor, query)),
  );
  route(app, services, reports.downloadPartnerScorecard, async ({ session, params, reply }) =>
    sendFile(reply, await services.reports.scorecard(session.actor, params.id)),
  );
  route(app, services, reports.downloadAuditReport, async ({ session, params, reply }) =>
    sendFile(reply, await services.reports.auditReport(session.actor, params.id)),
  );
  route(app, services, reports.downloadNetworkOverview, async ({ session, query, reply }) =>
    sendFile(reply, await services.reports.networkOverview(session.actor, query.format)),
  );
  route(app, services, reports.exportFindings, async ({ session, query: { format, ...query }, reply }) =>
    sendFile(reply, await services.listExports.findings(session.actor, query, format)),
  );
  route(app, services, reports.exportSanctions, async ({ session, query: { format, ...query }, reply }) =>
    sendFile(reply, await services.listExports.sanctions(session.actor, query, format)),
  );
  route(app, services, reports.exportControls, async ({ session, query: { format, ...query }, reply }) =>
    sendFile(reply, await services.listExports.controls(session.actor, query, format)),
  );
  route(app, services, reports.exportHabilitations, async ({ session, query: { format, ...query }, reply }) =>
    sendFile(reply, await services.listExports.habilitations(session.actor, query, format)),
  );
  route(app, services, reports.exportConventions, async ({ session, query: { format, ...query }, reply }) =>
    sendFile(reply, await services.listExports.conventions(session.actor, query, format)),
  );
  route(
    app,
    services,
    reports.exportTrainingSessions,
    async ({ session, query: { format, ...query }, reply }) =>
      sendFile(reply, await services.listExports.trainingSessions(session.actor, query, format)),
  );
  route(
    app,
    services,
    reports.exportAssessmentSessions,
    async ({ session, query: { format, ...query }, reply }) =>
      sendFile(reply, await services.listExports.assessmentSessions(session.actor, query, format)),
  );
  route(app, services, reports.exportJuries, async ({ session, query: { format, ...query }, reply }) =>
    sendFile(reply, await services.listExports.juries(session.actor, query, format)),
  );
  route(app, services, reports.exportCertificates, async ({ session, query: { format, ...query }, reply }) =>
    sendFile(reply, await services.listExports.certificates(session.actor, query, format)),
  );
  route(
    app,
    services,
    reports.exportPartnerRequests,
    async ({ session, query: { format, ...query }, reply }) =>
      sendFile(reply, await services.listExports.partnerRequests(session.actor, query, format)),
  );
  route(
    app,
    services,
    reports.exportRegistryFiches,
    async ({ session, query: { format, ...query }, reply }) =>
      sendFile(reply, await services.listExports.registryFiches(session.actor, query, format)),
  );
  route(app, services, reports.exportCpfSellers, async ({ session, query: { format, ...query }, reply }) =>
    sendFile(reply, await services.listExports.cpfSellers(session.actor, query, format)),
  );
  route(app, services, reports.exportAuditLog, async ({ session, query: { format, ...query }, reply }) =>
    sendFile(reply, await services.listExports.auditLog(session.actor, query, format)),
  );
  route(app, services, reports.listInsertionSurveys, ({ session, query }) =>
    services.insertionSurveys.list(session.actor, query),
  );
  route(app, services, reports.createInsertionSurvey, ({ session, body }) =>
    services.insertionSurveys.create(session.actor, body),
  );
  // Public links: unguessable tokens, and a tight limit anyway.
  route(
    app,
    services,
    reports.getSurveyQuestion,
    ({ params }) => services.insertionSurveys.question(params),
    {
      rateLimitPerMinute: SURVEY_PER_MINUTE,
    },
  );
  route(
    app,
    services,
    reports.answerSurvey,
    ({ params, body }) => services.insertionSurveys.answer(params, body),
    {
      rateLimitPerMinute: SURVEY_PER_MINUTE,
    },
  );
}
