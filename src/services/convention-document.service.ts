import { Readable } from 'node:stream';
import { type Actor, actorId, requireAccess, requireInScope } from '../core/access/policy.js';
import {
  type ConventionTemplateView,
  conventionDocumentInput,
} from '../core/contracts/convention-documents.js';
import { notFound, validationFailed } from '../core/errors.js';
import type { EvidenceView } from '../core/evidence/evidence.schema.js';
import { cleanFileName, MAX_EVIDENCE_BYTES, resolveEvidenceMediaType } from '../core/evidence/media-types.js';
import type { HabilitationScope } from '../core/habilitations/habilitation.js';
import { calendarDay } from '../core/habilitations/period.js';
import { combineScopes } from '../core/registry/reconcile.js';
import { ConventionRepository } from '../db/repositories/convention.repository.js';
import {
  ConventionDocumentRepository,
  GENERATED_CONVENTION_PURPOSE,
} from '../db/repositories/convention-document.repository.js';
import { EvidenceRepository } from '../db/repositories/evidence.repository.js';
import { OrganisationRepository } from '../db/repositories/organisation.repository.js';
import {
  defaultConventionClauses,
  defaultConventionTemplate,
} from '../reports/convention/default-template.js';
import {
  type ConventionDocumentData,
  conventionTemplateValues,
  conventionVariables,
} from '../reports/convention/model.js';
import { renderConventionPdf } from '../reports/convention/pdf.js';
import { fillTemplate, templateIssues } from '../reports/convention/template.js';
import { recordAudit } from './audit.service.js';
import { type EvidenceDownload, EvidenceService, toEvidenceView } from './evidence/evidence.service.js';
import { EvidenceStore } from './evidence/evidence-store.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

const knownVariables = new Set(Object.keys(conventionVariables));

/**
 * Convention documents: a convention's terms, its partner's habilitations and the certifier's identity
 * poured into a template (the shipped French one, or the certifier's own text with {{variables}}), set as
 * a PDF, stored as evidence by its SHA-256 and linked to the convention. The partner reads its own.
 */
export class ConventionDocumentService {
  constructor(private readonly ctx: ServiceContext) {}

  defaultTemplate(actor: Actor): ConventionTemplateView {
    requireAccess(actor, 'convention.read');
    return {
      template: defaultConventionTemplate,
      variables: Object.entries(conventionVariables).map(([name, description]) => ({ name, description })),
    };
  }

