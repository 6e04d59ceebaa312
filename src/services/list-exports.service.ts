import type { Actor } from '../core/access/policy.js';
import type { CertificateListQuery, CertificateView } from '../core/certificates/certificate.schema.js';
import type { AssessmentSessionListQuery, AssessmentSessionView } from '../core/chain/assessment.schema.js';
import type { TrainingSessionListQuery, TrainingSessionView } from '../core/chain/training-session.schema.js';
import type { AuditEntryView, AuditListQuery } from '../core/contracts/audit.js';
import type { CpfSellerQuery, CpfSellerView } from '../core/contracts/cpf-offers.js';
import type { ControlListQuery, ControlView } from '../core/controls/control.schema.js';
import type { ConventionListQuery, ConventionView } from '../core/conventions/convention.schema.js';
import type { FindingListQuery, FindingView } from '../core/findings/finding.schema.js';
import type { HabilitationListQuery, HabilitationView } from '../core/habilitations/habilitation.schema.js';
import type { JuryListQuery, JuryView } from '../core/juries/jury.schema.js';
import type { RequestListQuery, RequestView } from '../core/partner-requests/partner-request.schema.js';
import type { RegistryFicheListQuery, RegistryFicheSummary } from '../core/registry/registry.schema.js';
import type { SanctionListQuery, SanctionView } from '../core/sanctions/sanction.schema.js';
import {
  accrochageStatusLabel,
  controlKindLabel,
  controlStatusLabel,
  conventionStatusLabel,
  findingStatusLabel,
  habilitationStatusLabel,
  juryStatusLabel,
  sanctionLevelLabel,
  sanctionStatusLabel,
  scopeLabel,
  severityLabel,
} from '../reports/dossier/labels.js';
import type { TableColumn } from '../reports/tabular/tabular.js';
import type { AssessmentService } from './assessment.service.js';
import type { AuditService } from './audit.service.js';
import type { CertificateService } from './certificate.service.js';
import type { ControlService } from './control.service.js';
import type { ConventionService } from './convention.service.js';
import type { CpfOfferService } from './cpf-offer.service.js';
import type { ExportFile } from './declaration.service.js';
import type { FindingService } from './finding.service.js';
import type { HabilitationService } from './habilitation.service.js';
import type { JuryService } from './jury.service.js';
import { exportList, type ListExportFormat } from './list-export.js';
import type { PartnerRequestService } from './partner-request.service.js';
import type { RegistryService } from './registry.service.js';
import type { SanctionService } from './sanction.service.js';
import type { ServiceContext } from './service-context.js';
import type { TrainingSessionService } from './training-session.service.js';

const findingColumns: TableColumn<FindingView>[] = [
  { title: 'Ouvert le', value: (f) => f.openedAt, kind: 'date', width: 12 },
  { title: 'Constat', value: (f) => f.title, width: 40 },
  { title: 'Organisme', value: (f) => f.organisationName, width: 30 },
  { title: 'Gravité', value: (f) => severityLabel(f.severity), width: 10 },
  { title: 'Statut', value: (f) => findingStatusLabel(f.status), width: 16 },
  { title: 'Règle', value: (f) => f.ruleId, width: 24 },
  { title: 'Échéance de l’action', value: (f) => f.actionDueOn, kind: 'date', width: 14 },
  { title: 'Clos le', value: (f) => f.closedAt, kind: 'date', width: 12 },
  { title: 'Description', value: (f) => f.description, width: 50 },
];

const sanctionColumns: TableColumn<SanctionView>[] = [
  { title: 'Décidée le', value: (s) => s.decidedOn, kind: 'date', width: 12 },
  { title: 'Organisme', value: (s) => s.organisationName, width: 30 },
  { title: 'Niveau', value: (s) => sanctionLevelLabel(s.level), width: 20 },
  { title: 'Statut', value: (s) => sanctionStatusLabel(s.status), width: 12 },
  { title: 'Motifs', value: (s) => s.reasons, width: 50 },
  { title: 'Réponse attendue le', value: (s) => s.replyDueOn, kind: 'date', width: 14 },
  { title: 'Réponse reçue le', value: (s) => s.repliedAt, kind: 'date', width: 14 },
  { title: 'Constats', value: (s) => s.findingIds.length, kind: 'integer', width: 10 },
];

