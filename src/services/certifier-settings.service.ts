import type { Selectable } from 'kysely';
import { type Actor, actorId, requireAccess } from '../core/access/policy.js';
import {
  type CertifierSettingsView,
  certifierSettingsInput,
  defaultCertifierSettings,
} from '../core/certifier/settings.schema.js';
import type { Database } from '../db/database.js';
import { CertifierSettingsRepository } from '../db/repositories/certifier-settings.repository.js';
import type { CertifierSettingsTable } from '../db/schema.js';
import { recordAudit } from './audit.service.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

type SettingsRow = Selectable<CertifierSettingsTable>;

function toView(row: SettingsRow | undefined): CertifierSettingsView {
  if (!row) return { ...defaultCertifierSettings };
  return {
    cdcClientId: row.cdcClientId,
    cdcContractId: row.cdcContractId,
    cdcDepositorClientId: row.cdcDepositorClientId,
    assessmentAfterTraining: row.assessmentAfterTraining,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
  };
}

/** The settings as other services read them (no access check: they are not shown, only applied). */
export async function readCertifierSettings(db: Database): Promise<CertifierSettingsView> {
  return toView(await new CertifierSettingsRepository(db).find());
}

/**
 * The certifier's chain settings: the CDC identifiers the accrochage flux carries (used by the CLI and the
 * UI export when they are not given), and the assessment-after-training rule. Every change is audited.
 */
export class CertifierSettingsService {
  constructor(private readonly ctx: ServiceContext) {}

  async get(actor: Actor): Promise<CertifierSettingsView> {
    requireAccess(actor, 'certifier.read');
    return readCertifierSettings(this.ctx.db);
  }

  async update(actor: Actor, input: unknown): Promise<CertifierSettingsView> {
    requireAccess(actor, 'certifier.manage');
    const changes = parseInput(certifierSettingsInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new CertifierSettingsRepository(trx);
      const before = toView(await repo.findForUpdate());
      const after = toView(
        await repo.save({
          ...changes,
          updatedBy: actorId(actor),
          updatedAt: this.ctx.now(),
        }),
      );
      const { updatedAt: _a, updatedBy: _b, ...auditedBefore } = before;
      const { updatedAt: _c, updatedBy: _d, ...auditedAfter } = after;
      await recordAudit(
        trx,
        actor,
        {
          action: 'certifier_settings.update',
          entityType: 'certifier_settings',
          entityId: '1',
          before: auditedBefore,
          after: auditedAfter,
        },
        this.ctx.now,
      );
      return after;
    });
  }
}
