import type { Readable } from 'node:stream';
import { type Actor, requireAccess } from '../core/access/policy.js';
import { notFound } from '../core/errors.js';
import { ReportRepository } from '../db/repositories/report.repository.js';
import {
  auditReportPdf,
  type NetworkLine,
  networkOverviewPdf,
  networkOverviewXlsx,
  scorecardPdf,
} from '../reports/quality/quality-reports.js';
import type { ExportFile } from './declaration.service.js';
import { XLSX_MEDIA_TYPE } from './declaration.service.js';
import {
  MAX_LOGO_BYTES,
  openReportLogo,
  reportBranding,
  reportLogoInfo,
  setReportLogo,
} from './report-branding.js';
import type { ServiceContext } from './service-context.js';

const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 60);

/** The quality reports: partner scorecard, audit report of a control, network overview (PDF and XLSX). */
export class ReportService {
  constructor(private readonly ctx: ServiceContext) {}

  private branding(_repo?: ReportRepository) {
    return reportBranding(this.ctx);
  }

  /** Sets the logo printed on the reports (PNG or JPEG), or removes it with null. */
  setLogo(actor: Actor, content: Buffer | Readable | null) {
    return setReportLogo(this.ctx, actor, content);
  }

  /** The logo as the settings screen shows it (none: null), with the size limit. */
  async logo(actor: Actor) {
    return { logo: await reportLogoInfo(this.ctx, actor), maxBytes: MAX_LOGO_BYTES };
  }

  /** Sets the logo from an upload, then describes it. */
  async uploadLogo(actor: Actor, content: Readable) {
    await setReportLogo(this.ctx, actor, content);
    return this.logo(actor);
  }

  /** Removes the logo, then describes the (empty) setting. */
  async removeLogo(actor: Actor) {
    await setReportLogo(this.ctx, actor, null);
    return this.logo(actor);
  }

  /** The logo's bytes, for the preview. */
  openLogo(actor: Actor) {
    return openReportLogo(this.ctx, actor);
  }

  async scorecard(actor: Actor, organisationId: string): Promise<ExportFile> {
    requireAccess(actor, 'report.read');
    const repo = new ReportRepository(this.ctx.db);
    const organisation = await repo.organisation(organisationId);
    if (!organisation) throw notFound('organisation', organisationId);
    const [habilitations, conventions, outcomes, controls, findings, sanctions] = await Promise.all([
      repo.habilitationsOf(organisationId),
      repo.conventionsOf(organisationId),
      repo.outcomes(organisationId),
      repo.controlsOf(organisationId),
      repo.findingsOf(organisationId),
      repo.sanctionsOf(organisationId),
    ]);
    const generatedAt = this.ctx.now().toISOString();
    const content = await scorecardPdf(
      {
        generatedAt,
        organisation,
        habilitations,
        conventions,
        outcomes,
        controls,
        findings: findings.map((f) => ({
          ...f,
          openedAt: f.openedAt.toISOString(),
          closedAt: f.closedAt?.toISOString() ?? null,
        })),
        sanctions,
      },
      await this.branding(repo),
    );
    return {
      fileName: `fiche-partenaire-${organisation.siret}-${generatedAt.slice(0, 10)}.pdf`,
      mediaType: 'application/pdf',
      content,
      rows: 0,
    };
  }

  async auditReport(actor: Actor, controlId: string): Promise<ExportFile> {
    requireAccess(actor, 'report.read');
    const repo = new ReportRepository(this.ctx.db);
    const control = await repo.control(controlId);
    if (!control) throw notFound('control', controlId);
    const template = await repo.checklistTemplateOf(controlId);
    const [checkpoints, findings, evidence] = await Promise.all([
      repo.checkpointResults(controlId, template?.checklistTemplateId ?? null),
      repo.findingsOfControl(controlId),
      repo.evidenceOf('control', controlId),
    ]);
    const generatedAt = this.ctx.now().toISOString();
    const content = await auditReportPdf(
      {
        generatedAt,
        control: {
          kind: control.kind,
          title: control.title,
          status: control.status,
          plannedOn: control.plannedOn,
          performedOn: control.performedOn,
          performedBy: control.performedBy,
          partner: control.legalName ? `${control.legalName} (SIRET ${control.siret})` : null,
          certification: control.certificationCode
            ? `${control.certificationCode} — ${control.certificationTitle}`
            : null,
          checklistTitle: control.checklistTitle,
        },
        checkpoints,
        findings: findings.map((f) => ({
          ...f,
          openedAt: f.openedAt.toISOString(),
          actions: Number(f.actions ?? 0),
        })),
        evidence,
      },
      await this.branding(repo),
    );
    return {
      fileName: `rapport-controle-${slug(control.title)}-${generatedAt.slice(0, 10)}.pdf`,
      mediaType: 'application/pdf',
      content,
      rows: 0,
    };
  }

  async networkLines(): Promise<NetworkLine[]> {
    const repo = new ReportRepository(this.ctx.db);
    const [lines, outcomes] = await Promise.all([repo.networkLines(), repo.outcomes(null)]);
    const byOrg = new Map<string, { presented: number; deliberated: number; certified: number }>();
    for (const o of outcomes) {
      const sum = byOrg.get(o.organisationId) ?? { presented: 0, deliberated: 0, certified: 0 };
      sum.presented += o.presented;
      sum.deliberated += o.deliberated;
      sum.certified += o.certified;
      byOrg.set(o.organisationId, sum);
    }
    return lines.map((l) => ({
      ...l,
      ...(byOrg.get(l.id) ?? { presented: 0, deliberated: 0, certified: 0 }),
    }));
  }

  async networkOverview(actor: Actor, format: 'pdf' | 'xlsx'): Promise<ExportFile> {
    requireAccess(actor, 'report.read');
    const lines = await this.networkLines();
    const generatedAt = this.ctx.now().toISOString();
    const day = generatedAt.slice(0, 10);
    if (format === 'xlsx')
      return {
        fileName: `reseau-${day}.xlsx`,
        mediaType: XLSX_MEDIA_TYPE,
        content: await networkOverviewXlsx(lines, generatedAt),
        rows: lines.length,
      };
    const repo = new ReportRepository(this.ctx.db);
    return {
      fileName: `reseau-${day}.pdf`,
      mediaType: 'application/pdf',
      content: await networkOverviewPdf(lines, await this.branding(repo), generatedAt),
      rows: lines.length,
    };
  }
}