const controlColumns: TableColumn<ControlView>[] = [
  { title: 'Type', value: (c) => controlKindLabel(c.kind), width: 22 },
  { title: 'Objet', value: (c) => c.title, width: 40 },
  { title: 'Statut', value: (c) => controlStatusLabel(c.status), width: 12 },
  { title: 'Planifié le', value: (c) => c.plannedOn, kind: 'date', width: 12 },
  { title: 'Réalisé le', value: (c) => c.performedOn, kind: 'date', width: 12 },
  { title: 'Constats', value: (c) => c.findingCount, kind: 'integer', width: 10 },
  { title: 'Règle', value: (c) => c.ruleId, width: 24 },
];

const habilitationColumns: TableColumn<HabilitationView>[] = [
  { title: 'Organisme', value: (h) => h.organisationName, width: 30 },
  { title: 'Certification', value: (h) => h.certificationCode, width: 14 },
  { title: 'Intitulé', value: (h) => h.certificationTitle, width: 40 },
  { title: 'Périmètre', value: (h) => scopeLabel(h.scope), width: 22 },
  {
    title: 'Blocs',
    value: (h) => (h.coversAllSkillBlocks ? 'Tous' : h.skillBlocks.map((b) => b.code).join(', ')),
    width: 20,
  },
  { title: 'Territoire', value: (h) => h.territory, width: 20 },
  { title: 'Début', value: (h) => h.startsOn, kind: 'date', width: 12 },
  { title: 'Fin', value: (h) => h.endsOn, kind: 'date', width: 12 },
  { title: 'Statut', value: (h) => habilitationStatusLabel(h.status), width: 16 },
];

const conventionColumns: TableColumn<ConventionView>[] = [
  { title: 'Référence', value: (c) => c.reference, width: 20 },
  { title: 'Version', value: (c) => c.version, kind: 'integer', width: 8 },
  { title: 'Organisme', value: (c) => c.organisationName, width: 30 },
  { title: 'Certifications', value: (c) => c.certifications.map((x) => x.code).join(', '), width: 24 },
  { title: 'Statut', value: (c) => conventionStatusLabel(c.status), width: 14 },
  { title: 'Début', value: (c) => c.startsOn, kind: 'date', width: 12 },
  { title: 'Fin', value: (c) => c.endsOn, kind: 'date', width: 12 },
  { title: 'Signée le', value: (c) => c.signedOn, kind: 'date', width: 12 },
  { title: 'Résiliée le', value: (c) => c.terminatedOn, kind: 'date', width: 12 },
  {
    title: 'Redevance par candidat (€)',
    value: (c) => (c.feePerCandidateCents == null ? null : c.feePerCandidateCents / 100),
    kind: 'decimal',
    width: 14,
  },
  {
    title: 'Redevance annuelle (€)',
    value: (c) => (c.annualFeeCents == null ? null : c.annualFeeCents / 100),
    kind: 'decimal',
    width: 14,
  },
];

/** A chain row with the names its list shows beside it (the screen looks them up; the export joins them). */
type Named<T> = T & { organisationName: string | null; certificationCode: string | null };

const trainingSessionColumns: TableColumn<Named<TrainingSessionView>>[] = [
  { title: 'Référence', value: (t) => t.reference, width: 20 },
  { title: 'Organisme', value: (t) => t.organisationName, width: 30 },
  { title: 'Certification', value: (t) => t.certificationCode, width: 14 },
  { title: 'Début', value: (t) => t.startsOn, kind: 'date', width: 12 },
  { title: 'Fin', value: (t) => t.endsOn, kind: 'date', width: 12 },
  { title: 'Heures', value: (t) => t.hours, kind: 'decimal', width: 8 },
  { title: 'Modalité', value: (t) => t.modality, width: 14 },
  { title: 'Lieu', value: (t) => t.site, width: 24 },
  { title: 'Formateurs', value: (t) => t.trainers.join(', '), width: 30 },
  { title: 'Financement', value: (t) => t.funding, width: 14 },
  { title: 'Inscrits', value: (t) => t.enrolmentCount, kind: 'integer', width: 10 },
];

