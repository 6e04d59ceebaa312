import { type Actor, actorId, requireAccess } from '../core/access/policy.js';
import {
  type AuditItemView,
  type AuditKind,
  type AuditSheetView,
  auditKinds,
  auditProgress,
  type ChecklistTemplateView,
  type CheckpointResult,
  type CheckpointView,
  checklistTemplateInput,
  checkpointResultInput,
  findingSeverityOf,
  type RequirementFramework,
} from '../core/controls/checklist.schema.js';
import type { ControlStatus } from '../core/controls/control.schema.js';
import { conflict, notFound, validationFailed } from '../core/errors.js';
import type { FindingStatus } from '../core/findings/finding-status.js';
import type { Database } from '../db/database.js';
import {
  ChecklistRepository,
  type ChecklistTemplateRow,
  type CheckpointRow,
} from '../db/repositories/checklist.repository.js';
import { ControlRepository, type ControlRow } from '../db/repositories/control.repository.js';
import { FindingRepository } from '../db/repositories/finding.repository.js';
import { recordAudit } from './audit.service.js';
import { isoOrNull } from './chain-support.js';
import { toControlView } from './control.service.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

const toCheckpointView = (c: CheckpointRow): CheckpointView => ({
  id: c.id,
  position: c.position,
  code: c.code,
  question: c.question,
  guidance: c.guidance,
  requirementFramework: c.requirementFramework as RequirementFramework,
  requirementRef: c.requirementRef,
});

const toTemplateView = (t: ChecklistTemplateRow, checkpoints: CheckpointRow[]): ChecklistTemplateView => ({
  id: t.id,
  code: t.code,
  kind: t.kind as AuditKind,
  title: t.title,
  description: t.description,
  isActive: t.isActive,
  checkpoints: checkpoints.filter((c) => c.templateId === t.id).map(toCheckpointView),
});

/**
 * Planned controls as the auditor performs them: checklists (templates whose checkpoints cite a
 * requirement), and the audit sheet where each checkpoint gets its result, saved one by one as the auditor
 * goes. A minor or major result raises a finding about the audited partner (or updates the one it raised);
 * a result changed back to conform dismisses that finding while nobody has qualified it yet.
 */
export class AuditChecklistService {
  constructor(private readonly ctx: ServiceContext) {}

  async listTemplates(actor: Actor, kind?: string): Promise<{ items: ChecklistTemplateView[] }> {
    requireAccess(actor, 'control.read');
    if (kind !== undefined && !(auditKinds as readonly string[]).includes(kind))
      throw validationFailed([{ field: 'kind', message: `one of ${auditKinds.join(', ')}` }]);
    const repo = new ChecklistRepository(this.ctx.db);
    const templates = await repo.listTemplates(kind);
    const checkpoints = await repo.checkpointsOf(templates.map((t) => t.id));
    return { items: templates.map((t) => toTemplateView(t, checkpoints)) };
  }

