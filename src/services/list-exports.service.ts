import type { Actor } from '../core/access/policy.js';
import type { CertificateListQuery, CertificateView } from '../core/certificates/certificate.schema.js';
import type {
  CertificationListQuery,
  CertificationView,
} from '../core/certifications/certification.schema.js';
import type {
  AssessmentResultView,
  AssessmentSessionListQuery,
  AssessmentSessionView,
} from '../core/chain/assessment.schema.js';
import type {
  EnrolmentView,
  TrainingSessionListQuery,
  TrainingSessionView,
} from '../core/chain/training-session.schema.js';
import type { AccrochageDeadlineState, AccrochageDeadlineView } from '../core/contracts/accrochage.js';
import type { AuditEntryView, AuditListQuery } from '../core/contracts/audit.js';
import type { DuplicateGroup } from '../core/contracts/chain-uploads.js';
import type { ControlPlanEntryView, ControlPlanQuery } from '../core/contracts/control-plans.js';
import type {
  CpfImportView,
  CpfOfferQuery,
  CpfOfferView,
  CpfRejectedRow,
  CpfSellerQuery,
  CpfSellerView,
} from '../core/contracts/cpf-offers.js';
import type { ControlListQuery, ControlView } from '../core/controls/control.schema.js';
import type { ConventionListQuery, ConventionView } from '../core/conventions/convention.schema.js';
import type { EvidenceListQuery, EvidenceView } from '../core/evidence/evidence.schema.js';
import type { FindingListQuery, FindingView } from '../core/findings/finding.schema.js';
import type { HabilitationListQuery, HabilitationView } from '../core/habilitations/habilitation.schema.js';
import type { InvitationListQuery, InvitationView } from '../core/invitations/invitation.schema.js';
import type { JuryCandidateView, JuryDetail, JuryListQuery, JuryView } from '../core/juries/jury.schema.js';
import { codeLabel, type LabelLanguage, labelLanguages, yesNoLabel } from '../core/labels/code-labels.js';
import type { TimelineEvent } from '../core/network/network.schema.js';
import type { ContactView, SiteView } from '../core/organisations/directory.schema.js';
import type { RequestListQuery, RequestView } from '../core/partner-requests/partner-request.schema.js';
import type {
  FicheChangeView,
  ImportRunView,
  RegistryFicheListQuery,
  RegistryFicheSummary,
  RegistryFindingQuery,
  RegistryFindingView,
  RunChangesQuery,
} from '../core/registry/registry.schema.js';
import type { SanctionListQuery, SanctionView } from '../core/sanctions/sanction.schema.js';
import type { UserView } from '../core/users/user.schema.js';
import type { TableColumn } from '../reports/tabular/tabular.js';
import type { AccrochageService } from './accrochage.service.js';
import type { AssessmentService } from './assessment.service.js';
import type { AuditService } from './audit.service.js';
import type { CandidateDuplicatesService } from './candidate-duplicates.service.js';
import type { CertificateService } from './certificate.service.js';
import type { CertificationService } from './certification.service.js';
import type { ControlService } from './control.service.js';
import type { ControlPlanService } from './control-plan.service.js';
import type { ConventionService } from './convention.service.js';
import type { CpfOfferService } from './cpf-offer.service.js';
import type { ExportFile } from './declaration.service.js';
import type { EvidenceService } from './evidence/evidence.service.js';
import type { FindingService } from './finding.service.js';
import type { HabilitationService } from './habilitation.service.js';
import type { InvitationService } from './invitation.service.js';
import type { JuryService } from './jury.service.js';
import { exportList, type ListExportFormat } from './list-export.js';
import type { NetworkService } from './network.service.js';
import type { OrganisationDirectoryService } from './organisation-directory.service.js';
import type { PartnerRequestService } from './partner-request.service.js';
import type { RegistryService } from './registry.service.js';
import type { SanctionService } from './sanction.service.js';
import type { ServiceContext } from './service-context.js';
import type { TrainingSessionService } from './training-session.service.js';
import type { UserService } from './user.service.js';

/**
 * How one list is exported: its file stem, its sheet name and its columns, in the language of the person
 * exporting (titles and the labels of codes — the same as on screen, from core/labels).
 */
interface ListExportDefinition<T> {
  fileStem: string;
  sheetName: { fr: string; en: string };
  columns(language: LabelLanguage): TableColumn<T>[];
}

const define = <T>(definition: ListExportDefinition<T>) => definition;

/** `t('Statut', 'Status')`: the French or English text of a column title. */
const pick = (language: LabelLanguage) => (fr: string, en: string) => (language === 'en' ? en : fr);

const findingExport = define<FindingView>({
  fileStem: 'constats',
  sheetName: { fr: 'Constats', en: 'Findings' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Ouvert le', 'Opened on'), value: (f) => f.openedAt, kind: 'date', width: 12 },
      { title: t('Constat', 'Finding'), value: (f) => f.title, width: 40 },
      { title: t('Organisme', 'Organisation'), value: (f) => f.organisationName, width: 30 },
      { title: t('Gravité', 'Severity'), value: (f) => codeLabel(l, 'severity', f.severity), width: 10 },
      { title: t('Statut', 'Status'), value: (f) => codeLabel(l, 'findingStatus', f.status), width: 16 },
      { title: t('Règle', 'Rule'), value: (f) => f.ruleId, width: 24 },
      {
        title: t('Échéance de l’action', 'Action due on'),
        value: (f) => f.actionDueOn,
        kind: 'date',
        width: 14,
      },
      { title: t('Clos le', 'Closed on'), value: (f) => f.closedAt, kind: 'date', width: 12 },
      { title: 'Description', value: (f) => f.description, width: 50 },
    ];
  },
});

const sanctionExport = define<SanctionView>({
  fileStem: 'sanctions',
  sheetName: { fr: 'Sanctions', en: 'Sanctions' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Décidée le', 'Decided on'), value: (s) => s.decidedOn, kind: 'date', width: 12 },
      { title: t('Organisme', 'Organisation'), value: (s) => s.organisationName, width: 30 },
      { title: t('Niveau', 'Level'), value: (s) => codeLabel(l, 'sanctionLevel', s.level), width: 20 },
      { title: t('Statut', 'Status'), value: (s) => codeLabel(l, 'sanctionStatus', s.status), width: 12 },
      { title: t('Motifs', 'Reasons'), value: (s) => s.reasons, width: 50 },
      {
        title: t('Réponse attendue le', 'Reply due on'),
        value: (s) => s.replyDueOn,
        kind: 'date',
        width: 14,
      },
      { title: t('Réponse reçue le', 'Replied on'), value: (s) => s.repliedAt, kind: 'date', width: 14 },
      { title: t('Constats', 'Findings'), value: (s) => s.findingIds.length, kind: 'integer', width: 10 },
    ];
  },
});

const controlExport = define<ControlView>({
  fileStem: 'controles',
  sheetName: { fr: 'Contrôles', en: 'Controls' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Type', 'Kind'), value: (c) => codeLabel(l, 'controlKind', c.kind), width: 22 },
      { title: t('Objet', 'Subject'), value: (c) => c.title, width: 40 },
      { title: t('Statut', 'Status'), value: (c) => codeLabel(l, 'controlStatus', c.status), width: 12 },
      { title: t('Planifié le', 'Planned on'), value: (c) => c.plannedOn, kind: 'date', width: 12 },
      { title: t('Réalisé le', 'Performed on'), value: (c) => c.performedOn, kind: 'date', width: 12 },
      { title: t('Constats', 'Findings'), value: (c) => c.findingCount, kind: 'integer', width: 10 },
      { title: t('Règle', 'Rule'), value: (c) => c.ruleId, width: 24 },
    ];
  },
});

