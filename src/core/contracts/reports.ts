import { z } from 'zod';
import { certificateListQuery } from '../certificates/certificate.schema.js';
import { certificationListQuery } from '../certifications/certification.schema.js';
import { assessmentSessionListQuery } from '../chain/assessment.schema.js';
import { trainingSessionListQuery } from '../chain/training-session.schema.js';
import { pageQuery, uuid } from '../common.schema.js';
import { controlListQuery } from '../controls/control.schema.js';
import { conventionListQuery } from '../conventions/convention.schema.js';
import { dossierDownloadQuery } from '../dossier/dossier.schema.js';
import { evidenceListQuery } from '../evidence/evidence.schema.js';
import { findingListQuery } from '../findings/finding.schema.js';
import { habilitationListQuery } from '../habilitations/habilitation.schema.js';
import { invitationListQuery } from '../invitations/invitation.schema.js';
import { juryListQuery } from '../juries/jury.schema.js';
import { labelLanguages } from '../labels/code-labels.js';
import { requestListQuery } from '../partner-requests/partner-request.schema.js';
import {
  registryFicheListQuery,
  registryFindingQuery,
  runChangesQuery,
} from '../registry/registry.schema.js';
import { sanctionListQuery } from '../sanctions/sanction.schema.js';
import {
  surveyAnswerInput,
  surveyCreateInput,
  surveyQuestion,
  surveyTokenParam,
  surveyView,
} from '../statistics/insertion.js';
import { statisticsQuery, statisticsReport } from '../statistics/statistics.schema.js';
import { userListQuery } from '../users/user.schema.js';
import { accrochageDeadlineStates } from './accrochage.js';
import { auditListQuery } from './audit.js';
import { type Contract, defineContract } from './contract.js';
import { controlPlanQuery } from './control-plans.js';
import { cpfOfferQuery, cpfSellerQuery } from './cpf-offers.js';

/**
 * The evidence dossier as a download: `format=zip` (default; the ZIP holds the PDF, the evidence, the
 * manifest and the audit-log extract) or `format=pdf` (the report alone).
 */
export const downloadDossier = defineContract({
  method: 'GET',
  path: '/api/reports/dossier',
  summary: 'The evidence dossier of a certification (or of one partner for it), as a ZIP or the PDF report',
  tags: ['reports'],
  access: 'session',
  action: 'report.read',
  query: dossierDownloadQuery,
  response: z.unknown().describe('the ZIP or the PDF'),
});

export const getStatistics = defineContract({
  method: 'GET',
  path: '/api/reports/statistics',
  summary: 'Statistics per certification and year, access route, partner and skill block',
  tags: ['reports'],
  access: 'session',
  action: 'report.read',
  query: statisticsQuery,
  response: statisticsReport.extend({ scope: z.string() }),
});

/** The statistics workbook (XLSX) in the layout a renewal file needs. */
export const downloadStatistics = defineContract({
  method: 'GET',
  path: '/api/reports/statistics/xlsx',
  summary: 'The statistics as an XLSX workbook (one sheet per view)',
  tags: ['reports'],
  access: 'session',
  action: 'report.read',
  query: statisticsQuery,
  response: z.unknown().describe('the XLSX workbook'),
});

export const downloadPartnerScorecard = defineContract({
  method: 'GET',
  path: '/api/reports/partners/:id/scorecard',
  summary:
    'The scorecard of one partner (PDF): habilitations, conventions, results, controls, findings, sanctions',
  tags: ['reports'],
  access: 'session',
  action: 'report.read',
  params: z.object({ id: uuid }),
  response: z.unknown().describe('the PDF'),
});

export const downloadAuditReport = defineContract({
  method: 'GET',
  path: '/api/reports/controls/:id/report',
  summary: 'The report of one control (PDF): its checklist results, findings and evidence',
  tags: ['reports'],
  access: 'session',
  action: 'report.read',
  params: z.object({ id: uuid }),
  response: z.unknown().describe('the PDF'),
});

export const downloadNetworkOverview = defineContract({
  method: 'GET',
  path: '/api/reports/network',
  summary: 'The network overview, partners needing attention first (PDF or XLSX)',
  tags: ['reports'],
  access: 'session',
  action: 'report.read',
  query: z.object({ format: z.enum(['pdf', 'xlsx']).default('pdf') }),
  response: z.unknown().describe('the PDF or the XLSX workbook'),
});

/**
 * Every list export takes its list's query plus the file format and the language of titles and labels
 * (`lang`; without it, the user's account language).
 */
const exportFormat = {
  format: z.enum(['csv', 'xlsx']).default('xlsx'),
  lang: z.enum(labelLanguages).optional(),
};

