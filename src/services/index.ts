import type { Config } from '../config/env.js';
import type { DatabaseHandle } from '../db/database.js';
import { currentMigration, latestMigration } from '../db/migrate.js';
import { AccrochageService } from './accrochage.service.js';
import { AlertService } from './alert.service.js';
import { AssessmentService } from './assessment.service.js';
import { AuditService } from './audit.service.js';
import { AuditChecklistService } from './audit-checklist.service.js';
import { AuthService } from './auth/auth.service.js';
import { CandidateService } from './candidate.service.js';
import { CandidateDuplicatesService } from './candidate-duplicates.service.js';
import { CertificateService } from './certificate.service.js';
import { CertificationService } from './certification.service.js';
import { CertifierSettingsService } from './certifier-settings.service.js';
import { ChainUploadService } from './chain-upload.service.js';
import { ControlService } from './control.service.js';
import { ControlPlanService } from './control-plan.service.js';
import { ControlRunService } from './control-run.service.js';
import { ConventionService } from './convention.service.js';
import { ConventionDocumentService } from './convention-document.service.js';
import { CpfOfferService } from './cpf-offer.service.js';
import { DeclarationService } from './declaration.service.js';
import { DemoService } from './demo/demo.service.js';
import { DossierService } from './dossier/dossier.service.js';
import { EvidenceService } from './evidence/evidence.service.js';
import { FindingService } from './finding.service.js';
import { HabilitationService } from './habilitation.service.js';
import { InsertionSurveyService } from './insertion-survey.service.js';
import { InvitationService } from './invitation.service.js';
import { JuryService } from './jury.service.js';
import { ListExportService } from './list-exports.service.js';
import { createMailer } from './mail/mailer.js';
import { NetworkService } from './network.service.js';
import { OnboardingService } from './onboarding.service.js';
import { OrganisationService } from './organisation.service.js';
import { OrganisationDirectoryService } from './organisation-directory.service.js';
import { PartnerRequestService } from './partner-request.service.js';
import { QualiopiService } from './qualiopi.service.js';
import { QualityService } from './quality.service.js';
import { RegistryService } from './registry.service.js';
import { ReportService } from './report.service.js';
import { RiskService } from './risk.service.js';
import { SanctionService } from './sanction.service.js';
import type { ServiceContext } from './service-context.js';
import { StatisticsService } from './statistics.service.js';
import { TrainingSessionService } from './training-session.service.js';
import { UserService } from './user.service.js';

export type { SessionContext } from './auth/auth.service.js';
export type { ServiceContext } from './service-context.js';

/** Every use case of Habilis, wired to one database. The server and the CLI both start from here. */
export function createServices(
  handle: DatabaseHandle,
  config: ServiceContext['config'],
  now: () => Date = () => new Date(),
) {
  const mailer = createMailer(config);
  const ctx: ServiceContext = { db: handle.db, dataVersion: handle.dataVersion, now, config, mailer };
  return {
    ctx,
    engine: handle.engine,
    dataVersion: handle.dataVersion,
    audit: new AuditService(handle.db),
    auth: new AuthService(ctx),
    organisations: new OrganisationService(ctx),
    network: new NetworkService(ctx),
    organisationDirectory: new OrganisationDirectoryService(ctx),
    users: new UserService(ctx),
    certifications: new CertificationService(ctx),
    habilitations: new HabilitationService(ctx),
    conventions: new ConventionService(ctx),
    evidence: new EvidenceService(ctx),
    demo: new DemoService(ctx),
    candidates: new CandidateService(ctx),
    trainingSessions: new TrainingSessionService(ctx),
    assessments: new AssessmentService(ctx),
    juries: new JuryService(ctx),
    certificates: new CertificateService(ctx),
    accrochage: new AccrochageService(ctx),
    certifierSettings: new CertifierSettingsService(ctx),
    chainUploads: new ChainUploadService(ctx),
    candidateDuplicates: new CandidateDuplicatesService(ctx),
    controls: new ControlService(ctx),
    controlRuns: new ControlRunService(ctx),
    controlPlans: new ControlPlanService(ctx),
    findings: new FindingService(ctx),
    auditChecklists: new AuditChecklistService(ctx),
    quality: new QualityService(ctx),
    sanctions: new SanctionService(ctx),
    registry: new RegistryService(ctx),
    declarations: new DeclarationService(ctx),
    alerts: new AlertService(ctx),
    conventionDocuments: new ConventionDocumentService(ctx),
    onboarding: new OnboardingService(ctx),
    qualiopi: new QualiopiService(ctx),
    dossiers: new DossierService(ctx),
    statistics: new StatisticsService(ctx),
    reports: new ReportService(ctx),
    insertionSurveys: new InsertionSurveyService(ctx),
    listExports: new ListExportService(ctx, {
      findings: new FindingService(ctx),
      sanctions: new SanctionService(ctx),
      controls: new ControlService(ctx),
      habilitations: new HabilitationService(ctx),
      conventions: new ConventionService(ctx),
      trainingSessions: new TrainingSessionService(ctx),
      assessments: new AssessmentService(ctx),
      juries: new JuryService(ctx),
      certificates: new CertificateService(ctx),
      partnerRequests: new PartnerRequestService(ctx),
      registry: new RegistryService(ctx),
      cpfOffers: new CpfOfferService(ctx),
      audit: new AuditService(ctx.db),
      certifications: new CertificationService(ctx),
      users: new UserService(ctx),
      accrochage: new AccrochageService(ctx),
      controlPlans: new ControlPlanService(ctx),
      invitations: new InvitationService(ctx),
      organisationDirectory: new OrganisationDirectoryService(ctx),
      evidence: new EvidenceService(ctx),
      candidateDuplicates: new CandidateDuplicatesService(ctx),
      network: new NetworkService(ctx),
    }),
    cpfOffers: new CpfOfferService(ctx),
    invitations: new InvitationService(ctx),
    partnerRequests: new PartnerRequestService(ctx),
    /** Outgoing mail; the server points its log at Fastify's logger (`mailer.setLog`). */
    mailer,
    risk: new RiskService(ctx),
    system: {
      async health(version: string) {
        return {
          status: 'ok' as const,
          version,
          database: {
            engine: handle.engine,
            migration: await currentMigration(handle.db),
            latestMigration: latestMigration(),
          },
          needsSetup: await new AuthService(ctx).needsSetup(),
        };
      },
    },
  };
}

export type Services = ReturnType<typeof createServices>;
export type ServicesConfig = Pick<Config, 'publicUrl' | 'filesDir' | 'dataDir'>;