const habilitationExport = define<HabilitationView>({
  fileStem: 'habilitations',
  sheetName: { fr: 'Habilitations', en: 'Habilitations' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Organisme', 'Organisation'), value: (h) => h.organisationName, width: 30 },
      { title: 'Certification', value: (h) => h.certificationCode, width: 14 },
      { title: t('Intitulé', 'Title'), value: (h) => h.certificationTitle, width: 40 },
      { title: t('Périmètre', 'Scope'), value: (h) => codeLabel(l, 'scope', h.scope), width: 22 },
      {
        title: t('Blocs', 'Blocks'),
        value: (h) =>
          h.coversAllSkillBlocks ? t('Tous', 'All') : h.skillBlocks.map((b) => b.code).join(', '),
        width: 20,
      },
      { title: t('Territoire', 'Territory'), value: (h) => h.territory, width: 20 },
      { title: t('Début', 'Start'), value: (h) => h.startsOn, kind: 'date', width: 12 },
      { title: t('Fin', 'End'), value: (h) => h.endsOn, kind: 'date', width: 12 },
      {
        title: t('Statut', 'Status'),
        value: (h) => codeLabel(l, 'habilitationStatus', h.status),
        width: 16,
      },
    ];
  },
});

const conventionExport = define<ConventionView>({
  fileStem: 'conventions',
  sheetName: { fr: 'Conventions', en: 'Conventions' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Référence', 'Reference'), value: (c) => c.reference, width: 20 },
      { title: 'Version', value: (c) => c.version, kind: 'integer', width: 8 },
      { title: t('Organisme', 'Organisation'), value: (c) => c.organisationName, width: 30 },
      { title: 'Certifications', value: (c) => c.certifications.map((x) => x.code).join(', '), width: 24 },
      { title: t('Statut', 'Status'), value: (c) => codeLabel(l, 'conventionStatus', c.status), width: 14 },
      { title: t('Début', 'Start'), value: (c) => c.startsOn, kind: 'date', width: 12 },
      { title: t('Fin', 'End'), value: (c) => c.endsOn, kind: 'date', width: 12 },
      { title: t('Signée le', 'Signed on'), value: (c) => c.signedOn, kind: 'date', width: 12 },
      { title: t('Résiliée le', 'Terminated on'), value: (c) => c.terminatedOn, kind: 'date', width: 12 },
      {
        title: t('Redevance par candidat (€)', 'Fee per candidate (€)'),
        value: (c) => (c.feePerCandidateCents == null ? null : c.feePerCandidateCents / 100),
        kind: 'decimal',
        width: 14,
      },
      {
        title: t('Redevance annuelle (€)', 'Annual fee (€)'),
        value: (c) => (c.annualFeeCents == null ? null : c.annualFeeCents / 100),
        kind: 'decimal',
        width: 14,
      },
    ];
  },
});

/** A chain row with the names its list shows beside it (the screen looks them up; the export joins them). */
type Named<T> = T & { organisationName: string | null; certificationCode: string | null };

const trainingSessionExport = define<Named<TrainingSessionView>>({
  fileStem: 'sessions-formation',
  sheetName: { fr: 'Sessions de formation', en: 'Training sessions' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Référence', 'Reference'), value: (s) => s.reference, width: 20 },
      { title: t('Organisme', 'Organisation'), value: (s) => s.organisationName, width: 30 },
      { title: 'Certification', value: (s) => s.certificationCode, width: 14 },
      { title: t('Début', 'Start'), value: (s) => s.startsOn, kind: 'date', width: 12 },
      { title: t('Fin', 'End'), value: (s) => s.endsOn, kind: 'date', width: 12 },
      { title: t('Heures', 'Hours'), value: (s) => s.hours, kind: 'decimal', width: 8 },
      { title: t('Modalité', 'Modality'), value: (s) => codeLabel(l, 'modality', s.modality), width: 14 },
      { title: t('Lieu', 'Place'), value: (s) => s.site, width: 24 },
      { title: t('Formateurs', 'Trainers'), value: (s) => s.trainers.join(', '), width: 30 },
      {
        title: t('Financement', 'Funding'),
        value: (s) => (s.funding ? codeLabel(l, 'funding', s.funding) : null),
        width: 16,
      },
      { title: t('Inscrits', 'Enrolled'), value: (s) => s.enrolmentCount, kind: 'integer', width: 10 },
    ];
  },
});

const assessmentSessionExport = define<Named<AssessmentSessionView>>({
  fileStem: 'sessions-evaluation',
  sheetName: { fr: 'Sessions d’évaluation', en: 'Assessment sessions' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: 'Date', value: (a) => a.startsAt.slice(0, 10), kind: 'date', width: 12 },
      { title: t('Heure (UTC)', 'Time (UTC)'), value: (a) => a.startsAt.slice(11, 16), width: 10 },
      { title: 'Certification', value: (a) => a.certificationCode, width: 14 },
      { title: t('Organisateur', 'Organiser'), value: (a) => a.organisationName, width: 30 },
      { title: t('Lieu', 'Place'), value: (a) => a.place, width: 24 },
      { title: t('Modalité', 'Modality'), value: (a) => codeLabel(l, 'modality', a.modality), width: 14 },
      { title: t('Statut', 'Status'), value: (a) => codeLabel(l, 'assessmentStatus', a.status), width: 14 },
      { title: t('Candidats', 'Candidates'), value: (a) => a.candidateCount, kind: 'integer', width: 10 },
      { title: 'Incidents', value: (a) => a.incidents, width: 40 },
    ];
  },
});

const juryExport = define<Named<JuryView>>({
  fileStem: 'jurys',
  sheetName: { fr: 'Jurys', en: 'Juries' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: 'Date', value: (j) => j.meetsOn, kind: 'date', width: 12 },
      { title: 'Certification', value: (j) => j.certificationCode, width: 14 },
      { title: t('Lieu', 'Place'), value: (j) => j.place, width: 24 },
      { title: t('Statut', 'Status'), value: (j) => codeLabel(l, 'juryStatus', j.status), width: 18 },
      {
        title: t('PV signé le', 'Minutes signed on'),
        value: (j) => j.signedAt?.slice(0, 10) ?? null,
        kind: 'date',
        width: 12,
      },
    ];
  },
});

const certificateExport = define<CertificateView>({
  fileStem: 'certificats',
  sheetName: { fr: 'Certificats', en: 'Certificates' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Numéro', 'Number'), value: (c) => c.number, width: 20 },
      { title: t('Titulaire', 'Holder'), value: (c) => c.holderName, width: 30 },
      { title: 'Certification', value: (c) => c.certificationCode, width: 14 },
      { title: t('Délivré le', 'Issued on'), value: (c) => c.issuedOn, kind: 'date', width: 12 },
      { title: t('Blocs', 'Blocks'), value: (c) => c.skillBlocks.map((b) => b.code).join(', '), width: 20 },
      {
        title: 'Accrochage',
        value: (c) => codeLabel(l, 'accrochageStatus', c.accrochageStatus),
        width: 18,
      },
      {
        title: t('Révoqué le', 'Revoked on'),
        value: (c) => c.revokedAt?.slice(0, 10) ?? null,
        kind: 'date',
        width: 12,
      },
      { title: t('Motif de révocation', 'Revocation reason'), value: (c) => c.revocationReason, width: 30 },
    ];
  },
});

const requestExport = define<RequestView>({
  fileStem: 'demandes',
  sheetName: { fr: 'Demandes', en: 'Requests' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Échéance', 'Due on'), value: (r) => r.dueOn, kind: 'date', width: 12 },
      { title: t('Demande', 'Request'), value: (r) => r.title, width: 40 },
      { title: t('Organisme', 'Organisation'), value: (r) => r.organisationName, width: 30 },
      { title: t('Type', 'Kind'), value: (r) => codeLabel(l, 'requestKind', r.kind), width: 12 },
      {
        title: t('Statut', 'Status'),
        value: (r) => codeLabel(l, 'requestStatus', r.displayStatus),
        width: 12,
      },
      {
        title: t('Objet lié', 'About'),
        value: (r) => r.habilitationLabel ?? r.conventionReference ?? r.findingTitle,
        width: 30,
      },
      { title: t('Créée par', 'Created by'), value: (r) => r.createdBy, width: 20 },
      { title: t('Créée le', 'Created on'), value: (r) => r.createdAt.slice(0, 10), kind: 'date', width: 12 },
      {
        title: t('Répondue le', 'Answered on'),
        value: (r) => r.answeredAt?.slice(0, 10) ?? null,
        kind: 'date',
        width: 12,
      },
      {
        title: t('Acceptée le', 'Accepted on'),
        value: (r) => r.acceptedAt?.slice(0, 10) ?? null,
        kind: 'date',
        width: 12,
      },
    ];
  },
});

