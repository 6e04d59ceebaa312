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
  /** JSON text of the normalised record without its partners. */
  snapshot: string;
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