/**
 * A list export: a signed-in GET under /api/reports/exports answered with the file itself. Each export
 * names its path, summary, the permission of the list it copies, and the list's filters plus exportFormat.
 */
const defineExport = <const T extends Omit<Contract, 'method' | 'tags' | 'access' | 'response'>>(c: T) =>
  defineContract({
    method: 'GET',
    tags: ['reports'],
    access: 'session',
    response: z.unknown().describe('the CSV or XLSX file'),
    ...c,
  });

/** The findings list with the screen's filters, as CSV or XLSX (a partner gets its own findings only). */
export const exportFindings = defineExport({
  path: '/api/reports/exports/findings',
  summary: 'Export the findings list (same filters as the list) to CSV or XLSX',
  action: 'finding.read',
  query: findingListQuery.extend(exportFormat),
});

export const exportSanctions = defineExport({
  path: '/api/reports/exports/sanctions',
  summary: 'Export the sanctions list (same filters as the list) to CSV or XLSX',
  action: 'sanction.read',
  query: sanctionListQuery.extend(exportFormat),
});

export const exportControls = defineExport({
  path: '/api/reports/exports/controls',
  summary: 'Export the controls list (same filters as the list) to CSV or XLSX',
  action: 'control.read',
  query: controlListQuery.extend(exportFormat),
});

export const exportHabilitations = defineExport({
  path: '/api/reports/exports/habilitations',
  summary: 'Export the habilitations list (same filters as the list) to CSV or XLSX',
  action: 'habilitation.read',
  query: habilitationListQuery.extend(exportFormat),
});

export const exportConventions = defineExport({
  path: '/api/reports/exports/conventions',
  summary: 'Export the conventions list (same filters as the list) to CSV or XLSX',
  action: 'convention.read',
  query: conventionListQuery.extend(exportFormat),
});

export const exportTrainingSessions = defineExport({
  path: '/api/reports/exports/training-sessions',
  summary: 'Export the training sessions list (same filters as the list) to CSV or XLSX',
  action: 'chain.read',
  query: trainingSessionListQuery.extend(exportFormat),
});

export const exportAssessmentSessions = defineExport({
  path: '/api/reports/exports/assessment-sessions',
  summary: 'Export the assessment sessions list (same filters as the list) to CSV or XLSX',
  action: 'chain.read',
  query: assessmentSessionListQuery.extend(exportFormat),
});

export const exportJuries = defineExport({
  path: '/api/reports/exports/juries',
  summary: 'Export the juries list (same filters as the list) to CSV or XLSX',
  action: 'jury.read',
  query: juryListQuery.extend(exportFormat),
});

export const exportCertificates = defineExport({
  path: '/api/reports/exports/certificates',
  summary: 'Export the certificates list (same filters as the list) to CSV or XLSX',
  action: 'chain.read',
  query: certificateListQuery.extend(exportFormat),
});

export const exportPartnerRequests = defineExport({
  path: '/api/reports/exports/partner-requests',
  summary: 'Export the partner requests list (same filters as the list) to CSV or XLSX',
  action: 'request.read',
  query: requestListQuery.extend(exportFormat),
});

export const exportRegistryFiches = defineExport({
  path: '/api/reports/exports/registry-fiches',
  summary: 'Export the registry fiches list (same filters as the list) to CSV or XLSX',
  action: 'certifier.read',
  query: registryFicheListQuery.extend(exportFormat),
});

export const exportCpfSellers = defineExport({
  path: '/api/reports/exports/cpf-sellers',
  summary: 'Export the CPF sellers list (same filters as the list) to CSV or XLSX',
  action: 'control.read',
  query: cpfSellerQuery.extend(exportFormat),
});

export const exportRegistryImportRuns = defineExport({
  path: '/api/reports/exports/registry-import-runs',
  summary: 'Export the list of France Compétences registry imports to CSV or XLSX',
  action: 'certifier.read',
  query: pageQuery.extend(exportFormat),
});

export const exportRegistryFindings = defineExport({
  path: '/api/reports/exports/registry-findings',
  summary: 'Export the registry reconciliation findings (same filters as the list) to CSV or XLSX',
  action: 'certifier.read',
  query: registryFindingQuery.extend(exportFormat),
});

export const exportCpfOffers = defineExport({
  path: '/api/reports/exports/cpf-offers',
  summary: 'Export the CPF offers list (same filters as the list) to CSV or XLSX',
  action: 'control.read',
  query: cpfOfferQuery.extend(exportFormat),
});