const registryFicheExport = define<RegistryFicheSummary>({
  fileStem: 'fiches-registre',
  sheetName: { fr: 'Fiches', en: 'Fiches' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: 'Code', value: (f) => f.code, width: 14 },
      { title: t('Intitulé', 'Title'), value: (f) => f.title, width: 50 },
      { title: t('Niveau', 'Level'), value: (f) => f.level, kind: 'integer', width: 8 },
      { title: t('État', 'State'), value: (f) => f.state, width: 12 },
      { title: 'Active', value: (f) => yesNoLabel(l, f.isActive), width: 8 },
      { title: t('Enregistrée le', 'Registered on'), value: (f) => f.registeredOn, kind: 'date', width: 12 },
      { title: t('Fin', 'End'), value: (f) => f.endsOn, kind: 'date', width: 12 },
      {
        title: t('Certificateurs', 'Certifiers'),
        value: (f) => f.certifiers.map((c) => c.name).join(', '),
        width: 40,
      },
      { title: t('Blocs', 'Blocks'), value: (f) => f.skillBlockCount, kind: 'integer', width: 8 },
      { title: t('Partenaires', 'Partners'), value: (f) => f.partnerCount, kind: 'integer', width: 10 },
      {
        title: t('Partenaires actifs', 'Active partners'),
        value: (f) => f.activePartnerCount,
        kind: 'integer',
        width: 10,
      },
      { title: t('Suivie', 'Followed'), value: (f) => yesNoLabel(l, f.isOwned), width: 8 },
      { title: t('Fiche publique', 'Public fiche'), value: (f) => f.publicUrl, width: 40 },
    ];
  },
});

const registryImportRunExport = define<ImportRunView>({
  fileStem: 'imports-registre',
  sheetName: { fr: 'Imports du registre', en: 'Registry imports' },
  columns: (l) => {
    const t = pick(l);
    const count = (v: unknown) => (typeof v === 'number' ? v : null);
    const changes = (r: ImportRunView) => (r.summary.changes ?? {}) as Record<string, unknown>;
    return [
      {
        title: t('Début (UTC)', 'Started (UTC)'),
        value: (r) => r.startedAt.replace('T', ' ').slice(0, 19),
        width: 20,
      },
      { title: t('Fichier', 'File'), value: (r) => r.fileName, width: 40 },
      { title: 'Format', value: (r) => r.format.toUpperCase(), width: 8 },
      { title: t('Par', 'By'), value: (r) => r.actorLabel, width: 24 },
      { title: 'Fiches', value: (r) => count(r.summary.certifications), kind: 'integer', width: 10 },
      {
        title: t('Nouvelles fiches', 'New fiches'),
        value: (r) => count(changes(r).newFiches),
        kind: 'integer',
        width: 10,
      },
      {
        title: t('Fiches modifiées', 'Changed fiches'),
        value: (r) => count(changes(r).changedFiches),
        kind: 'integer',
        width: 10,
      },
      { title: t('Rejets', 'Rejected'), value: (r) => r.rejectedCount, kind: 'integer', width: 10 },
      {
        title: t('Résultat', 'Result'),
        value: (r) => codeLabel(l, 'registryRunStatus', r.status),
        width: 18,
      },
      { title: t('Taille (octets)', 'Size (bytes)'), value: (r) => r.sizeBytes, kind: 'integer', width: 12 },
      { title: 'SHA-256', value: (r) => r.sha256, width: 66 },
    ];
  },
});

const registryFindingExport = define<RegistryFindingView>({
  fileStem: 'ecarts-registre',
  sheetName: { fr: 'Écarts au registre', en: 'Registry gaps' },
  columns: (l) => {
    const t = pick(l);
    const source = (f: RegistryFindingView) => {
      const file = typeof f.source.file === 'string' ? f.source.file : '';
      const line = typeof f.source.line === 'number' ? f.source.line : null;
      return line === null ? file : `${file}:${line}`;
    };
    return [
      { title: 'Fiche', value: (f) => f.ficheCode, width: 14 },
      { title: t('Écart', 'Gap'), value: (f) => codeLabel(l, 'reconciliationRule', f.ruleId), width: 34 },
      { title: t('Constat', 'Finding'), value: (f) => f.title, width: 40 },
      { title: 'Description', value: (f) => f.description, width: 50 },
      { title: t('Gravité', 'Severity'), value: (f) => codeLabel(l, 'severity', f.severity), width: 10 },
      {
        title: t('Statut', 'Status'),
        value: (f) => codeLabel(l, 'findingStatus', f.status),
        width: 10,
      },
      { title: 'Source', value: source, width: 30 },
      { title: t('Ouvert le', 'Opened on'), value: (f) => f.openedAt, kind: 'date', width: 12 },
      { title: t('Clos le', 'Closed on'), value: (f) => f.closedAt, kind: 'date', width: 12 },
    ];
  },
});

const cpfSellerExport = define<CpfSellerView>({
  fileStem: 'vendeurs-cpf',
  sheetName: { fr: 'Vendeurs CPF', en: 'CPF sellers' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: 'SIRET', value: (s) => s.siret, width: 16 },
      { title: t('Vendeur', 'Seller'), value: (s) => s.sellerName, width: 30 },
      {
        title: t('Organisme du réseau', 'Network organisation'),
        value: (s) => s.organisationName,
        width: 30,
      },
      { title: 'Certification', value: (s) => s.certificationCode, width: 14 },
      { title: t('Verdict', 'Verdict'), value: (s) => codeLabel(l, 'cpfVerdict', s.verdict), width: 24 },
      { title: t('Offres', 'Offers'), value: (s) => s.offers, kind: 'integer', width: 8 },
      { title: t('Prix min (€)', 'Min price (€)'), value: (s) => s.priceMin, kind: 'decimal', width: 10 },
      { title: t('Prix max (€)', 'Max price (€)'), value: (s) => s.priceMax, kind: 'decimal', width: 10 },
      {
        title: t('Constats ouverts', 'Open findings'),
        value: (s) => s.openFindings,
        kind: 'integer',
        width: 10,
      },
    ];
  },
});

const cpfOfferExport = define<CpfOfferView>({
  fileStem: 'offres-cpf',
  sheetName: { fr: 'Offres CPF', en: 'CPF offers' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Offre', 'Offer'), value: (o) => o.title, width: 40 },
      { title: t('Identifiant', 'Id'), value: (o) => o.offerId, width: 24 },
      { title: 'SIRET', value: (o) => o.siret, width: 16 },
      {
        title: t('Organisme du réseau', 'Network organisation'),
        value: (o) => o.organisationName,
        width: 30,
      },
      { title: 'Certification', value: (o) => o.certificationCode, width: 14 },
      { title: t('Verdict', 'Verdict'), value: (o) => codeLabel(l, 'cpfVerdict', o.verdict), width: 24 },
      { title: t('Prix min (€)', 'Min price (€)'), value: (o) => o.priceMin, kind: 'decimal', width: 10 },
      { title: t('Prix max (€)', 'Max price (€)'), value: (o) => o.priceMax, kind: 'decimal', width: 10 },
      { title: t('Heures min', 'Min hours'), value: (o) => o.hoursMin, kind: 'decimal', width: 10 },
      { title: t('Heures max', 'Max hours'), value: (o) => o.hoursMax, kind: 'decimal', width: 10 },
      {
        title: t('Modalité', 'Modality'),
        value: (o) => (o.modality ? codeLabel(l, 'cpfOfferModality', o.modality) : null),
        width: 14,
      },
      { title: t('Département', 'Department'), value: (o) => o.departmentCode, width: 10 },
      { title: t('Extraction', 'Extracted on'), value: (o) => o.extractedOn, kind: 'date', width: 12 },
      {
        title: t('Au catalogue', 'In the catalogue'),
        value: (o) => yesNoLabel(l, o.present),
        width: 10,
      },
    ];
  },
});

