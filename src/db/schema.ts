import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The DB interface: one entry per table, camelCase (the CamelCasePlugin maps to the snake_case SQL of
 * migrations/). A medium test (schema.db.test.ts) compares it with the migrated database so they cannot drift.
 */

/** `date` columns travel as ISO `YYYY-MM-DD` strings on both engines (see database.ts). */
type DateColumn = string;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | null, string | null>;

export interface CertifierTable {
  id: Generated<number>;
  name: string;
  siret: string | null;
  siren: string | null;
  nda: string | null;
  address: string | null;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface OrganisationsTable {
  id: Generated<string>;
  siret: string;
  siren: string;
  nda: string | null;
  legalName: string;
  tradeName: string | null;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  region: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  qualiopiStatus: Generated<string>;
  qualiopiCategories: ColumnType<string[], string[] | undefined, string[]>;
  qualiopiExpiresOn: DateColumn | null;
  qualiopiCheckedAt: Timestamp | null;
  notes: string | null;
  archivedAt: Timestamp | null;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface OrganisationContactsTable {
  id: Generated<string>;
  organisationId: string;
  fullName: string;
  role: string | null;
  email: string | null;
  phone: string | null;
  createdAt: GeneratedTimestamp;
}

export interface OrganisationSitesTable {
  id: Generated<string>;
  organisationId: string;
  label: string;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  createdAt: GeneratedTimestamp;
}

export interface CertificationsTable {
  id: Generated<string>;
  code: string;
  register: 'RNCP' | 'RS';
  title: string;
  level: string | null;
  state: string | null;
  isActive: Generated<boolean>;
  isOwned: Generated<boolean>;
  registeredOn: DateColumn | null;
  endsOn: DateColumn | null;
  /** Migration 2026-11-23T1200-registry: last refreshed from the France Compétences registry. */
  registrySyncedAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface SkillBlocksTable {
  id: Generated<string>;
  certificationId: string;
  code: string;
  title: string;
  competences: string | null;
  assessmentRules: string | null;
  createdAt: GeneratedTimestamp;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  displayName: string;
  passwordHash: string | null;
  role: string;
  organisationId: string | null;
  locale: Generated<string>;
  isActive: Generated<boolean>;
  failedLoginCount: Generated<number>;
  lockedUntil: Timestamp | null;
  lastLoginAt: Timestamp | null;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface SessionsTable {
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: GeneratedTimestamp;
  lastSeenAt: GeneratedTimestamp;
  expiresAt: Timestamp;
  ip: string | null;
  userAgent: string | null;
}

export interface SetupTokensTable {
  tokenHash: string;
  purpose: 'first_admin' | 'password_reset' | 'invitation';
  userId: string | null;
  expiresAt: Timestamp;
  usedAt: Timestamp | null;
  createdAt: GeneratedTimestamp;
}

export interface EvidenceFilesTable {
  id: Generated<string>;
  sha256: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  description: string | null;
  organisationId: string | null;
  uploadedBy: string | null;
  uploadedAt: GeneratedTimestamp;
}

export interface EvidenceLinksTable {
  evidenceId: string;
  entityType: string;
  entityId: string;
  purpose: string | null;
  createdAt: GeneratedTimestamp;
}

export interface HabilitationsTable {
  id: Generated<string>;
  organisationId: string;
  certificationId: string;
  scope: string;
  coversAllSkillBlocks: Generated<boolean>;
  territory: string | null;
  startsOn: DateColumn;
  endsOn: DateColumn | null;
  status: Generated<string>;
  conditions: ColumnType<Record<string, unknown>, string | undefined, string>;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface HabilitationSkillBlocksTable {
  habilitationId: string;
  skillBlockId: string;
}

/** The sites of the organisation where a habilitation applies (migration 2026-11-23T1560). */
export interface HabilitationSitesTable {
  habilitationId: string;
  siteId: string;
}

export interface HabilitationDecisionsTable {
  id: Generated<string>;
  habilitationId: string;
  fromStatus: string | null;
  toStatus: string;
  reasons: string;
  decidedBy: string | null;
  decidedAt: GeneratedTimestamp;
}

export interface ConventionsTable {
  id: Generated<string>;
  organisationId: string;
  reference: string;
  version: Generated<number>;
  status: Generated<string>;
  startsOn: DateColumn;
  endsOn: DateColumn | null;
  signedOn: DateColumn | null;
  feePerCandidateCents: number | null;
  annualFeeCents: number | null;
  clauses: ColumnType<Record<string, unknown>, string | undefined, string>;
  documentId: string | null;
  /** Migration 2026-11-23T1100-network. */
  terminatedOn: DateColumn | null;
  terminationReasons: string | null;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface ConventionCertificationsTable {
  conventionId: string;
  certificationId: string;
}

export interface CandidatesTable {
  id: Generated<string>;
  organisationId: string | null;
  birthName: string;
  usageName: string | null;
  firstNames: string;
  sex: 'M' | 'F' | null;
  birthDate: DateColumn | null;
  birthPlaceCode: string | null;
  birthCountryCode: string | null;
  email: string | null;
  accessRoute: string | null;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface TrainingSessionsTable {
  id: Generated<string>;
  organisationId: string;
  certificationId: string;
  reference: string | null;
  startsOn: DateColumn;
  endsOn: DateColumn;
  hours: number | null;
  modality: string;
  site: string | null;
  trainers: ColumnType<string[], string[] | undefined, string[]>;
  funding: string | null;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface TrainingSessionSkillBlocksTable {
  trainingSessionId: string;
  skillBlockId: string;
}

export interface TrainingEnrolmentsTable {
  trainingSessionId: string;
  candidateId: string;
  enrolledOn: DateColumn | null;
}

export interface AssessmentSessionsTable {
  id: Generated<string>;
  certificationId: string;
  organiserId: string | null;
  startsAt: Timestamp;
  place: string | null;
  modality: Generated<string>;
  status: Generated<string>;
  declaredAt: GeneratedTimestamp;
  incidents: string | null;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface AssessmentSessionCandidatesTable {
  assessmentSessionId: string;
  candidateId: string;
}

export interface AssessmentSessionEvaluatorsTable {
  assessmentSessionId: string;
  userId: string;
}

export interface AssessmentResultsTable {
  id: Generated<string>;
  assessmentSessionId: string;
  candidateId: string;
  skillBlockId: string | null;
  assessmentTask: string | null;
  score: number | null;
  maxScore: number | null;
  decision: string;
  recordedBy: string | null;
  recordedAt: GeneratedTimestamp;
}

export interface JuriesTable {
  id: Generated<string>;
  certificationId: string;
  meetsOn: DateColumn;
  place: string | null;
  status: Generated<string>;
  minutesId: string | null;
  signedAt: Timestamp | null;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface JuryMembersTable {
  id: Generated<string>;
  juryId: string;
  fullName: string;
  role: string;
  userId: string | null;
  organisationId: string | null;
  hasConflictOfInterest: Generated<boolean>;
  conflictNote: string | null;
}

export interface DeliberationsTable {
  id: Generated<string>;
  juryId: string;
  candidateId: string;
  decision: string;
  note: string | null;
  decidedAt: GeneratedTimestamp;
}

export interface DeliberationSkillBlocksTable {
  deliberationId: string;
  skillBlockId: string;
}

export interface CertificatesTable {
  id: Generated<string>;
  number: string;
  deliberationId: string;
  candidateId: string;
  certificationId: string;
  issuedOn: DateColumn;
  verificationCode: string;
  accrochageStatus: Generated<string>;
  accrochageMessage: string | null;
  revokedAt: Timestamp | null;
  revocationReason: string | null;
  createdAt: GeneratedTimestamp;
  /** Migration 2026-11-23T2300: what the public check shows of the holder, with the holder's consent. */
  disclosure: Generated<string>;
  disclosureConsent: string | null;
  disclosureChangedAt: Timestamp | null;
}

export interface ControlsTable {
  id: Generated<string>;
  kind: string;
  ruleId: string | null;
  title: string;
  organisationId: string | null;
  certificationId: string | null;
  status: Generated<string>;
  plannedOn: DateColumn | null;
  performedOn: DateColumn | null;
  performedBy: string | null;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
  /** Migration T1750: the checklist an audit follows. */
  checklistTemplateId: string | null;
}

export interface FindingsTable {
  id: Generated<string>;
  controlId: string | null;
  ruleId: string | null;
  subjectKey: string | null;
  organisationId: string | null;
  certificationId: string | null;
  title: string;
  description: string | null;
  severity: string;
  status: Generated<string>;
  source: ColumnType<Record<string, unknown>, string | undefined, string>;
  openedAt: GeneratedTimestamp;
  closedAt: Timestamp | null;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
  /** Migration T1750: qualification and the request to the partner. */
  rootCause: string | null;
  actionDueOn: DateColumn | null;
  actionRequest: string | null;
  qualifiedAt: Timestamp | null;
  escalatedAt: Timestamp | null;
}

export interface CorrectiveActionsTable {
  id: Generated<string>;
  findingId: string;
  description: string;
  ownerName: string | null;
  dueOn: DateColumn;
  status: Generated<string>;
  submittedAt: Timestamp | null;
  verifiedAt: Timestamp | null;
  verifiedBy: string | null;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
  /** Migration T1750: the partner's completion note and the certifier's effectiveness check. */
  effectiveness: string | null;
  effectivenessNote: string | null;
  completionNote: string | null;
}

export interface SanctionsTable {
  id: Generated<string>;
  organisationId: string;
  habilitationId: string | null;
  level: string;
  reasons: string;
  conventionClause: string | null;
  decidedOn: DateColumn;
  decidedBy: string | null;
  replyDueOn: DateColumn | null;
  reply: string | null;
  repliedAt: Timestamp | null;
  status: Generated<string>;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
  /** Migration T1750: when a final suspension or withdrawal was applied to the habilitations. */
  appliedAt: Timestamp | null;
}

export interface SanctionFindingsTable {
  sanctionId: string;
  findingId: string;
}

export interface AuditLogTable {
  seq: number;
  at: Timestamp;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: Json;
  after: Json;
  prevHash: string;
  hash: string;
}

/** Migration 2026-11-23T1700-control-plans: the plan de contrôle of a year and its entries. */
export interface ControlPlansTable {
  id: Generated<string>;
  year: number;
  status: Generated<string>;
  proposedOn: DateColumn;
  parameters: ColumnType<Record<string, unknown>, string | undefined, string>;
  committedAt: Timestamp | null;
  committedBy: string | null;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface ControlPlanEntriesTable {
  id: Generated<string>;
  planId: string;
  organisationId: string;
  kind: string;
  depth: string;
  plannedOn: DateColumn;
  origin: string;
  removed: Generated<boolean>;
  riskScore: number | null;
  riskLevel: string | null;
  reason: string;
  note: string | null;
  controlId: string | null;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface DB {
  certifier: CertifierTable;
  organisations: OrganisationsTable;
  organisationContacts: OrganisationContactsTable;
  organisationSites: OrganisationSitesTable;
  certifications: CertificationsTable;
  skillBlocks: SkillBlocksTable;
  users: UsersTable;
  sessions: SessionsTable;
  setupTokens: SetupTokensTable;
  evidenceFiles: EvidenceFilesTable;
  evidenceLinks: EvidenceLinksTable;
  habilitations: HabilitationsTable;
  habilitationSkillBlocks: HabilitationSkillBlocksTable;
  habilitationSites: HabilitationSitesTable;
  habilitationDecisions: HabilitationDecisionsTable;
  conventions: ConventionsTable;
  conventionCertifications: ConventionCertificationsTable;
  candidates: CandidatesTable;
  trainingSessions: TrainingSessionsTable;
  trainingSessionSkillBlocks: TrainingSessionSkillBlocksTable;
  trainingEnrolments: TrainingEnrolmentsTable;
  assessmentSessions: AssessmentSessionsTable;
  assessmentSessionCandidates: AssessmentSessionCandidatesTable;
  assessmentSessionEvaluators: AssessmentSessionEvaluatorsTable;
  assessmentResults: AssessmentResultsTable;
  juries: JuriesTable;
  juryMembers: JuryMembersTable;
  deliberations: DeliberationsTable;
  deliberationSkillBlocks: DeliberationSkillBlocksTable;
  certificates: CertificatesTable;
  controls: ControlsTable;
  findings: FindingsTable;
  correctiveActions: CorrectiveActionsTable;
  sanctions: SanctionsTable;
  sanctionFindings: SanctionFindingsTable;
  auditLog: AuditLogTable;
  fcImportRuns: FcImportRunsTable;
  fcFiches: FcFichesTable;
  fcFicheCertifiers: FcFicheCertifiersTable;
  fcDeclaredPartners: FcDeclaredPartnersTable;
  fcFicheChanges: FcFicheChangesTable;
  fcDeclarations: FcDeclarationsTable;
  invitations: InvitationsTable;
  partnerRequests: PartnerRequestsTable;
  partnerRequestEvents: PartnerRequestEventsTable;
  certifierSettings: CertifierSettingsTable;
  checklistTemplates: ChecklistTemplatesTable;
  checklistCheckpoints: ChecklistCheckpointsTable;
  checkpointResults: CheckpointResultsTable;
  findingReminders: FindingRemindersTable;
  cpfOfferImports: CpfOfferImportsTable;
  cpfOfferImportRejects: CpfOfferImportRejectsTable;
  cpfOffers: CpfOffersTable;
  cpfOfferChanges: CpfOfferChangesTable;
  cpfCertifInfoCodes: CpfCertifInfoCodesTable;
  cpfCommunicationSettings: CpfCommunicationSettingsTable;
  controlPlans: ControlPlansTable;
  controlPlanEntries: ControlPlanEntriesTable;
  insertionSurveys: InsertionSurveysTable;
  insertionSurveyInvitations: InsertionSurveyInvitationsTable;
  insertionSurveyResponses: InsertionSurveyResponsesTable;
  reportSettings: ReportSettingsTable;
}

export type OrganisationRow = Selectable<OrganisationsTable>;
export type NewOrganisationRow = Insertable<OrganisationsTable>;
export type OrganisationUpdate = Updateable<OrganisationsTable>;
export type UserRow = Selectable<UsersTable>;
export type AuditLogRow = Selectable<AuditLogTable>;

// Migration 2026-11-23T1200-registry: the France Compétences registry (src/services/registry.service.ts).

export interface FcImportRunsTable {
  id: Generated<string>;
  fileName: string;
  format: 'xml' | 'csv';
  entryName: string | null;
  sha256: string;
  sizeBytes: number;
  flowVersion: string | null;
  certifierSiret: string | null;
  status: 'running' | 'changed' | 'unchanged';
  startedAt: Timestamp;
  finishedAt: Timestamp | null;
  summary: ColumnType<Record<string, unknown>, string | undefined, string>;
  rejected: ColumnType<unknown[], string | undefined, string>;
  rejectedCount: Generated<number>;
  unknownElements: ColumnType<Record<string, number>, string | undefined, string>;
  actorId: string | null;
  actorLabel: string;
}

export interface FcFichesTable {
  code: string;
  register: 'RNCP' | 'RS';
  title: string;
  level: number | null;
  state: string | null;
  isActive: boolean;
  registeredOn: DateColumn | null;
  endsOn: DateColumn | null;
  skillBlockCount: Generated<number>;
  partnerCount: Generated<number>;
  activePartnerCount: Generated<number>;
  hash: string;
  /**
   * The normalised record without its partners, as JSON: zlib-compressed, or (rows stored before
   * 2026-11-23T1400) its UTF-8 text. Read it with decodeSnapshot (registry.repository.ts).
   */
  snapshot: Buffer;
  sourceLine: number;
  firstRunId: string;
  changedRunId: string;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface FcFicheCertifiersTable {
  ficheCode: string;
  position: number;
  siret: string | null;
  name: string;
  state: string | null;
}

export interface FcDeclaredPartnersTable {
  ficheCode: string;
  position: number;
  siret: string | null;
  name: string;
  habilitationType: 'HABILITATION_FORMER' | 'HABILITATION_ORGANISER' | 'HABILITATION_ORGA_FORM';
  state: string | null;
  isActive: boolean;
  activeSince: DateColumn | null;
  stateChangedOn: DateColumn | null;
  sourceLine: number;
  sourceRunId: string;
}

export interface FcFicheChangesTable {
  id: Generated<number>;
  runId: string;
  ficheCode: string;
  kind:
    | 'new'
    | 'changed'
    | 'became_inactive'
    | 'became_active'
    | 'partner_added'
    | 'partner_removed'
    | 'partner_changed';
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  createdAt: GeneratedTimestamp;
}

// Migration 2026-11-23T1300-declarations: changes declared to France Compétences
// (src/services/declaration.service.ts).

export interface FcDeclarationsTable {
  /** `decision:<uuid>` or `scope:<audit seq>`. */
  changeId: string;
  habilitationId: string;
  declaredOn: DateColumn;
  reference: string | null;
  evidenceId: string | null;
  declaredBy: string | null;
  recordedAt: GeneratedTimestamp;
}

/** The certifier's chain settings: one row (id = 1). See migration 2026-11-23T1600-certifier-settings. */
export interface CertifierSettingsTable {
  id: Generated<number>;
  cdcClientId: string | null;
  cdcContractId: string | null;
  cdcDepositorClientId: string | null;
  assessmentAfterTraining: Generated<boolean>;
  updatedBy: string | null;
  updatedAt: GeneratedTimestamp;
}

// Migration 2026-11-23T1750-audits-findings: audit checklists, checkpoint results, finding reminders
// (src/services/audit-checklist.service.ts, src/services/finding.service.ts).

export interface ChecklistTemplatesTable {
  id: Generated<string>;
  code: string;
  kind: string;
  title: string;
  description: string | null;
  isActive: Generated<boolean>;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface ChecklistCheckpointsTable {
  id: Generated<string>;
  templateId: string;
  position: number;
  code: string;
  question: string;
  guidance: string | null;
  requirementFramework: string;
  requirementRef: string;
}

export interface CheckpointResultsTable {
  controlId: string;
  checkpointId: string;
  result: string;
  comment: string | null;
  findingId: string | null;
  recordedBy: string | null;
  recordedAt: GeneratedTimestamp;
}

export interface FindingRemindersTable {
  id: Generated<string>;
  findingId: string;
  kind: string;
  dueOn: DateColumn;
  daysLate: number;
  channel: string;
  recipients: Generated<string>;
  sentOn: DateColumn;
  createdAt: GeneratedTimestamp;
}

// Migration 2026-11-23T1500-partner-portal: invitations by e-mail link and requests to partners
// (src/services/invitation.service.ts, src/services/partner-request.service.ts).

export interface InvitationsTable {
  id: Generated<string>;
  tokenHash: string;
  userId: string;
  email: string;
  role: string;
  organisationId: string | null;
  invitedBy: string | null;
  invitedByLabel: string;
  expiresAt: Timestamp;
  mailedAt: Timestamp | null;
  mailError: string | null;
  acceptedAt: Timestamp | null;
  revokedAt: Timestamp | null;
  revokedBy: string | null;
  replacedAt: Timestamp | null;
  replacedBy: string | null;
  createdAt: GeneratedTimestamp;
}

export interface PartnerRequestsTable {
  id: Generated<string>;
  organisationId: string;
  kind: 'documents' | 'information';
  title: string;
  body: string;
  dueOn: DateColumn;
  habilitationId: string | null;
  conventionId: string | null;
  findingId: string | null;
  status: 'open' | 'answered' | 'accepted' | 'reopened';
  createdBy: string | null;
  createdAt: GeneratedTimestamp;
  answeredAt: Timestamp | null;
  acceptedAt: Timestamp | null;
  updatedAt: GeneratedTimestamp;
}

export interface PartnerRequestEventsTable {
  id: Generated<string>;
  requestId: string;
  kind: 'created' | 'answered' | 'accepted' | 'reopened';
  message: string | null;
  dueOn: DateColumn | null;
  evidenceIds: ColumnType<string[], string[] | undefined, string[]>;
  authorId: string | null;
  authorLabel: string;
  at: GeneratedTimestamp;
}

// Migration 2026-11-23T1800-cpf-offers: the CDC catalogue of CPF offers and the communication control
// (src/services/cpf-offer.service.ts).

export interface CpfOfferImportsTable {
  id: Generated<string>;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  format: string;
  encoding: string;
  extractedOn: DateColumn;
  startedAt: Timestamp;
  finishedAt: Timestamp;
  rowsRead: number;
  offers: number;
  matched: number;
  rejectedCount: number;
  warningCount: number;
  newCount: number;
  changedCount: number;
  goneCount: number;
  unchangedCount: number;
  findings: ColumnType<Record<string, number>, string | undefined, string>;
  findingChanges: ColumnType<Record<string, number>, string | undefined, string>;
  unknownColumns: ColumnType<string[], string | undefined, string>;
  warnings: ColumnType<unknown[], string | undefined, string>;
  actorId: string | null;
  actorLabel: string;
}

export interface CpfOfferImportRejectsTable {
  importId: string;
  position: number;
  line: number;
  columnName: string | null;
  code: string;
  message: string;
  offerKey: string | null;
}

export interface CpfOffersTable {
  offerId: string;
  certificationId: string;
  certificationCode: string | null;
  certifInfoCode: string | null;
  siret: string;
  siren: string;
  organisationName: string | null;
  organisationId: string | null;
  matchedBy: string | null;
  verdict: string;
  title: string;
  priceMin: number | null;
  priceMax: number | null;
  hoursMin: number | null;
  hoursMax: number | null;
  departmentCode: string | null;
  regionName: string | null;
  modality: string | null;
  extractedOn: DateColumn;
  hash: string;
  record: string;
  sourceLine: number;
  firstImportId: string;
  changedImportId: string;
  goneImportId: string | null;
  createdAt: GeneratedTimestamp;
  updatedAt: GeneratedTimestamp;
}

export interface CpfOfferChangesTable {
  importId: string;
  offerId: string;
  kind: 'new' | 'changed' | 'gone' | 'back';
  fields: ColumnType<
    Record<string, { before: unknown; after: unknown }> | null,
    string | null,
    string | null
  >;
}

export interface CpfCertifInfoCodesTable {
  code: string;
  certificationId: string;
  learntImportId: string | null;
  createdAt: GeneratedTimestamp;
}

export interface CpfCommunicationSettingsTable {
  id: Generated<number>;
  forbiddenClaims: ColumnType<unknown[], string, string>;
  updatedBy: string | null;
  updatedAt: GeneratedTimestamp;
}

// Migration 2026-11-23T1900-insertion-surveys: insertion surveys of holders (src/services/insertion-survey.service.ts).

export interface InsertionSurveysTable {
  id: Generated<string>;
  certificationId: string;
  horizon: '6_months' | '2_years';
  cohortYear: number;
  closesOn: DateColumn;
  createdBy: string | null;
  createdAt: GeneratedTimestamp;
  /** Migration T2500: the targeted occupation is international, so work abroad in it counts. */
  internationalOccupation: Generated<boolean>;
}

export interface InsertionSurveyInvitationsTable {
  id: Generated<string>;
  surveyId: string;
  certificateId: string;
  email: string;
  tokenHash: string;
  mailedAt: Timestamp | null;
  mailError: string | null;
  createdAt: GeneratedTimestamp;
}

export interface InsertionSurveyResponsesTable {
  invitationId: string;
  situation: string;
  answeredAt: GeneratedTimestamp;
}

export interface ReportSettingsTable {
  id: Generated<number>;
  logoSha256: string | null;
  logoMediaType: string | null;
  updatedAt: GeneratedTimestamp;
}