export const exportCpfImports = defineExport({
  path: '/api/reports/exports/cpf-imports',
  summary: 'Export the list of CPF catalogue imports to CSV or XLSX',
  action: 'control.read',
  query: pageQuery.extend(exportFormat),
});

export const exportCertifications = defineExport({
  path: '/api/reports/exports/certifications',
  summary: 'Export the certifications list (same filters as the list) to CSV or XLSX',
  action: 'certification.read',
  query: certificationListQuery.extend(exportFormat),
});

export const exportUsers = defineExport({
  path: '/api/reports/exports/users',
  summary: 'Export the user accounts list (same search as the list) to CSV or XLSX',
  action: 'user.read',
  query: userListQuery.extend(exportFormat),
});

/** The accrochage deadlines (the list of the Accrochage page), all or one state, as CSV or XLSX. */
export const exportAccrochageDeadlines = defineExport({
  path: '/api/reports/exports/accrochage-deadlines',
  summary: 'Export the accrochage deadlines (all, or one state as on the page) to CSV or XLSX',
  action: 'chain.read',
  query: z.object({ state: z.enum(accrochageDeadlineStates).optional(), ...exportFormat }),
});

export const exportAuditLog = defineExport({
  path: '/api/reports/exports/audit-log',
  summary: 'Export the audit-log list (same filters as the list) to CSV or XLSX',
  action: 'audit.read',
  query: auditListQuery.extend(exportFormat),
});

export const exportControlPlan = defineExport({
  path: '/api/reports/exports/control-plans/:id',
  summary: 'Export the entries of one plan de contrôle (same filters as the page) to CSV or XLSX',
  action: 'control.read',
  params: z.object({ id: uuid }),
  // The plan's own filters, paging aside; `includeRemoved` stays text, as the plan service reads it.
  query: controlPlanQuery
    .omit({ limit: true, offset: true, includeRemoved: true })
    .extend({ includeRemoved: z.enum(['true', 'false']).optional(), ...exportFormat }),
});

export const exportRegistryImportRunChanges = defineExport({
  path: '/api/reports/exports/registry-import-runs/:id/changes',
  summary:
    'Export what one registry import changed, fiche by fiche (same filters as the page), to CSV or XLSX',
  action: 'certifier.read',
  params: z.object({ id: uuid }),
  query: runChangesQuery.omit({ limit: true, offset: true }).extend(exportFormat),
});

export const exportRegistryFicheHistory = defineExport({
  path: '/api/reports/exports/registry-fiches/:code/history',
  summary: 'Export the change history of one registry fiche to CSV or XLSX',
  action: 'certifier.read',
  params: z.object({ code: z.string().trim().min(2).max(20) }),
  query: z.object(exportFormat),
});

export const exportInvitations = defineExport({
  path: '/api/reports/exports/invitations',
  summary: 'Export the invitations (same filters as the list: organisation, state, audience) to CSV or XLSX',
  action: 'user.read',
  query: invitationListQuery.extend(exportFormat),
});

export const exportOrganisationDirectory = defineExport({
  path: '/api/reports/exports/organisations/:id/directory',
  summary: 'Export the directory of one organisation (its contacts, then its sites) to CSV or XLSX',
  action: 'organisation.read',
  params: z.object({ id: uuid }),
  query: z.object(exportFormat),
});

export const exportEvidence = defineExport({
  path: '/api/reports/exports/evidence',
  summary:
    'Export the evidence files list (same filters as the list: organisation, linked entity, search) to CSV or XLSX',
  action: 'evidence.read',
  query: evidenceListQuery.extend(exportFormat),
});

/** The candidates enrolled in one training session (a partner its own sessions only). */
export const exportTrainingSessionEnrolments = defineExport({
  path: '/api/reports/exports/training-sessions/:id/enrolments',
  summary: 'Export the candidates enrolled in one training session to CSV or XLSX',
  action: 'chain.read',
  params: z.object({ id: uuid }),
  query: z.object(exportFormat),
});

/** The rejected rows and warnings of one CPF catalogue import, all of them. */
export const exportCpfImportIssues = defineExport({
  path: '/api/reports/exports/cpf-imports/:id/issues',
  summary: 'Export the rejected rows and warnings of one CPF catalogue import to CSV or XLSX',
  action: 'control.read',
  params: z.object({ id: uuid }),
  query: z.object(exportFormat),
});

/** The results of one assessment session (an evaluator or partner: the sessions it may read). */
export const exportAssessmentResults = defineExport({
  path: '/api/reports/exports/assessment-sessions/:id/results',
  summary: 'Export the results of one assessment session to CSV or XLSX',
  action: 'chain.read',
  params: z.object({ id: uuid }),
  query: z.object(exportFormat),
});