const cpfImportExport = define<CpfImportView>({
  fileStem: 'imports-cpf',
  sheetName: { fr: 'Imports CPF', en: 'CPF imports' },
  columns: (l) => {
    const t = pick(l);
    return [
      {
        title: t('Début (UTC)', 'Started (UTC)'),
        value: (i) => i.startedAt.replace('T', ' ').slice(0, 19),
        width: 20,
      },
      { title: t('Fichier', 'File'), value: (i) => i.fileName, width: 40 },
      { title: t('Extraction', 'Extracted on'), value: (i) => i.extractedOn, kind: 'date', width: 12 },
      { title: t('Lignes', 'Rows'), value: (i) => i.rows, kind: 'integer', width: 10 },
      { title: t('Offres', 'Offers'), value: (i) => i.offers, kind: 'integer', width: 10 },
      { title: t('Rattachées', 'Matched'), value: (i) => i.matched, kind: 'integer', width: 10 },
      { title: t('Nouvelles', 'New'), value: (i) => i.changes.new, kind: 'integer', width: 10 },
      { title: t('Modifiées', 'Changed'), value: (i) => i.changes.changed, kind: 'integer', width: 10 },
      { title: t('Retirées', 'Gone'), value: (i) => i.changes.gone, kind: 'integer', width: 10 },
      { title: t('Rejets', 'Rejected'), value: (i) => i.rejected, kind: 'integer', width: 10 },
      { title: t('Avertissements', 'Warnings'), value: (i) => i.warnings, kind: 'integer', width: 10 },
      {
        title: t('Constats ouverts', 'Findings opened'),
        value: (i) => i.findingChanges.opened ?? 0,
        kind: 'integer',
        width: 10,
      },
      {
        title: t('Constats résolus', 'Findings resolved'),
        value: (i) => i.findingChanges.resolved ?? 0,
        kind: 'integer',
        width: 10,
      },
      { title: t('Par', 'By'), value: (i) => i.actorLabel, width: 24 },
      { title: 'SHA-256', value: (i) => i.sha256, width: 66 },
    ];
  },
});

const certificationExport = define<CertificationView>({
  fileStem: 'certifications',
  sheetName: { fr: 'Certifications', en: 'Certifications' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: 'Code', value: (c) => c.code, width: 14 },
      { title: t('Répertoire', 'Register'), value: (c) => c.register, width: 8 },
      { title: t('Intitulé', 'Title'), value: (c) => c.title, width: 50 },
      { title: t('Niveau', 'Level'), value: (c) => c.level, width: 10 },
      { title: t('État', 'State'), value: (c) => c.state, width: 12 },
      { title: 'Active', value: (c) => yesNoLabel(l, c.isActive), width: 8 },
      { title: t('Suivie', 'Followed'), value: (c) => yesNoLabel(l, c.isOwned), width: 8 },
      { title: t('Enregistrée le', 'Registered on'), value: (c) => c.registeredOn, kind: 'date', width: 12 },
      { title: t('Fin', 'End'), value: (c) => c.endsOn, kind: 'date', width: 12 },
      { title: t('Blocs', 'Blocks'), value: (c) => c.skillBlockCount, kind: 'integer', width: 8 },
    ];
  },
});

/** The state the users screen shows: deactivated, invited (no password yet), locked, else active. */
const userState = (u: UserView) =>
  !u.isActive ? 'inactive' : !u.hasPassword ? 'invited' : u.isLocked ? 'locked' : 'active';

const userExport = define<UserView>({
  fileStem: 'utilisateurs',
  sheetName: { fr: 'Utilisateurs', en: 'Users' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Nom', 'Name'), value: (u) => u.displayName, width: 28 },
      { title: t('Adresse électronique', 'E-mail'), value: (u) => u.email, width: 32 },
      { title: t('Rôle', 'Role'), value: (u) => codeLabel(l, 'role', u.role), width: 20 },
      { title: t('État', 'State'), value: (u) => codeLabel(l, 'userState', userState(u)), width: 20 },
      { title: t('Langue', 'Language'), value: (u) => u.locale, width: 8 },
      {
        title: t('Dernière connexion (UTC)', 'Last sign-in (UTC)'),
        value: (u) => u.lastLoginAt?.replace('T', ' ').slice(0, 19) ?? null,
        width: 20,
      },
      { title: t('Créé le', 'Created on'), value: (u) => u.createdAt, kind: 'date', width: 12 },
    ];
  },
});

const accrochageDeadlineExport = define<AccrochageDeadlineView>({
  fileStem: 'delais-accrochage',
  sheetName: { fr: 'Délais d’accrochage', en: 'Accrochage deadlines' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Échéance', 'Deadline'), value: (d) => codeLabel(l, 'deadlineState', d.state), width: 16 },
      { title: t('À accepter avant le', 'Due on'), value: (d) => d.dueOn, kind: 'date', width: 12 },
      { title: t('Jours restants', 'Days left'), value: (d) => d.daysLeft, kind: 'integer', width: 10 },
      { title: t('Numéro', 'Number'), value: (d) => d.number, width: 20 },
      { title: t('Titulaire', 'Holder'), value: (d) => d.holderName, width: 30 },
      { title: 'Certification', value: (d) => d.certificationCode, width: 14 },
      { title: t('Délivré le', 'Issued on'), value: (d) => d.issuedOn, kind: 'date', width: 12 },
      {
        title: 'Accrochage',
        value: (d) => codeLabel(l, 'accrochageStatus', d.accrochageStatus),
        width: 18,
      },
      { title: t('Message de la CDC', 'CDC message'), value: (d) => d.accrochageMessage, width: 40 },
    ];
  },
});

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

const auditExport = define<AuditEntryView>({
  fileStem: 'journal-audit',
  sheetName: { fr: 'Journal', en: 'Audit log' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('N°', 'No.'), value: (a) => a.seq, kind: 'integer', width: 8 },
      { title: t('Date (UTC)', 'Date (UTC)'), value: (a) => a.at.replace('T', ' ').slice(0, 19), width: 20 },
      { title: t('Auteur', 'Actor'), value: (a) => a.actorLabel, width: 24 },
      { title: 'Action', value: (a) => codeLabel(l, 'auditAction', a.action), width: 36 },
      { title: t('Code de l’action', 'Action code'), value: (a) => a.action, width: 24 },
      { title: t('Objet', 'Entity'), value: (a) => a.entityType, width: 16 },
      { title: t('Identifiant', 'Id'), value: (a) => a.entityId, width: 38 },
      { title: t('Avant', 'Before'), value: (a) => json(a.before), width: 50 },
      { title: t('Après', 'After'), value: (a) => json(a.after), width: 50 },
      { title: t('Empreinte', 'Hash'), value: (a) => a.hash, width: 66 },
    ];
  },
});

const controlPlanExport = define<ControlPlanEntryView>({
  fileStem: 'plan-de-controle',
  sheetName: { fr: 'Plan de contrôle', en: 'Control plan' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Prévu le', 'Planned on'), value: (e) => e.plannedOn, kind: 'date', width: 12 },
      { title: t('Organisme', 'Organisation'), value: (e) => e.legalName, width: 30 },
      { title: 'SIRET', value: (e) => e.siret, width: 16 },
      {
        title: t('Risque', 'Risk'),
        value: (e) => (e.riskLevel ? codeLabel(l, 'riskLevel', e.riskLevel) : null),
        width: 10,
      },
      { title: t('Score de risque', 'Risk score'), value: (e) => e.riskScore, kind: 'decimal', width: 10 },
      { title: t('Type', 'Kind'), value: (e) => codeLabel(l, 'controlKind', e.kind), width: 22 },
      { title: t('Profondeur', 'Depth'), value: (e) => codeLabel(l, 'planDepth', e.depth), width: 12 },
      { title: t('Origine', 'Origin'), value: (e) => codeLabel(l, 'planEntryOrigin', e.origin), width: 12 },
      { title: t('Retiré', 'Removed'), value: (e) => yesNoLabel(l, e.removed), width: 8 },
      { title: t('Motif', 'Reason'), value: (e) => e.reason, width: 40 },
      { title: 'Note', value: (e) => e.note, width: 30 },
      {
        title: t('Statut du contrôle', 'Control status'),
        value: (e) => (e.controlStatus ? codeLabel(l, 'controlStatus', e.controlStatus) : null),
        width: 14,
      },
    ];
  },
});