const assessmentSessionColumns: TableColumn<Named<AssessmentSessionView>>[] = [
  { title: 'Date', value: (a) => a.startsAt.slice(0, 10), kind: 'date', width: 12 },
  { title: 'Heure (UTC)', value: (a) => a.startsAt.slice(11, 16), width: 10 },
  { title: 'Certification', value: (a) => a.certificationCode, width: 14 },
  { title: 'Organisateur', value: (a) => a.organisationName, width: 30 },
  { title: 'Lieu', value: (a) => a.place, width: 24 },
  { title: 'Modalité', value: (a) => a.modality, width: 14 },
  { title: 'Statut', value: (a) => a.status, width: 14 },
  { title: 'Candidats', value: (a) => a.candidateCount, kind: 'integer', width: 10 },
  { title: 'Incidents', value: (a) => a.incidents, width: 40 },
];

const juryColumns: TableColumn<Named<JuryView>>[] = [
  { title: 'Date', value: (j) => j.meetsOn, kind: 'date', width: 12 },
  { title: 'Certification', value: (j) => j.certificationCode, width: 14 },
  { title: 'Lieu', value: (j) => j.place, width: 24 },
  { title: 'Statut', value: (j) => juryStatusLabel(j.status), width: 14 },
  { title: 'PV signé le', value: (j) => j.signedAt?.slice(0, 10) ?? null, kind: 'date', width: 12 },
];

const certificateColumns: TableColumn<CertificateView>[] = [
  { title: 'Numéro', value: (c) => c.number, width: 20 },
  { title: 'Titulaire', value: (c) => c.holderName, width: 30 },
  { title: 'Certification', value: (c) => c.certificationCode, width: 14 },
  { title: 'Délivré le', value: (c) => c.issuedOn, kind: 'date', width: 12 },
  { title: 'Blocs', value: (c) => c.skillBlocks.map((b) => b.code).join(', '), width: 20 },
  { title: 'Accrochage', value: (c) => accrochageStatusLabel(c.accrochageStatus), width: 16 },
  { title: 'Révoqué le', value: (c) => c.revokedAt?.slice(0, 10) ?? null, kind: 'date', width: 12 },
  { title: 'Motif de révocation', value: (c) => c.revocationReason, width: 30 },
];

const requestStatusLabel: Record<RequestView['displayStatus'], string> = {
  open: 'Ouverte',
  answered: 'Répondue',
  accepted: 'Acceptée',
  reopened: 'Relancée',
  overdue: 'En retard',
};

const requestColumns: TableColumn<RequestView>[] = [
  { title: 'Échéance', value: (r) => r.dueOn, kind: 'date', width: 12 },
  { title: 'Demande', value: (r) => r.title, width: 40 },
  { title: 'Organisme', value: (r) => r.organisationName, width: 30 },
  { title: 'Type', value: (r) => (r.kind === 'documents' ? 'Documents' : 'Information'), width: 12 },
  { title: 'Statut', value: (r) => requestStatusLabel[r.displayStatus], width: 12 },
  {
    title: 'Objet lié',
    value: (r) => r.habilitationLabel ?? r.conventionReference ?? r.findingTitle,
    width: 30,
  },
  { title: 'Créée par', value: (r) => r.createdBy, width: 20 },
  { title: 'Créée le', value: (r) => r.createdAt.slice(0, 10), kind: 'date', width: 12 },
  { title: 'Répondue le', value: (r) => r.answeredAt?.slice(0, 10) ?? null, kind: 'date', width: 12 },
  { title: 'Acceptée le', value: (r) => r.acceptedAt?.slice(0, 10) ?? null, kind: 'date', width: 12 },
];

