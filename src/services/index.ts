import type { Config } from '../config/env.js';
import type { DatabaseHandle } from '../db/database.js';
import { currentMigration, latestMigration } from '../db/migrate.js';
import { AccrochageService } from './accrochage.service.js';
import { AlertService } from './alert.service.js';
import { AssessmentService } from './assessment.service.js';
import { AuditService } from './audit.service.js';
import { AuthService } from './auth/auth.service.js';
import { CandidateService } from './candidate.service.js';
import { CandidateDuplicatesService } from './candidate-duplicates.service.js';
import { CertificateService } from './certificate.service.js';
import { CertificationService } from './certification.service.js';
import { ChainUploadService } from './chain-upload.service.js';
import { ControlService } from './control.service.js';
import { ControlRunService } from './control-run.service.js';
import { ConventionService } from './convention.service.js';
import { ConventionDocumentService } from './convention-document.service.js';
import { DeclarationService } from './declaration.service.js';
import { DemoService } from './demo/demo.service.js';
import { EvidenceService } from './evidence/evidence.service.js';
import { FindingService } from './finding.service.js';
import { HabilitationService } from './habilitation.service.js';
import { JuryService } from './jury.service.js';
import { OnboardingService } from './onboarding.service.js';
import { OrganisationService } from './organisation.service.js';
import { QualiopiService } from './qualiopi.service.js';
import { RegistryService } from './registry.service.js';
import { SanctionService } from './sanction.service.js';
import type { ServiceContext } from './service-context.js';
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
  const ctx: ServiceContext = { db: handle.db, now, config };
  return {
    ctx,
    engine: handle.engine,
    audit: new AuditService(handle.db),
    auth: new AuthService(ctx),
    organisations: new OrganisationService(ctx),
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
    chainUploads: new ChainUploadService(ctx),
    candidateDuplicates: new CandidateDuplicatesService(ctx),
    controls: new ControlService(ctx),
    controlRuns: new ControlRunService(ctx),
    findings: new FindingService(ctx),
    sanctions: new SanctionService(ctx),
    registry: new RegistryService(ctx),
    declarations: new DeclarationService(ctx),
    alerts: new AlertService(ctx),
    conventionDocuments: new ConventionDocumentService(ctx),
    onboarding: new OnboardingService(ctx),
    qualiopi: new QualiopiService(ctx),
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