/** A value of a registry change as short text (dates and codes as France Compétences writes them). */
const changeText = (value: unknown): string =>
  value === null || value === undefined || value === ''
    ? '—'
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/**
 * What one registry change says, on one line: the new fiche's title, the end date of a fiche that became
 * (in)active, each changed field with before → after, the partner and what changed of it. The JSON column
 * beside it keeps every detail.
 */
function describeFicheChange(change: FicheChangeView): string {
  const d = change.details;
  switch (change.kind) {
    case 'new':
      return changeText(d.title);
    case 'became_inactive':
    case 'became_active':
      return changeText(d.endsOn);
    case 'changed':
      return (Array.isArray(d.fields) ? d.fields : [])
        .map((raw) => {
          const f = raw as { field?: unknown; before?: unknown; after?: unknown };
          return `${String(f.field ?? '')} : ${changeText(f.before)} → ${changeText(f.after)}`;
        })
        .join(' | ');
    default: {
      const changes = (d.changes ?? {}) as Record<string, { before?: unknown; after?: unknown }>;
      return [
        `${changeText(d.name)} (${changeText(d.siret)}) ${d.habilitationType ? changeText(d.habilitationType) : ''}`.trim(),
        ...Object.entries(changes).map(
          ([field, c]) => `${field} : ${changeText(c?.before)} → ${changeText(c?.after)}`,
        ),
      ].join(' | ');
    }
  }
}

const ficheChangeExport = define<FicheChangeView>({
  fileStem: 'changements-repertoire',
  sheetName: { fr: 'Changements', en: 'Changes' },
  columns: (l) => {
    const t = pick(l);
    return [
      {
        title: t('Date (UTC)', 'Date (UTC)'),
        value: (c) => c.createdAt.replace('T', ' ').slice(0, 19),
        width: 20,
      },
      { title: 'Fiche', value: (c) => c.ficheCode, width: 14 },
      { title: t('Changement', 'Change'), value: (c) => codeLabel(l, 'ficheChangeKind', c.kind), width: 20 },
      { title: t('Détail', 'Details'), value: describeFicheChange, width: 60 },
      { title: t('Détail (JSON)', 'Details (JSON)'), value: (c) => json(c.details), width: 60 },
      { title: t('Import', 'Import'), value: (c) => c.runId, width: 38 },
    ];
  },
});

/** A timestamp as the lists print it: `2026-11-23 17:45:00` (UTC). */
const dateTime = (value: string | null) => value?.replace('T', ' ').slice(0, 19) ?? null;

const invitationExport = define<InvitationView>({
  fileStem: 'invitations',
  sheetName: { fr: 'Invitations', en: 'Invitations' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Nom', 'Name'), value: (i) => i.displayName, width: 28 },
      { title: t('Adresse électronique', 'E-mail'), value: (i) => i.email, width: 32 },
      { title: t('Rôle', 'Role'), value: (i) => codeLabel(l, 'role', i.role), width: 20 },
      { title: t('Organisme', 'Organisation'), value: (i) => i.organisationName, width: 30 },
      { title: t('État', 'State'), value: (i) => codeLabel(l, 'invitationState', i.state), width: 14 },
      { title: t('Invité par', 'Invited by'), value: (i) => i.invitedBy, width: 24 },
      { title: t('Envoyée le (UTC)', 'Sent on (UTC)'), value: (i) => dateTime(i.createdAt), width: 20 },
      {
        title: t('Valable jusqu’au (UTC)', 'Valid until (UTC)'),
        value: (i) => dateTime(i.expiresAt),
        width: 20,
      },
      { title: t('Erreur d’envoi', 'Mail error'), value: (i) => i.mailError, width: 30 },
      { title: t('Acceptée le (UTC)', 'Accepted on (UTC)'), value: (i) => dateTime(i.acceptedAt), width: 20 },
      { title: t('Retirée le (UTC)', 'Withdrawn on (UTC)'), value: (i) => dateTime(i.revokedAt), width: 20 },
    ];
  },
});

/** One line of an organisation's directory: a contact or a site, in one table. */
type DirectoryLine = { kind: 'contact'; entry: ContactView } | { kind: 'site'; entry: SiteView };

const directoryExport = define<DirectoryLine>({
  fileStem: 'annuaire',
  sheetName: { fr: 'Annuaire', en: 'Directory' },
  columns: (l) => {
    const t = pick(l);
    const contact = (d: DirectoryLine) => (d.kind === 'contact' ? d.entry : null);
    const site = (d: DirectoryLine) => (d.kind === 'site' ? d.entry : null);
    return [
      { title: t('Nature', 'Kind'), value: (d) => codeLabel(l, 'directoryEntryKind', d.kind), width: 10 },
      {
        title: t('Nom ou libellé', 'Name or label'),
        value: (d) => contact(d)?.fullName ?? site(d)?.label ?? null,
        width: 30,
      },
      { title: t('Fonction', 'Role'), value: (d) => contact(d)?.role ?? null, width: 24 },
      { title: t('Adresse électronique', 'E-mail'), value: (d) => contact(d)?.email ?? null, width: 32 },
      { title: t('Téléphone', 'Phone'), value: (d) => contact(d)?.phone ?? null, width: 16 },
      { title: t('Adresse', 'Address'), value: (d) => site(d)?.addressLine ?? null, width: 36 },
      { title: t('Code postal', 'Postcode'), value: (d) => site(d)?.postalCode ?? null, width: 10 },
      { title: t('Ville', 'City'), value: (d) => site(d)?.city ?? null, width: 20 },
      {
        title: t('Ajouté le', 'Added on'),
        value: (d) => d.entry.createdAt.slice(0, 10),
        kind: 'date',
        width: 12,
      },
    ];
  },
});

const evidenceExport = define<EvidenceView>({
  fileStem: 'preuves',
  sheetName: { fr: 'Preuves', en: 'Evidence' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Déposée le (UTC)', 'Uploaded on (UTC)'), value: (e) => dateTime(e.uploadedAt), width: 20 },
      { title: t('Fichier', 'File'), value: (e) => e.fileName, width: 36 },
      { title: 'Description', value: (e) => e.description, width: 40 },
      { title: t('Type de fichier', 'Media type'), value: (e) => e.mediaType, width: 20 },
      { title: t('Taille (octets)', 'Size (bytes)'), value: (e) => e.sizeBytes, kind: 'integer', width: 12 },
      {
        title: t('Rattachée à', 'Linked to'),
        value: (e) =>
          e.links
            .map((k) => `${k.entityType} ${k.entityId}${k.purpose ? ` (${k.purpose})` : ''}`)
            .join(' | '),
        width: 50,
      },
      { title: 'SHA-256', value: (e) => e.sha256, width: 66 },
    ];
  },
});

/** A person's name as the chain screens show it: birth name, usage name in brackets, first names. */
const personName = (p: { birthName: string; usageName: string | null; firstNames: string }) =>
  `${p.birthName.toUpperCase()}${p.usageName ? ` (${p.usageName})` : ''} ${p.firstNames}`;

const enrolmentExport = define<EnrolmentView>({
  fileStem: 'inscrits-session',
  sheetName: { fr: 'Inscrits', en: 'Enrolments' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Nom de naissance', 'Birth name'), value: (e) => e.birthName, width: 24 },
      { title: t('Nom d’usage', 'Usage name'), value: (e) => e.usageName, width: 24 },
      { title: t('Prénoms', 'First names'), value: (e) => e.firstNames, width: 24 },
      { title: t('Inscrit le', 'Enrolled on'), value: (e) => e.enrolledOn, kind: 'date', width: 12 },
      { title: t('Identifiant', 'Identifier'), value: (e) => e.candidateId, width: 38 },
    ];
  },
});

/** One result of an assessment session, with the candidate's name and the bloc's code resolved. */
type AssessmentResultLine = AssessmentResultView & {
  candidate: { birthName: string; usageName: string | null; firstNames: string } | undefined;
  skillBlockCode: string | null;
};