  async createTemplate(actor: Actor, input: unknown): Promise<ChecklistTemplateView> {
    requireAccess(actor, 'control.manage');
    const data = parseInput(checklistTemplateInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new ChecklistRepository(trx);
      if (await repo.findTemplateByCode(data.code))
        throw conflict(`A checklist with code ${data.code} already exists`, [
          { field: 'code', message: 'already used' },
        ]);
      const id = await repo.insertTemplate(
        { code: data.code, kind: data.kind, title: data.title, description: data.description ?? null },
        data.checkpoints.map((c, i) => ({
          position: i + 1,
          code: c.code,
          question: c.question,
          guidance: c.guidance ?? null,
          requirementFramework: c.requirementFramework,
          requirementRef: c.requirementRef,
        })),
      );
      const template = await repo.findTemplate(id);
      if (!template) throw notFound('checklist', id);
      const view = toTemplateView(template, await repo.checkpointsOf([id]));
      await recordAudit(
        trx,
        actor,
        { action: 'checklist.create', entityType: 'checklist', entityId: id, after: view },
        this.ctx.now,
      );
      return view;
    });
  }

  /** The audit sheet: the control, its checklist, each checkpoint with its result so far. */
  async sheet(actor: Actor, controlId: string): Promise<AuditSheetView> {
    requireAccess(actor, 'control.read');
    return this.buildSheet(this.ctx.db, controlId);
  }

  /**
   * Records (or changes) the result of one checkpoint. A planned audit starts (in_progress) with its first
   * result; a done or cancelled one is refused.
   */
  async recordResult(
    actor: Actor,
    controlId: string,
    checkpointId: string,
    input: unknown,
  ): Promise<AuditSheetView> {
    requireAccess(actor, 'control.manage');
    const data = parseInput(checkpointResultInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const control = await this.loadControl(trx, controlId);
      const status = control.status as ControlStatus;
      if (status === 'done' || status === 'cancelled')
        throw conflict(`The audit is ${status}: its results can no longer change`);
      if (!control.checklistTemplateId)
        throw conflict('The audit has no checklist: choose one before recording results');
      const checklists = new ChecklistRepository(trx);
      const checkpoint = await checklists.findCheckpoint(control.checklistTemplateId, checkpointId);
      if (!checkpoint) throw notFound('checkpoint', checkpointId);
      const previous = await checklists.findResult(controlId, checkpointId);
      const findings = new FindingRepository(trx);
      const severity = findingSeverityOf(data.result as CheckpointResult);
      const comment = data.comment ?? null;
      let findingId = previous?.findingId ?? null;
      const existing = findingId ? await findings.findById(findingId) : undefined;
      const stillOpen = existing?.status === ('open' satisfies FindingStatus);

      if (severity) {
        const title = `${checkpoint.code} — ${checkpoint.question}`.slice(0, 300);
        const description = `${comment}\n\nExigence : ${checkpoint.requirementRef}.`;
        if (existing && existing.status !== 'closed') {
          // Already raised: a finding nobody has qualified yet follows the auditor's latest reading.
          if (stillOpen) {
            const after = await findings.update(existing.id, { severity, description });
            await recordAudit(
              trx,
              actor,
              {
                action: 'finding.update',
                entityType: 'finding',
                entityId: existing.id,
                before: { severity: existing.severity, description: existing.description },
                after: { severity: after.severity, description: after.description },
              },
              this.ctx.now,
            );
          }
        } else {
          const row = await findings.insert({
            controlId,
            organisationId: control.organisationId,
            certificationId: control.certificationId,
            title,
            description,
            severity,
            source: JSON.stringify({
              checkpoint: checkpoint.code,
              requirement: checkpoint.requirementRef,
              framework: checkpoint.requirementFramework,
              controlKind: control.kind,
            }),
            openedAt: this.ctx.now(),
          });
          findingId = row.id;
          await recordAudit(
            trx,
            actor,
            {
              action: 'finding.create',
              entityType: 'finding',
              entityId: row.id,
              after: { status: 'open', severity, title, controlId, checkpoint: checkpoint.code },
            },
            this.ctx.now,
          );
        }
      } else if (existing && stillOpen) {
        // Read again as conform (or not applicable) before anyone qualified it: the finding is dismissed.
        await findings.update(existing.id, { status: 'closed', closedAt: this.ctx.now() });
        await recordAudit(
          trx,
          actor,
          {
            action: 'finding.transition',
            entityType: 'finding',
            entityId: existing.id,
            before: { status: 'open' },
            after: { status: 'closed', note: `checkpoint ${checkpoint.code} re-assessed: ${data.result}` },
          },
          this.ctx.now,
        );
      }

      await checklists.upsertResult({
        controlId,
        checkpointId,
        result: data.result,
        comment,
        findingId,
        recordedBy: actorId(actor),
        recordedAt: this.ctx.now(),
      });
      if (status === 'planned') await new ControlRepository(trx).update(controlId, { status: 'in_progress' });
      await recordAudit(
        trx,
        actor,
        {
          action: 'control.checkpoint',
          entityType: 'control',
          entityId: controlId,
          before: previous ? { checkpoint: checkpoint.code, result: previous.result } : null,
          after: { checkpoint: checkpoint.code, result: data.result, comment, findingId },
        },
        this.ctx.now,
      );
      return this.buildSheet(trx, controlId);
    });
  }

  private async loadControl(db: Database, id: string): Promise<ControlRow> {
    const row = await new ControlRepository(db).findById(id);
    if (!row) throw notFound('control', id);
    return row;
  }

  private async buildSheet(db: Database, controlId: string): Promise<AuditSheetView> {
    const control = await this.loadControl(db, controlId);
    const repo = new ChecklistRepository(db);
    const template = control.checklistTemplateId
      ? await repo.findTemplate(control.checklistTemplateId)
      : null;
    const checkpoints = template ? await repo.checkpointsOf([template.id]) : [];
    const results = new Map((await repo.resultsOf(controlId)).map((r) => [r.checkpointId, r]));
    const items: AuditItemView[] = checkpoints.map((c) => {
      const r = results.get(c.id);
      return {
        checkpoint: toCheckpointView(c),
        result: (r?.result as CheckpointResult | undefined) ?? null,
        comment: r?.comment ?? null,
        findingId: r?.findingId ?? null,
        recordedAt: isoOrNull(r?.recordedAt ?? null),
      };
    });
    return {
      control: toControlView(control),
      organisationName: await repo.organisationName(control.organisationId),
      template: template
        ? {
            id: template.id,
            code: template.code,
            kind: template.kind as AuditKind,
            title: template.title,
            description: template.description,
            isActive: template.isActive,
          }
        : null,
      items,
      progress: auditProgress(items),
    };
  }
}
