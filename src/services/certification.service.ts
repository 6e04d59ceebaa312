import { type Actor, requireAccess } from '../core/access/policy.js';
import { registerOf, skillBlockCodePrefix } from '../core/certifications/certification.js';
import {
  type CertificationDetail,
  type CertificationListQuery,
  type CertificationPage,
  type CertificationView,
  certificationInput,
  certificationPatch,
  type SkillBlockView,
  skillBlockInput,
  skillBlockPatch,
} from '../core/certifications/certification.schema.js';
import { AppError, conflict, notFound, validationFailed } from '../core/errors.js';
import {
  CertificationRepository,
  type CertificationRow,
  type SkillBlockRow,
} from '../db/repositories/certification.repository.js';
import { recordAudit } from './audit.service.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

export function toSkillBlockView(row: SkillBlockRow): SkillBlockView {
  return {
    id: row.id,
    certificationId: row.certificationId,
    code: row.code,
    title: row.title,
    competences: row.competences,
    assessmentRules: row.assessmentRules,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toCertificationView(row: CertificationRow, skillBlockCount: number): CertificationView {
  return {
    id: row.id,
    code: row.code,
    register: row.register,
    title: row.title,
    level: row.level,
    state: row.state,
    isActive: row.isActive,
    isOwned: row.isOwned,
    registeredOn: row.registeredOn,
    endsOn: row.endsOn,
    skillBlockCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const toDetail = (row: CertificationRow, blocks: SkillBlockRow[]): CertificationDetail => ({
  ...toCertificationView(row, blocks.length),
  skillBlocks: [...blocks].sort((a, b) => a.code.localeCompare(b.code)).map(toSkillBlockView),
});

/** A unique index refused the row: another writer got there between our check and our insert. */
const isUniqueViolation = (error: unknown): boolean => (error as { code?: unknown })?.code === '23505';

/**
 * Certifications (RNCP / RS fiches) and their skill blocks. Public data: every role that may read them
 * reads them all, partners included; certifier staff create and change them.
 */
export class CertificationService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(actor: Actor, query: CertificationListQuery): Promise<CertificationPage> {
    requireAccess(actor, 'certification.read');
    const { items, total } = await new CertificationRepository(this.ctx.db).list(query);
    return {
      items: items.map((row) => toCertificationView(row, row.skillBlockCount)),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  async get(actor: Actor, id: string): Promise<CertificationDetail> {
    requireAccess(actor, 'certification.read');
    const repo = new CertificationRepository(this.ctx.db);
    const row = await repo.findById(id);
    if (!row) throw notFound('certification', id);
    return toDetail(row, await repo.skillBlocksOf(id));
  }

  async create(actor: Actor, input: unknown): Promise<CertificationDetail> {
    requireAccess(actor, 'certification.manage');
    const data = parseInput(certificationInput, input);
    const duplicate = () =>
      conflict(`A certification with code ${data.code} already exists`, [
        { field: 'code', message: 'already registered' },
      ]);
    try {
      return await this.ctx.db.transaction().execute(async (trx) => {
        const repo = new CertificationRepository(trx);
        if (await repo.findByCode(data.code)) throw duplicate();
        const { skillBlocks, ...fields } = data;
        const row = await repo.insert({ ...fields, register: registerOf(data.code) });
        const blocks = await repo.insertSkillBlocks(
          skillBlocks.map((b) => ({
            certificationId: row.id,
            code: b.code,
            title: b.title,
            competences: b.competences ?? null,
            assessmentRules: b.assessmentRules ?? null,
          })),
        );
        const view = toDetail(row, blocks);
        await recordAudit(
          trx,
          actor,
          { action: 'certification.create', entityType: 'certification', entityId: row.id, after: view },
          this.ctx.now,
        );
        return view;
      });
    } catch (error) {
      // Skill block codes start with the new, unique fiche code, so a unique violation is the fiche code.
      if (isUniqueViolation(error)) throw duplicate();
      throw error;
    }
  }

  async update(actor: Actor, id: string, input: unknown): Promise<CertificationDetail> {
    requireAccess(actor, 'certification.manage');
    const changes = parseInput(certificationPatch, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new CertificationRepository(trx);
      const before = await repo.findById(id);
      if (!before) throw notFound('certification', id);
      const registeredOn = changes.registeredOn === undefined ? before.registeredOn : changes.registeredOn;
      const endsOn = changes.endsOn === undefined ? before.endsOn : changes.endsOn;
      if (registeredOn && endsOn && endsOn < registeredOn)
        throw validationFailed([
          { field: 'endsOn', message: `must not be before registeredOn (${registeredOn})` },
        ]);
      const after = await repo.update(id, changes);
      const blocks = await repo.skillBlocksOf(id);
      const view = toDetail(after, blocks);
      await recordAudit(
        trx,
        actor,
        {
          action: 'certification.update',
          entityType: 'certification',
          entityId: id,
          before: toCertificationView(before, blocks.length),
          after: toCertificationView(after, blocks.length),
        },
        this.ctx.now,
      );
      return view;
    });
  }

  async addSkillBlock(actor: Actor, certificationId: string, input: unknown): Promise<SkillBlockView> {
    requireAccess(actor, 'certification.manage');
    const data = parseInput(skillBlockInput, input);
    const taken = () =>
      conflict(`The skill block code ${data.code} is already used`, [
        { field: 'code', message: 'already used' },
      ]);
    try {
      return await this.ctx.db.transaction().execute(async (trx) => {
        const repo = new CertificationRepository(trx);
        const certification = await repo.findById(certificationId);
        if (!certification) throw notFound('certification', certificationId);
        const prefix = skillBlockCodePrefix(certification.code);
        if (!data.code.startsWith(prefix))
          throw validationFailed([{ field: 'code', message: `must start with ${prefix}` }]);
        if ((await repo.findSkillBlocksByCodes([data.code])).length > 0) throw taken();
        const [row] = await repo.insertSkillBlocks([
          {
            certificationId,
            code: data.code,
            title: data.title,
            competences: data.competences ?? null,
            assessmentRules: data.assessmentRules ?? null,
          },
        ]);
        if (!row) throw new AppError('internal', 'The skill block was not inserted');
        await repo.update(certificationId, {});
        const view = toSkillBlockView(row);
        await recordAudit(
          trx,
          actor,
          { action: 'skill_block.create', entityType: 'skill_block', entityId: row.id, after: view },
          this.ctx.now,
        );
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw taken();
      throw error;
    }
  }

  async updateSkillBlock(
    actor: Actor,
    certificationId: string,
    skillBlockId: string,
    input: unknown,
  ): Promise<SkillBlockView> {
    requireAccess(actor, 'certification.manage');
    const changes = parseInput(skillBlockPatch, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new CertificationRepository(trx);
      const before = await repo.findSkillBlockById(skillBlockId);
      // A block asked for under another certification's path does not exist there.
      if (!before || before.certificationId !== certificationId) throw notFound('skill block', skillBlockId);
      const after = Object.keys(changes).length ? await repo.updateSkillBlock(skillBlockId, changes) : before;
      await repo.update(certificationId, {});
      const view = toSkillBlockView(after);
      await recordAudit(
        trx,
        actor,
        {
          action: 'skill_block.update',
          entityType: 'skill_block',
          entityId: skillBlockId,
          before: toSkillBlockView(before),
          after: view,
        },
        this.ctx.now,
      );
      return view;
    });
  }
}