const assessmentResultExport = define<AssessmentResultLine>({
  fileStem: 'resultats-evaluation',
  sheetName: { fr: 'Résultats', en: 'Results' },
  columns: (l) => {
    const t = pick(l);
    return [
      {
        title: t('Candidat', 'Candidate'),
        value: (r) => (r.candidate ? personName(r.candidate) : r.candidateId),
        width: 36,
      },
      { title: t('Bloc', 'Skill block'), value: (r) => r.skillBlockCode, width: 16 },
      { title: t('Épreuve', 'Task'), value: (r) => r.assessmentTask, width: 24 },
      { title: t('Note', 'Score'), value: (r) => r.score, kind: 'decimal', width: 10 },
      { title: t('Sur', 'Out of'), value: (r) => r.maxScore, kind: 'decimal', width: 10 },
      { title: t('Décision', 'Decision'), value: (r) => codeLabel(l, 'result', r.decision), width: 14 },
      {
        title: t('Saisi le', 'Recorded on'),
        value: (r) => r.recordedAt.slice(0, 10),
        kind: 'date',
        width: 12,
      },
      { title: t('Identifiant du candidat', 'Candidate identifier'), value: (r) => r.candidateId, width: 38 },
    ];
  },
});

/** A rejected row or a warning of one CPF catalogue import. */
type CpfImportIssue = CpfRejectedRow & { kind: 'rejected' | 'warning' };

const cpfImportIssueExport = define<CpfImportIssue>({
  fileStem: 'rejets-import-cpf',
  sheetName: { fr: 'Rejets et avertissements', en: 'Rejections and warnings' },
  columns: (l) => {
    const t = pick(l);
    return [
      {
        title: t('Nature', 'Kind'),
        value: (r) =>
          r.kind === 'rejected' ? t('Ligne rejetée', 'Rejected row') : t('Avertissement', 'Warning'),
        width: 16,
      },
      { title: t('Ligne', 'Line'), value: (r) => r.line, kind: 'integer', width: 10 },
      { title: t('Colonne', 'Column'), value: (r) => r.column ?? null, width: 22 },
      { title: t('Code', 'Code'), value: (r) => r.code, width: 22 },
      { title: t('Message', 'Message'), value: (r) => r.message, width: 60 },
      { title: t('Offre', 'Offer'), value: (r) => r.key ?? null, width: 24 },
    ];
  },
});

type JuryMember = JuryDetail['members'][number];

const juryMemberExport = define<JuryMember & { organisationName: string | null }>({
  fileStem: 'membres-jury',
  sheetName: { fr: 'Membres du jury', en: 'Jury members' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Nom', 'Name'), value: (m) => m.fullName, width: 30 },
      { title: t('Qualité', 'Role'), value: (m) => codeLabel(l, 'juryMemberRole', m.role), width: 28 },
      { title: t('Organisme', 'Organisation'), value: (m) => m.organisationName, width: 30 },
      {
        title: t('Conflit d’intérêts déclaré', 'Conflict of interest declared'),
        value: (m) => yesNoLabel(l, m.hasConflictOfInterest),
        width: 14,
      },
      { title: t('Nature du conflit', 'Conflict'), value: (m) => m.conflictNote, width: 40 },
    ];
  },
});

const juryCandidateExport = define<JuryCandidateView>({
  fileStem: 'candidats-jury',
  sheetName: { fr: 'Candidats', en: 'Candidates' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Candidat', 'Candidate'), value: personName, width: 34 },
      { title: t('Né le', 'Born on'), value: (c) => c.birthDate, kind: 'date', width: 12 },
      {
        title: t('Résultats', 'Results'),
        value: (c) =>
          c.results
            .map((r) => {
              const score =
                r.score === null ? '' : ` ${r.score}${r.maxScore === null ? '' : `/${r.maxScore}`}`;
              return `${r.skillBlockCode ?? r.assessmentTask ?? '—'}: ${codeLabel(l, 'result', r.decision)}${score}`;
            })
            .join(' | '),
        width: 50,
      },
      {
        title: t('Décision du jury', 'Jury decision'),
        value: (c) => (c.deliberation ? codeLabel(l, 'decision', c.deliberation.decision) : null),
        width: 20,
      },
      { title: t('Motif', 'Note'), value: (c) => c.deliberation?.note ?? null, width: 40 },
      {
        title: t('Décidée le (UTC)', 'Decided on (UTC)'),
        value: (c) => dateTime(c.deliberation?.decidedAt ?? null),
        width: 20,
      },
      { title: t('Certificat', 'Certificate'), value: (c) => c.certificate?.number ?? null, width: 20 },
      {
        title: t('Accrochage', 'Registration'),
        value: (c) =>
          c.certificate ? codeLabel(l, 'accrochageStatus', c.certificate.accrochageStatus) : null,
        width: 16,
      },
      {
        title: t('Certificat retiré', 'Certificate revoked'),
        value: (c) => yesNoLabel(l, c.certificate?.revoked),
        width: 12,
      },
    ];
  },
});

/** One candidate of a group of likely duplicates, numbered by group so the sheet keeps the grouping. */
type DuplicateLine = DuplicateGroup['candidates'][number] & { group: number };

const duplicateExport = define<DuplicateLine>({
  fileStem: 'doublons-candidats',
  sheetName: { fr: 'Doublons possibles', en: 'Possible duplicates' },
  columns: (l) => {
    const t = pick(l);
    return [
      { title: t('Groupe', 'Group'), value: (c) => c.group, kind: 'integer', width: 8 },
      { title: t('Nom de naissance', 'Birth name'), value: (c) => c.birthName, width: 24 },
      { title: t('Nom d’usage', 'Usage name'), value: (c) => c.usageName, width: 24 },
      { title: t('Prénoms', 'First names'), value: (c) => c.firstNames, width: 24 },
      { title: t('Né le', 'Born on'), value: (c) => c.birthDate, kind: 'date', width: 12 },
      {
        title: t('Déclaré par', 'Declared by'),
        value: (c) => c.organisationName ?? t('Candidat individuel', 'Individual candidate'),
        width: 30,
      },
      { title: t('Adresse électronique', 'E-mail'), value: (c) => c.email, width: 32 },
      {
        title: t('Déclaré le', 'Declared on'),
        value: (c) => c.createdAt.slice(0, 10),
        kind: 'date',
        width: 12,
      },
      { title: t('Identifiant', 'Identifier'), value: (c) => c.id, width: 38 },
    ];
  },
});

/** A status of a timeline event as the screen names it, when its table is known; the code otherwise. */
function timelineStatus(l: LabelLanguage, e: TimelineEvent, status: string | null): string | null {
  if (status === null) return null;
  if (e.entityType === 'habilitation') return codeLabel(l, 'habilitationStatus', status);
  if (e.action === 'finding.create') return codeLabel(l, 'severity', status);
  if (e.entityType === 'finding') return codeLabel(l, 'findingStatus', status);
  if (e.action === 'sanction.create') return codeLabel(l, 'sanctionLevel', status);
  if (e.entityType === 'sanction') return codeLabel(l, 'sanctionStatus', status);
  if (e.entityType === 'convention') return codeLabel(l, 'conventionStatus', status);
  return status;
}

const timelineExport = define<TimelineEvent>({
  fileStem: 'chronologie-partenaire',
  sheetName: { fr: 'Chronologie', en: 'Timeline' },
  columns: (l) => {
    const t = pick(l);
    return [
      {
        title: t('Date (UTC)', 'Date (UTC)'),
        value: (e) => (e.dateOnly ? e.at.slice(0, 10) : dateTime(e.at)),
        width: 20,
      },
      { title: t('Événement', 'Event'), value: (e) => codeLabel(l, 'auditAction', e.action), width: 34 },
      { title: t('Code de l’événement', 'Event code'), value: (e) => e.action, width: 28 },
      { title: t('Objet', 'Subject'), value: (e) => e.subject, width: 36 },
      { title: t('Auteur', 'Author'), value: (e) => e.actor, width: 24 },
      {
        title: t('Statut avant', 'Status before'),
        value: (e) => timelineStatus(l, e, e.fromStatus),
        width: 20,
      },
      { title: t('Statut après', 'Status after'), value: (e) => timelineStatus(l, e, e.toStatus), width: 20 },
      { title: t('Texte', 'Text'), value: (e) => e.text, width: 50 },
      {
        title: t('Source', 'Source'),
        value: (e) => (e.fromAuditLog ? t('Journal d’audit', 'Audit log') : t('Dossiers', 'Records')),
        width: 16,
      },
    ];
  },
});

/** The options every export takes beside its list's own query. */
export interface ListExportOptions {
  format: ListExportFormat;
  /** The language of titles and labels; without it, the language the user chose in their account. */
  lang?: LabelLanguage | undefined;
}

