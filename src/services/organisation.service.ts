import { type Actor, organisationScope, requireAccess, requireInScope } from '../core/access/policy.js';
import { conflict, notFound } from '../core/errors.js';
import {
  type OrganisationListQuery,
  type OrganisationPage,
  type OrganisationView,
  organisationInput,
  organisationPatch,
} from '../core/organisations/organisation.schema.js';
import { sirenOf } from '../core/validators/identifiers.js';
import { OrganisationRepository } from '../db/repositories/organisation.repository.js';
import type { OrganisationRow } from '../db/schema.js';
import { recordAudit } from './audit.service.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

export function toOrganisationView(row: OrganisationRow): OrganisationView {
  return {
    id: row.id,
    siret: row.siret,
    siren: row.siren,
    nda: row.nda,
    legalName: row.legalName,
    tradeName: row.tradeName,
    addressLine: row.addressLine,
    postalCode: row.postalCode,
    city: row.city,
    region: row.region,
    email: row.email,
    phone: row.phone,
    website: row.website,
    qualiopiStatus: row.qualiopiStatus as OrganisationView['qualiopiStatus'],
    qualiopiCategories: row.qualiopiCategories,
    qualiopiExpiresOn: row.qualiopiExpiresOn,
    notes: row.notes,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export class OrganisationService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(actor: Actor, query: OrganisationListQuery): Promise<OrganisationPage> {
    requireAccess(actor, 'organisation.read');
    const { items, total } = await new OrganisationRepository(this.ctx.db).list(
      query,
      organisationScope(actor),
    );
    return { items: items.map(toOrganisationView), total, limit: query.limit, offset: query.offset };
  }

  async get(actor: Actor, id: string): Promise<OrganisationView> {
    requireAccess(actor, 'organisation.read');
    requireInScope(actor, 'organisation', id, id);
    const row = await new OrganisationRepository(this.ctx.db).findById(id);
    if (!row) throw notFound('organisation', id);
    return toOrganisationView(row);
  }

  async create(actor: Actor, input: unknown): Promise<OrganisationView> {
    requireAccess(actor, 'organisation.create');
    const data = parseInput(organisationInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new OrganisationRepository(trx);
      const existing = await repo.findBySiret(data.siret);
      if (existing) {
        throw conflict(`An organisation with SIRET ${data.siret} already exists (${existing.legalName})`, [
          { field: 'siret', message: 'already registered' },
        ]);
      }
      const row = await repo.insert({ ...data, siren: sirenOf(data.siret) });
      await recordAudit(
        trx,
        actor,
        {
          action: 'organisation.create',
          entityType: 'organisation',
          entityId: row.id,
          after: toOrganisationView(row),
        },
        this.ctx.now,
      );
      return toOrganisationView(row);
    });
  }

  async update(actor: Actor, id: string, input: unknown): Promise<OrganisationView> {
    requireAccess(actor, 'organisation.update');
    requireInScope(actor, 'organisation', id, id);
    const changes = parseInput(organisationPatch, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new OrganisationRepository(trx);
      const before = await repo.findById(id);
      if (!before) throw notFound('organisation', id);
      const after = await repo.update(id, changes);
      await recordAudit(
        trx,
        actor,
        {
          action: 'organisation.update',
          entityType: 'organisation',
          entityId: id,
          before: toOrganisationView(before),
          after: toOrganisationView(after),
        },
        this.ctx.now,
      );
      return toOrganisationView(after);
    });
  }

  async archive(actor: Actor, id: string): Promise<OrganisationView> {
    requireAccess(actor, 'organisation.archive');
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new OrganisationRepository(trx);
      const before = await repo.findById(id);
      if (!before) throw notFound('organisation', id);
      if (before.archivedAt) return toOrganisationView(before);
      const after = await repo.update(id, { archivedAt: this.ctx.now() });
      await recordAudit(
        trx,
        actor,
        {
          action: 'organisation.archive',
          entityType: 'organisation',
          entityId: id,
          before: toOrganisationView(before),
          after: toOrganisationView(after),
        },
        this.ctx.now,
      );
      return toOrganisationView(after);
    });
  }
}