  /**
   * Generates the convention's PDF and keeps it as evidence of the convention's organisation. A template
   * that names an unknown variable is refused (validation_failed on `template`, one issue per line) before
   * anything is rendered or stored.
   */
  async generate(actor: Actor, conventionId: string, input: unknown): Promise<EvidenceView> {
    requireAccess(actor, 'convention.manage');
    requireAccess(actor, 'evidence.upload');
    const data = parseInput(conventionDocumentInput, input);
    const template = data.template ?? defaultConventionTemplate;
    const issues = templateIssues(template, knownVariables);
    if (issues.length)
      throw validationFailed(
        issues.map((i) => ({ field: 'template', message: `line ${i.line}: ${i.message}` })),
      );

    const { document, reference, version, organisationId } = await this.read(actor, conventionId);
    const values = conventionTemplateValues(document, defaultConventionClauses);
    const pdf = await renderConventionPdf(fillTemplate(template, values), {
      reference,
      certifierName: document.certifier.name,
      generatedOn: document.generatedOn,
    });
    const fileName = cleanFileName(`convention-${reference.replace(/[\s/]+/g, '-')}-v${version}.pdf`);
    const stored = await new EvidenceStore(this.ctx.config.filesDir).write(Readable.from([pdf]), {
      maxBytes: MAX_EVIDENCE_BYTES,
      mediaTypeOf: (head) => resolveEvidenceMediaType({ head, fileName, declaredType: 'application/pdf' }),
    });
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new EvidenceRepository(trx);
      const row = await repo.insert({
        sha256: stored.sha256,
        fileName,
        mediaType: stored.mediaType,
        sizeBytes: stored.sizeBytes,
        description: `Convention ${reference}, version ${version}, générée le ${document.generatedOn}`,
        organisationId,
        uploadedBy: actorId(actor),
      });
      await repo.insertLink({
        evidenceId: row.id,
        entityType: 'convention',
        entityId: conventionId,
        purpose: GENERATED_CONVENTION_PURPOSE,
      });
      const view = toEvidenceView(row, (await repo.linksOf([row.id])).get(row.id) ?? []);
      await recordAudit(
        trx,
        actor,
        {
          action: 'convention.document.generate',
          entityType: 'convention',
          entityId: conventionId,
          after: {
            evidenceId: row.id,
            sha256: stored.sha256,
            version,
            template: data.template === undefined ? 'default' : 'custom',
          },
        },
        this.ctx.now,
      );
      return view;
    });
  }

  /** The last generated PDF of the convention, checked against its SHA-256 (not_found when none). */
  async download(actor: Actor, conventionId: string): Promise<EvidenceDownload> {
    requireAccess(actor, 'convention.read');
    const convention = await new ConventionRepository(this.ctx.db).findById(conventionId);
    if (!convention) throw notFound('convention', conventionId);
    requireInScope(actor, 'convention', conventionId, convention.organisationId);
    const file = await new ConventionDocumentRepository(this.ctx.db).latestGenerated(conventionId);
    if (!file) throw notFound('convention document', conventionId);
    return new EvidenceService(this.ctx).open(actor, file.id);
  }

  private async read(actor: Actor, conventionId: string) {
    const db = this.ctx.db;
    const conventions = new ConventionRepository(db);
    const convention = await conventions.findById(conventionId);
    if (!convention) throw notFound('convention', conventionId);
    requireInScope(actor, 'convention', conventionId, convention.organisationId);
    const organisation = await new OrganisationRepository(db).findById(convention.organisationId);
    if (!organisation) throw notFound('organisation', convention.organisationId);
    const certifications = (await conventions.certificationsOf([conventionId])).get(conventionId) ?? [];
    const certificationIds = certifications.map((c) => c.id);
    const repo = new ConventionDocumentRepository(db);
    const [certifier, blocks, habilitations] = await Promise.all([
      repo.certifier(),
      repo.skillBlocksOf(certificationIds),
      repo.habilitationsOf(organisation.id, certificationIds),
    ]);
    const named = await repo.namedSkillBlocks(
      habilitations.filter((h) => !h.coversAllSkillBlocks).map((h) => h.id),
    );
    const namedIds = new Set(named.map((n) => n.skillBlockId));
    const document: ConventionDocumentData = {
      certifier: certifier ?? { name: 'L’organisme certificateur', siret: null, nda: null, address: null },
      partner: organisation,
      convention: {
        reference: convention.reference,
        version: convention.version,
        startsOn: convention.startsOn,
        endsOn: convention.endsOn,
        feePerCandidateCents: convention.feePerCandidateCents,
        annualFeeCents: convention.annualFeeCents,
        clauses: convention.clauses,
      },
      certifications: certifications.map((c) => {
        const own = habilitations.filter((h) => h.certificationId === c.id);
        const certificationBlocks = blocks.filter((b) => b.certificationId === c.id);
        // Without a habilitation yet, the convention is read as covering every block.
        const allBlocks = own.length === 0 || own.some((h) => h.coversAllSkillBlocks);
        return {
          code: c.code,
          title: c.title,
          allBlocks,
          skillBlocks: allBlocks
            ? certificationBlocks
            : certificationBlocks.filter((b) => namedIds.has(b.id)),
          scope: combineScopes(own.map((h) => h.scope as HabilitationScope)),
        };
      }),
      generatedOn: calendarDay(this.ctx.now()),
    };
    return {
      document,
      reference: convention.reference,
      version: convention.version,
      organisationId: convention.organisationId,
    };
  }
}