/**
 * Exports of the lists of the web app (quality, network, chain, registry and communication lists) with the
 * filters of the screen, through each list's own service method (its permission and partner scope apply).
 * Every export is one line: its definition and the list method it pages through.
 */
export class ListExportService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly services: {
      findings: FindingService;
      sanctions: SanctionService;
      controls: ControlService;
      habilitations: HabilitationService;
      conventions: ConventionService;
      trainingSessions: TrainingSessionService;
      assessments: AssessmentService;
      juries: JuryService;
      certificates: CertificateService;
      partnerRequests: PartnerRequestService;
      registry: RegistryService;
      cpfOffers: CpfOfferService;
      audit: AuditService;
      certifications: CertificationService;
      users: UserService;
      accrochage: AccrochageService;
      controlPlans: ControlPlanService;
      invitations: InvitationService;
      organisationDirectory: OrganisationDirectoryService;
      evidence: EvidenceService;
      candidateDuplicates: CandidateDuplicatesService;
      network: NetworkService;
    },
  ) {}

  /** The language asked for, else the account's (French unless the user chose English). */
  private async language(actor: Actor, asked: LabelLanguage | undefined): Promise<LabelLanguage> {
    if (asked) return asked;
    if (actor.kind !== 'user') return 'fr';
    const user = await this.ctx.db
      .selectFrom('users')
      .select('locale')
      .where('id', '=', actor.userId)
      .executeTakeFirst();
    return labelLanguages.find((l) => l === user?.locale) ?? 'fr';
  }

  /** Runs one export: the definition in the user's language over every page of the list. */
  private async run<Q extends { limit: number; offset: number }, T>(
    actor: Actor,
    definition: ListExportDefinition<T>,
    query: Q,
    options: ListExportOptions,
    page: (query: Q) => Promise<{ items: T[]; total: number }>,
  ): Promise<ExportFile> {
    const language = await this.language(actor, options.lang);
    return exportList({
      format: options.format,
      fileStem: definition.fileStem,
      sheetName: definition.sheetName[language],
      columns: definition.columns(language),
      query,
      page,
      day: this.ctx.now().toISOString().slice(0, 10),
    });
  }

  /**
   * Adds the organisation's name and the certification's code to rows that carry only their ids (rows the
   * list method already let through, so the names are ones the actor may see).
   */
  private async named<T extends { certificationId: string }>(
    items: T[],
    organisationIdOf: (row: T) => string | null,
  ): Promise<Named<T>[]> {
    const organisationIds = [
      ...new Set(items.map(organisationIdOf).filter((id): id is string => id !== null)),
    ];
    const certificationIds = [...new Set(items.map((row) => row.certificationId))];
    const [organisations, certifications] = await Promise.all([
      organisationIds.length === 0
        ? []
        : this.ctx.db
            .selectFrom('organisations')
            .select(['id', 'legalName'])
            .where('id', 'in', organisationIds)
            .execute(),
      certificationIds.length === 0
        ? []
        : this.ctx.db
            .selectFrom('certifications')
            .select(['id', 'code'])
            .where('id', 'in', certificationIds)
            .execute(),
    ]);
    const organisationName = new Map(organisations.map((o) => [o.id, o.legalName]));
    const certificationCode = new Map(certifications.map((c) => [c.id, c.code]));
    return items.map((row) => {
      const organisationId = organisationIdOf(row);
      return {
        ...row,
        organisationName: organisationId === null ? null : (organisationName.get(organisationId) ?? null),
        certificationCode: certificationCode.get(row.certificationId) ?? null,
      };
    });
  }

  findings(actor: Actor, query: FindingListQuery, options: ListExportOptions) {
    return this.run(actor, findingExport, query, options, (q) => this.services.findings.list(actor, q));
  }

  sanctions(actor: Actor, query: SanctionListQuery, options: ListExportOptions) {
    return this.run(actor, sanctionExport, query, options, (q) => this.services.sanctions.list(actor, q));
  }

  controls(actor: Actor, query: ControlListQuery, options: ListExportOptions) {
    return this.run(actor, controlExport, query, options, (q) => this.services.controls.list(actor, q));
  }

  habilitations(actor: Actor, query: HabilitationListQuery, options: ListExportOptions) {
    return this.run(actor, habilitationExport, query, options, (q) =>
      this.services.habilitations.list(actor, q),
    );
  }

  conventions(actor: Actor, query: ConventionListQuery, options: ListExportOptions) {
    return this.run(actor, conventionExport, query, options, (q) => this.services.conventions.list(actor, q));
  }

  trainingSessions(actor: Actor, query: TrainingSessionListQuery, options: ListExportOptions) {
    return this.run(actor, trainingSessionExport, query, options, async (q) => {
      const { items, total } = await this.services.trainingSessions.list(actor, q);
      return { items: await this.named(items, (t) => t.organisationId), total };
    });
  }

  assessmentSessions(actor: Actor, query: AssessmentSessionListQuery, options: ListExportOptions) {
    return this.run(actor, assessmentSessionExport, query, options, async (q) => {
      const { items, total } = await this.services.assessments.list(actor, q);
      return { items: await this.named(items, (a) => a.organiserId), total };
    });
  }

  juries(actor: Actor, query: JuryListQuery, options: ListExportOptions) {
    return this.run(actor, juryExport, query, options, async (q) => {
      const { items, total } = await this.services.juries.list(actor, q);
      return { items: await this.named(items, () => null), total };
    });
  }

  certificates(actor: Actor, query: CertificateListQuery, options: ListExportOptions) {
    return this.run(actor, certificateExport, query, options, (q) =>
      this.services.certificates.list(actor, q),
    );
  }

  partnerRequests(actor: Actor, query: RequestListQuery, options: ListExportOptions) {
    return this.run(actor, requestExport, query, options, (q) =>
      this.services.partnerRequests.list(actor, q),
    );
  }

  registryFiches(actor: Actor, query: RegistryFicheListQuery, options: ListExportOptions) {
    return this.run(actor, registryFicheExport, query, options, (q) =>
      this.services.registry.searchFiches(actor, q),
    );
  }

  registryImportRuns(actor: Actor, query: { limit: number; offset: number }, options: ListExportOptions) {
    return this.run(actor, registryImportRunExport, query, options, (q) =>
      this.services.registry.listImportRuns(actor, q),
    );
  }

  registryFindings(actor: Actor, query: RegistryFindingQuery, options: ListExportOptions) {
    return this.run(actor, registryFindingExport, query, options, (q) =>
      this.services.registry.listFindings(actor, q),
    );
  }

  cpfSellers(actor: Actor, query: CpfSellerQuery, options: ListExportOptions) {
    return this.run(actor, cpfSellerExport, query, options, (q) =>
      this.services.cpfOffers.listSellers(actor, q),
    );
  }

  cpfOffers(actor: Actor, query: CpfOfferQuery, options: ListExportOptions) {
    return this.run(actor, cpfOfferExport, query, options, (q) =>
      this.services.cpfOffers.listOffers(actor, q),
    );
  }

  cpfImports(actor: Actor, query: { limit: number; offset: number }, options: ListExportOptions) {
    return this.run(actor, cpfImportExport, query, options, (q) =>
      this.services.cpfOffers.listImports(actor, q),
    );
  }

  /** One CPF import's rejected rows then warnings, all of them (`control.read`). */
  cpfImportIssues(actor: Actor, id: string, options: ListExportOptions) {
    return this.run(
      actor,
      cpfImportIssueExport,
      { limit: 200, offset: 0 },
      options,
      ListExportService.pages(() => this.services.cpfOffers.importIssues(actor, id)),
    );
  }

  certifications(actor: Actor, query: CertificationListQuery, options: ListExportOptions) {
    return this.run(actor, certificationExport, query, options, (q) =>
      this.services.certifications.list(actor, q),
    );
  }

  users(
    actor: Actor,
    query: { q?: string | undefined; limit: number; offset: number },
    options: ListExportOptions,
  ) {
    return this.run(actor, userExport, query, options, (q) => this.services.users.list(actor, q));
  }

  /** The deadlines list is not paged (the page filters it by state): the export pages through it itself. */
  accrochageDeadlines(
    actor: Actor,
    query: { state?: AccrochageDeadlineState | undefined },
    options: ListExportOptions,
  ) {
    let all: Promise<AccrochageDeadlineView[]> | null = null;
    return this.run(actor, accrochageDeadlineExport, { limit: 200, offset: 0 }, options, async (q) => {
      all ??= this.services.accrochage
        .deadlines(actor)
        .then(({ items }) => items.filter((d) => !query.state || d.state === query.state));
      const items = await all;
      return { items: items.slice(q.offset, q.offset + q.limit), total: items.length };
    });
  }

  auditLog(actor: Actor, query: AuditListQuery, options: ListExportOptions) {
    return this.run(actor, auditExport, query, options, (q) => this.services.audit.list(actor, q));
  }

  /**
   * The entries of one plan (the page's risk-level, kind and partner filters; removed entries when asked),
   * through the plan service, so `control.read` applies. The file is named after the plan's year.
   */
  async controlPlan(
    actor: Actor,
    id: string,
    query: Omit<ControlPlanQuery, 'limit' | 'offset'>,
    options: ListExportOptions,
  ) {
    const { plan } = await this.services.controlPlans.get(actor, id, { ...query, limit: 1 });
    const definition = { ...controlPlanExport, fileStem: `${controlPlanExport.fileStem}-${plan.year}` };
    return this.run(actor, definition, { ...query, limit: 200, offset: 0 }, options, async (q) => {
      const { entries } = await this.services.controlPlans.get(actor, id, q);
      return { items: entries.items, total: entries.total };
    });
  }

  /** What one registry import changed (the page's change-kind and fiche filters). */
  registryImportRunChanges(
    actor: Actor,
    id: string,
    query: Omit<RunChangesQuery, 'limit' | 'offset'>,
    options: ListExportOptions,
  ) {
    return this.run(actor, ficheChangeExport, { ...query, limit: 200, offset: 0 }, options, (q) =>
      this.services.registry.importRunChanges(actor, id, q),
    );
  }

  /** The change history of one fiche, newest first, named after the fiche. */
  registryFicheHistory(actor: Actor, code: string, options: ListExportOptions) {
    const definition = { ...ficheChangeExport, fileStem: `historique-${code.trim().toUpperCase()}` };
    return this.run(actor, definition, { limit: 200, offset: 0 }, options, (q) =>
      this.services.registry.ficheHistory(actor, code, q),
    );
  }

  /** The invitations, through the invitation list (`user.read`; partners have no access to it). */
  invitations(actor: Actor, query: InvitationListQuery, options: ListExportOptions) {
    return this.run(actor, invitationExport, query, options, (q) => this.services.invitations.list(actor, q));
  }

  /**
   * The directory of one organisation: contacts, then sites. Through the directory service, so
   * `organisation.read` applies and a partner gets its own organisation's only (another's is not found).
   */
  organisationDirectory(actor: Actor, organisationId: string, options: ListExportOptions) {
    let all: Promise<DirectoryLine[]> | null = null;
    return this.run(actor, directoryExport, { limit: 200, offset: 0 }, options, async (q) => {
      all ??= this.services.organisationDirectory
        .get(actor, organisationId)
        .then(({ contacts, sites }) => [
          ...contacts.map((entry) => ({ kind: 'contact' as const, entry })),
          ...sites.map((entry) => ({ kind: 'site' as const, entry })),
        ]);
      const items = await all;
      return { items: items.slice(q.offset, q.offset + q.limit), total: items.length };
    });
  }

  /** Pages through rows that a detail read returns all at once (read once, on the first page). */
  private static pages<T>(load: () => Promise<T[]>) {
    let all: Promise<T[]> | null = null;
    return async (q: { limit: number; offset: number }) => {
      all ??= load();
      const items = await all;
      return { items: items.slice(q.offset, q.offset + q.limit), total: items.length };
    };
  }

  /**
   * The candidates enrolled in one training session, through the session read (`chain.read`; a partner's
   * own sessions only, another's is not found).
   */
  trainingSessionEnrolments(actor: Actor, id: string, options: ListExportOptions) {
    return this.run(
      actor,
      enrolmentExport,
      { limit: 200, offset: 0 },
      options,
      ListExportService.pages(async () => (await this.services.trainingSessions.get(actor, id)).enrolments),
    );
  }

  /**
   * The results of one assessment session, through the results read (`chain.read`; an evaluator its own
   * sessions, a partner the sessions it organises), names and bloc codes resolved as on the screen.
   */
  assessmentResults(actor: Actor, id: string, options: ListExportOptions) {
    return this.run(
      actor,
      assessmentResultExport,
      { limit: 200, offset: 0 },
      options,
      ListExportService.pages(async () => {
        const { items } = await this.services.assessments.listResults(actor, id);
        const session = await this.services.assessments.get(actor, id);
        const candidates = new Map(session.candidates.map((c) => [c.candidateId, c]));
        // The session's certification's blocs, read directly: an evaluator may read the session without
        // the certification's fiche.
        const blockRows = await this.ctx.db
          .selectFrom('skillBlocks')
          .select(['id', 'code'])
          .where('certificationId', '=', session.certificationId)
          .execute();
        const blocks = new Map(blockRows.map((b) => [b.id, b.code]));
        return items.map((r) => ({
          ...r,
          candidate: candidates.get(r.candidateId),
          skillBlockCode: r.skillBlockId ? (blocks.get(r.skillBlockId) ?? null) : null,
        }));
      }),
    );
  }

  /** The members of one jury with their organisation and declared conflicts, through the jury read (`jury.read`). */
  juryMembers(actor: Actor, id: string, options: ListExportOptions) {
    return this.run(
      actor,
      juryMemberExport,
      { limit: 200, offset: 0 },
      options,
      ListExportService.pages(async () => {
        const { members } = await this.services.juries.get(actor, id);
        const ids = [...new Set(members.map((m) => m.organisationId).filter((o): o is string => o !== null))];
        const organisations =
          ids.length === 0
            ? []
            : await this.ctx.db
                .selectFrom('organisations')
                .select(['id', 'legalName'])
                .where('id', 'in', ids)
                .execute();
        const name = new Map(organisations.map((o) => [o.id, o.legalName]));
        return members.map((m) => ({
          ...m,
          organisationName: m.organisationId === null ? null : (name.get(m.organisationId) ?? null),
        }));
      }),
    );
  }

  /** The candidates before one jury with their results and decisions, through the jury read (`jury.read`). */
  juryCandidates(actor: Actor, id: string, options: ListExportOptions) {
    return this.run(
      actor,
      juryCandidateExport,
      { limit: 200, offset: 0 },
      options,
      ListExportService.pages(async () => (await this.services.juries.candidates(actor, id)).items),
    );
  }

  /**
   * The likely duplicate candidates, one line per candidate numbered by group, through the duplicates list
   * (`jury.read`, certifier staff only: partners are refused).
   */
  candidateDuplicates(actor: Actor, options: ListExportOptions) {
    return this.run(
      actor,
      duplicateExport,
      { limit: 200, offset: 0 },
      options,
      ListExportService.pages(async () => {
        const groups: DuplicateGroup[] = [];
        for (let offset = 0; ; offset += 200) {
          const page = await this.services.candidateDuplicates.list(actor, { limit: 200, offset });
          groups.push(...page.items);
          if (page.items.length < 200 || groups.length >= page.total) break;
        }
        return groups.flatMap((g, i) => g.candidates.map((c) => ({ ...c, group: i + 1 })));
      }),
    );
  }

  /**
   * A partner's timeline, newest first, through the timeline read (`organisation.read`; a partner its own
   * organisation's only; audit-log entries and authors for those who may read the audit log).
   */
  partnerTimeline(actor: Actor, organisationId: string, options: ListExportOptions) {
    return this.run(actor, timelineExport, { limit: 200, offset: 0 }, options, (q) =>
      this.services.network.timeline(actor, organisationId, q),
    );
  }

  /** The evidence files (a partner's own only: the evidence list scopes it). */
  evidence(actor: Actor, query: EvidenceListQuery, options: ListExportOptions) {
    return this.run(actor, evidenceExport, query, options, (q) => this.services.evidence.list(actor, q));
  }
}