/** The members of one jury, with their organisation and any declared conflict of interest. */
export const exportJuryMembers = defineExport({
  path: '/api/reports/exports/juries/:id/members',
  summary: 'Export the members of one jury to CSV or XLSX',
  action: 'jury.read',
  params: z.object({ id: uuid }),
  query: z.object(exportFormat),
});

/** The candidates before one jury: results, the jury's decision, the certificate issued. */
export const exportJuryCandidates = defineExport({
  path: '/api/reports/exports/juries/:id/candidates',
  summary: 'Export the candidates before one jury with their results and decisions to CSV or XLSX',
  action: 'jury.read',
  params: z.object({ id: uuid }),
  query: z.object(exportFormat),
});

/** The likely duplicate candidates across partners, one line per candidate numbered by group (certifier staff). */
export const exportCandidateDuplicates = defineExport({
  path: '/api/reports/exports/candidate-duplicates',
  summary: 'Export the likely duplicate candidates across partners to CSV or XLSX',
  action: 'jury.read',
  query: z.object(exportFormat),
});

/** A partner's timeline, newest first, as its page shows it (a partner its own organisation's only). */
export const exportPartnerTimeline = defineExport({
  path: '/api/reports/exports/organisations/:id/timeline',
  summary: 'Export the timeline of one partner (newest first) to CSV or XLSX',
  action: 'organisation.read',
  params: z.object({ id: uuid }),
  query: z.object(exportFormat),
});

/** The certifier's logo printed on every report and the evidence dossier (none: the name alone). */
export const reportLogoView = z.object({
  logo: z
    .object({
      sha256: z.string(),
      mediaType: z.enum(['image/png', 'image/jpeg']),
      sizeBytes: z.number().int(),
      updatedAt: z.iso.datetime().nullable(),
    })
    .nullable(),
  maxBytes: z.number().int(),
});
export type ReportLogoView = z.infer<typeof reportLogoView>;

export const getReportLogo = defineContract({
  method: 'GET',
  path: '/api/reports/logo',
  summary: 'Whether a logo is printed on the reports, and which',
  tags: ['reports'],
  access: 'session',
  action: 'certifier.read',
  response: reportLogoView,
});

export const downloadReportLogo = defineContract({
  method: 'GET',
  path: '/api/reports/logo/image',
  summary: 'The logo printed on the reports (PNG or JPEG), for its preview',
  tags: ['reports'],
  access: 'session',
  action: 'certifier.read',
  response: z.unknown().describe('the PNG or JPEG image'),
});

/** multipart/form-data with one part named `file`: PNG or JPEG (told from its bytes), at most 2 MiB. */
export const uploadReportLogo = defineContract({
  method: 'PUT',
  path: '/api/reports/logo',
  summary: 'Set the logo printed on the reports (multipart part `file`, PNG or JPEG, at most 2 MiB); audited',
  tags: ['reports'],
  access: 'session',
  action: 'certifier.manage',
  response: reportLogoView,
});

export const deleteReportLogo = defineContract({
  method: 'DELETE',
  path: '/api/reports/logo',
  summary: 'Remove the logo from the reports (they then carry the certifier’s name alone); audited',
  tags: ['reports'],
  access: 'session',
  action: 'certifier.manage',
  response: reportLogoView,
});

export const listInsertionSurveys = defineContract({
  method: 'GET',
  path: '/api/reports/insertion-surveys',
  summary: 'Insertion survey campaigns with their response rate and the two France Compétences rates',
  tags: ['reports'],
  access: 'session',
  action: 'report.read',
  query: z.object({ certification: z.string().optional() }),
  response: z.array(surveyView),
});

export const createInsertionSurvey = defineContract({
  method: 'POST',
  path: '/api/reports/insertion-surveys',
  summary: 'Start a survey campaign: every holder of the cohort gets a personal link by e-mail',
  tags: ['reports'],
  access: 'session',
  action: 'certificate.manage',
  body: surveyCreateInput,
  response: surveyView,
  status: 201,
});

/** Public: what a holder sees behind the link of the e-mail. */
export const getSurveyQuestion = defineContract({
  method: 'GET',
  path: '/api/surveys/:token',
  summary: 'The survey question behind a holder’s link (public)',
  tags: ['reports'],
  access: 'public',
  params: surveyTokenParam,
  response: surveyQuestion,
});

export const answerSurvey = defineContract({
  method: 'POST',
  path: '/api/surveys/:token',
  summary: 'A holder’s answer to the survey (public, once)',
  tags: ['reports'],
  access: 'public',
  params: surveyTokenParam,
  body: surveyAnswerInput,
  response: surveyQuestion,
});
