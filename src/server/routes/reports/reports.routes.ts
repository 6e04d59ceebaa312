import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { reports } from '../../../core/contracts/index.js';
import { AppError } from '../../../core/errors.js';
import type { Services } from '../../../services/index.js';
import { route } from '../../route.js';
import { sendFile } from '../chain-uploads/send-file.js';

const SURVEY_PER_MINUTE = 30;
/** Above the service's 2 MiB, so the service sees the file is too large and says so with its own message. */
const LOGO_PART_LIMIT = 2 * 1024 * 1024 + 1;

/** The logo: the one part of the multipart body, named `file`. */
async function logoPart(request: FastifyRequest) {
  if (!request.isMultipart())
    throw new AppError(
      'unsupported_media_type',
      'Send the logo as multipart/form-data, in a part named file',
    );
  const part = await request.file({ limits: { fileSize: LOGO_PART_LIMIT, files: 1, fields: 5, parts: 6 } });
  if (part?.fieldname !== 'file') {
    part?.file.resume();
    throw new AppError('validation_failed', 'The upload has no part named file', {
      fields: [{ field: 'file', message: 'send the logo in a part named file' }],
    });
  }
  return part.file;
}

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
  route(
    app,
    services,
    reports.exportFindings,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.findings(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportSanctions,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.sanctions(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportControls,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.controls(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportHabilitations,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.habilitations(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportConventions,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.conventions(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportTrainingSessions,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.trainingSessions(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportAssessmentSessions,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.assessmentSessions(session.actor, query, { format, lang })),
  );
  route(app, services, reports.exportJuries, async ({ session, query: { format, lang, ...query }, reply }) =>
    sendFile(reply, await services.listExports.juries(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportCertificates,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.certificates(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportPartnerRequests,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.partnerRequests(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportRegistryFiches,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.registryFiches(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportCpfSellers,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.cpfSellers(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportRegistryImportRuns,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.registryImportRuns(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportRegistryFindings,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.registryFindings(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportCpfOffers,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.cpfOffers(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportCpfImports,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.cpfImports(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportCertifications,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.certifications(session.actor, query, { format, lang })),
  );
  route(app, services, reports.exportUsers, async ({ session, query: { format, lang, ...query }, reply }) =>
    sendFile(reply, await services.listExports.users(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportAccrochageDeadlines,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.accrochageDeadlines(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportAuditLog,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.auditLog(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportControlPlan,
    async ({ session, params, query: { format, lang, ...query }, reply }) =>
      sendFile(
        reply,
        await services.listExports.controlPlan(session.actor, params.id, query, { format, lang }),
      ),
  );
  route(
    app,
    services,
    reports.exportRegistryImportRunChanges,
    async ({ session, params, query: { format, lang, ...query }, reply }) =>
      sendFile(
        reply,
        await services.listExports.registryImportRunChanges(session.actor, params.id, query, {
          format,
          lang,
        }),
      ),
  );
  route(
    app,
    services,
    reports.exportRegistryFicheHistory,
    async ({ session, params, query: { format, lang }, reply }) =>
      sendFile(
        reply,
        await services.listExports.registryFicheHistory(session.actor, params.code, { format, lang }),
      ),
  );
  route(
    app,
    services,
    reports.exportInvitations,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.invitations(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportOrganisationDirectory,
    async ({ session, params, query: { format, lang }, reply }) =>
      sendFile(
        reply,
        await services.listExports.organisationDirectory(session.actor, params.id, { format, lang }),
      ),
  );
  route(
    app,
    services,
    reports.exportEvidence,
    async ({ session, query: { format, lang, ...query }, reply }) =>
      sendFile(reply, await services.listExports.evidence(session.actor, query, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportTrainingSessionEnrolments,
    async ({ session, params, query: { format, lang }, reply }) =>
      sendFile(
        reply,
        await services.listExports.trainingSessionEnrolments(session.actor, params.id, { format, lang }),
      ),
  );
  route(
    app,
    services,
    reports.exportCpfImportIssues,
    async ({ session, params, query: { format, lang }, reply }) =>
      sendFile(reply, await services.listExports.cpfImportIssues(session.actor, params.id, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportAssessmentResults,
    async ({ session, params, query: { format, lang }, reply }) =>
      sendFile(
        reply,
        await services.listExports.assessmentResults(session.actor, params.id, { format, lang }),
      ),
  );
  route(
    app,
    services,
    reports.exportJuryMembers,
    async ({ session, params, query: { format, lang }, reply }) =>
      sendFile(reply, await services.listExports.juryMembers(session.actor, params.id, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportJuryCandidates,
    async ({ session, params, query: { format, lang }, reply }) =>
      sendFile(reply, await services.listExports.juryCandidates(session.actor, params.id, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportCandidateDuplicates,
    async ({ session, query: { format, lang }, reply }) =>
      sendFile(reply, await services.listExports.candidateDuplicates(session.actor, { format, lang })),
  );
  route(
    app,
    services,
    reports.exportPartnerTimeline,
    async ({ session, params, query: { format, lang }, reply }) =>
      sendFile(reply, await services.listExports.partnerTimeline(session.actor, params.id, { format, lang })),
  );
  route(app, services, reports.getReportLogo, ({ session }) => services.reports.logo(session.actor));
  route(app, services, reports.downloadReportLogo, async ({ session, reply }) => {
    const logo = await services.reports.openLogo(session.actor);
    reply
      .header('content-type', logo.mediaType)
      .header('content-length', logo.sizeBytes)
      .header('cache-control', 'private, no-store');
    return logo.stream;
  });
  route(app, services, reports.deleteReportLogo, ({ session }) => services.reports.removeLogo(session.actor));
  // Multipart parsing only for the logo upload: registered in its own scope.
  void app.register(async (scope) => {
    await scope.register(multipart, { throwFileSizeLimit: true });
    route(scope, services, reports.uploadReportLogo, async ({ session, request, reply }) => {
      const file = await logoPart(request);
      try {
        return await services.reports.uploadLogo(session.actor, file);
      } catch (error) {
        // A refused upload may leave bytes unread: the client must not reuse the connection.
        if (!file.readableEnded) reply.header('connection', 'close');
        throw error;
      }
    });
  });
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
