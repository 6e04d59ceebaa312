import { type Actor, actorId, requireAccess } from '../core/access/policy.js';
import {
  type ControlListQuery,
  type ControlPage,
  type ControlStatus,
  type ControlView,
  canMoveControl,
  controlInput,
  controlPatch,
} from '../core/controls/control.schema.js';
import { conflict, notFound, validationFailed } from '../core/errors.js';
import type { Database } from '../db/database.js';
import { ChainReferenceRepository } from '../db/repositories/chain-reference.repository.js';
import { ChecklistRepository } from '../db/repositories/checklist.repository.js';
import { ControlRepository, type ControlRow } from '../db/repositories/control.repository.js';
import { recordAudit } from './audit.service.js';
import { requireCertification, todayOf } from './chain-support.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

export function toControlView(row: ControlRow): ControlView {
  return {
    id: row.id,
    kind: row.kind as ControlView['kind'],
    ruleId: row.ruleId,
    title: row.title,
    organisationId: row.organisationId,
    certificationId: row.certificationId,
    status: row.status as ControlStatus,
    plannedOn: row.plannedOn,
    performedOn: row.performedOn,
    performedBy: row.performedBy,
    checklistTemplateId: row.checklistTemplateId,
    findingCount: row.findingCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Controls: automated rule runs and the audits people plan and perform (certifier staff and auditors only). */
export class ControlService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(actor: Actor, query: ControlListQuery): Promise<ControlPage> {
    requireAccess(actor, 'control.read');
    const { items, total } = await new ControlRepository(this.ctx.db).list(query);
    return { items: items.map(toControlView), total, limit: query.limit, offset: query.offset };
  }

  async get(actor: Actor, id: string): Promise<ControlView> {
    requireAccess(actor, 'control.read');
    return toControlView(await this.load(this.ctx.db, id));
  }

  async create(actor: Actor, input: unknown): Promise<ControlView> {
    requireAccess(actor, 'control.manage');
    const data = parseInput(controlInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const refs = new ChainReferenceRepository(trx);
      if (data.organisationId && !(await refs.organisationExists(data.organisationId)))
        throw validationFailed([
          { field: 'organisationId', message: `no organisation ${data.organisationId}` },
        ]);
      if (data.certificationId) await requireCertification(refs, data.certificationId);
      if (data.checklistTemplateId) {
        const template = await new ChecklistRepository(trx).findTemplate(data.checklistTemplateId);
        if (!template)
          throw validationFailed([
            { field: 'checklistTemplateId', message: `no checklist ${data.checklistTemplateId}` },
          ]);
        if (template.kind !== data.kind)
          throw validationFailed([
            { field: 'checklistTemplateId', message: `a ${template.kind} checklist, not a ${data.kind} one` },
          ]);
      }
      const repo = new ControlRepository(trx);
      const id = await repo.insert({
        kind: data.kind,
        ruleId: data.ruleId ?? null,
        title: data.title,
        organisationId: data.organisationId ?? null,
        certificationId: data.certificationId ?? null,
        plannedOn: data.plannedOn ?? null,
        checklistTemplateId: data.checklistTemplateId ?? null,
      });
      const view = toControlView(await this.load(trx, id));
      await recordAudit(
        trx,
        actor,
        { action: 'control.create', entityType: 'control', entityId: id, after: view },
        this.ctx.now,
      );
      return view;
    });
  }

  /** Changes a control; marking it done records who performed it and, unless given, when (today). */
  async update(actor: Actor, id: string, input: unknown): Promise<ControlView> {
    requireAccess(actor, 'control.manage');
    const changes = parseInput(controlPatch, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, id);
      const from = row.status as ControlStatus;
      if (changes.status && !canMoveControl(from, changes.status))
        throw conflict(`A control cannot go from ${from} to ${changes.status}`, [
          { field: 'status', message: `not allowed from ${from}` },
        ]);
      const done = changes.status === 'done' && from !== 'done';
      await new ControlRepository(trx).update(id, {
        ...changes,
        ...(done
          ? {
              performedBy: actorId(actor),
              performedOn: changes.performedOn ?? row.performedOn ?? todayOf(this.ctx.now),
            }
          : {}),
      });
      const after = toControlView(await this.load(trx, id));
      await recordAudit(
        trx,
        actor,
        { action: 'control.update', entityType: 'control', entityId: id, before: toControlView(row), after },
        this.ctx.now,
      );
      return after;
    });
  }

  private async load(db: Database, id: string): Promise<ControlRow> {
    const row = await new ControlRepository(db).findById(id);
    if (!row) throw notFound('control', id);
    return row;
  }
}