const registryFicheColumns: TableColumn<RegistryFicheSummary>[] = [
  { title: 'Code', value: (f) => f.code, width: 14 },
  { title: 'Intitulé', value: (f) => f.title, width: 50 },
  { title: 'Niveau', value: (f) => f.level, kind: 'integer', width: 8 },
  { title: 'État', value: (f) => f.state, width: 12 },
  { title: 'Active', value: (f) => f.isActive, width: 8 },
  { title: 'Enregistrée le', value: (f) => f.registeredOn, kind: 'date', width: 12 },
  { title: 'Fin', value: (f) => f.endsOn, kind: 'date', width: 12 },
  { title: 'Certificateurs', value: (f) => f.certifiers.map((c) => c.name).join(', '), width: 40 },
  { title: 'Blocs', value: (f) => f.skillBlockCount, kind: 'integer', width: 8 },
  { title: 'Partenaires', value: (f) => f.partnerCount, kind: 'integer', width: 10 },
  { title: 'Partenaires actifs', value: (f) => f.activePartnerCount, kind: 'integer', width: 10 },
  { title: 'Suivie', value: (f) => f.isOwned, width: 8 },
  { title: 'Fiche publique', value: (f) => f.publicUrl, width: 40 },
];

const cpfVerdictLabel: Record<CpfSellerView['verdict'], string> = {
  habilitated: 'Habilité',
  unknown_seller: 'Vendeur inconnu',
  not_habilitated: 'Non habilité',
  inactive: 'Habilitation inactive',
  evaluation_only: 'Évaluation seule',
};

const cpfSellerColumns: TableColumn<CpfSellerView>[] = [
  { title: 'SIRET', value: (s) => s.siret, width: 16 },
  { title: 'Vendeur', value: (s) => s.sellerName, width: 30 },
  { title: 'Organisme du réseau', value: (s) => s.organisationName, width: 30 },
  { title: 'Certification', value: (s) => s.certificationCode, width: 14 },
  { title: 'Verdict', value: (s) => cpfVerdictLabel[s.verdict], width: 18 },
  { title: 'Offres', value: (s) => s.offers, kind: 'integer', width: 8 },
  { title: 'Prix min (€)', value: (s) => s.priceMin, kind: 'decimal', width: 10 },
  { title: 'Prix max (€)', value: (s) => s.priceMax, kind: 'decimal', width: 10 },
  { title: 'Constats ouverts', value: (s) => s.openFindings, kind: 'integer', width: 10 },
];

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

const auditColumns: TableColumn<AuditEntryView>[] = [
  { title: 'N°', value: (a) => a.seq, kind: 'integer', width: 8 },
  { title: 'Date (UTC)', value: (a) => a.at.replace('T', ' ').slice(0, 19), width: 20 },
  { title: 'Auteur', value: (a) => a.actorLabel, width: 24 },
  { title: 'Action', value: (a) => a.action, width: 20 },
  { title: 'Objet', value: (a) => a.entityType, width: 16 },
  { title: 'Identifiant', value: (a) => a.entityId, width: 38 },
  { title: 'Avant', value: (a) => json(a.before), width: 50 },
  { title: 'Après', value: (a) => json(a.after), width: 50 },
  { title: 'Empreinte', value: (a) => a.hash, width: 66 },
];

/**
 * Exports of the lists of the web app (quality, network and chain lists) with the filters of the screen, through each
 * list's own service method (its permission and partner scope apply).
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
    },
  ) {}

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

  private day() {
    return this.ctx.now().toISOString().slice(0, 10);
  }

  findings(actor: Actor, query: FindingListQuery, format: ListExportFormat): Promise<ExportFile> {
    return exportList({
      format,
      fileStem: 'constats',
      sheetName: 'Constats',
      columns: findingColumns,
      query,
      page: (q) => this.services.findings.list(actor, q),
      day: this.day(),
    });
  }

  sanctions(actor: Actor, query: SanctionListQuery, format: ListExportFormat): Promise<ExportFile> {
    return exportList({
      format,
      fileStem: 'sanctions',
      sheetName: 'Sanctions',
      columns: sanctionColumns,
      query,
      page: (q) => this.services.sanctions.list(actor, q),
      day: this.day(),
    });
  }

  controls(actor: Actor, query: ControlListQuery, format: ListExportFormat): Promise<ExportFile> {
    return exportList({
      format,
      fileStem: 'controles',
      sheetName: 'Contrôles',
      columns: controlColumns,
      query,
      page: (q) => this.services.controls.list(actor, q),
      day: this.day(),
    });
  }

  habilitations(actor: Actor, query: HabilitationListQuery, format: ListExportFormat): Promise<ExportFile> {
    return exportList({
      format,
      fileStem: 'habilitations',
      sheetName: 'Habilitations',
      columns: habilitationColumns,
      query,
      page: (q) => this.services.habilitations.list(actor, q),
      day: this.day(),
    });
  }

  conventions(actor: Actor, query: ConventionListQuery, format: ListExportFormat): Promise<ExportFile> {
    return exportList({
      format,
      fileStem: 'conventions',
      sheetName: 'Conventions',
      columns: conventionColumns,
      query,
      page: (q) => this.services.conventions.list(actor, q),
      day: this.day(),
    });
  }

  trainingSessions(
    actor: Actor,
    query: TrainingSessionListQuery,
    format: ListExportFormat,
  ): Promise<ExportFile> {
    return exportList({
      format,
      fileStem: 'sessions-formation',
      sheetName: 'Sessions de formation',
      columns: trainingSessionColumns,
      query,
      page: async (q) => {
        const { items, total } = await this.services.trainingSessions.list(actor, q);
        return { items: await this.named(items, (t) => t.organisationId), total };
      },
      day: this.day(),
    });
  }

  assessmentSessions(
    actor: Actor,
    query: AssessmentSessionListQuery,
    format: ListExportFormat,
  ): Promise<ExportFile> {
    return exportList({
      format,
      fileStem: 'sessions-evaluation',
      sheetName: 'Sessions d’évaluation',
      columns: assessmentSessionColumns,
      query,
      page: async (q) => {
        const { items, total } = await this.services.assessments.list(actor, q);
        return { items: await this.named(items, (a) => a.organiserId), total };
      },
      day: this.day(),
    });
  }

  juries(actor: Actor, query: JuryListQuery, format: ListExportFormat): Promise<ExportFile> {
    return exportList({
      format,
      fileStem: 'jurys',
      sheetName: 'Jurys',
      columns: juryColumns,
      query,
      page: async (q) => {
        const { items, total } = await this.services.juries.list(actor, q);
        return { items: await this.named(items, () => null), total };
      },
      day: this.day(),
    });
  }

  certificates(actor: Actor, query: CertificateListQuery, format: ListExportFormat): Promise<ExportFile> {
    return exportList({
      format,
      fileStem: 'certificats',
      sheetName: 'Certificats',
      columns: certificateColumns,
      query,
      page: (q) => this.services.certificates.list(actor, q),
      day: this.day(),
    });
  }

  partnerRequests(actor: Actor, query: RequestListQuery, format: ListExportFormat): Promise<ExportFile> {
    return exportList({
      format,
      fileStem: 'demandes',
      sheetName: 'Demandes',
      columns: requestColumns,
      query,
      page: (q) => this.services.partnerRequests.list(actor, q),
      day: this.day(),
    });
  }

  registryFiches(actor: Actor, query: RegistryFicheListQuery, format: ListExportFormat): Promise<ExportFile> {
    return exportList({
      format,
      fileStem: 'fiches-registre',
      sheetName: 'Fiches',
      columns: registryFicheColumns,
      query,
      page: (q) => this.services.registry.searchFiches(actor, q),
      day: this.day(),
    });
  }

  cpfSellers(actor: Actor, query: CpfSellerQuery, format: ListExportFormat): Promise<ExportFile> {
    return exportList({
      format,
      fileStem: 'vendeurs-cpf',
      sheetName: 'Vendeurs CPF',
      columns: cpfSellerColumns,
      query,
      page: (q) => this.services.cpfOffers.listSellers(actor, q),
      day: this.day(),
    });
  }

  auditLog(actor: Actor, query: AuditListQuery, format: ListExportFormat): Promise<ExportFile> {
    return exportList({
      format,
      fileStem: 'journal-audit',
      sheetName: 'Journal',
      columns: auditColumns,
      query,
      page: (q) => this.services.audit.list(actor, q),
      day: this.day(),
    });
  }
}
