import { type Actor, requireAccess, requireInScope } from '../core/access/policy.js';
import { conflict, notFound } from '../core/errors.js';
import {
  type ContactView,
  contactInput,
  type OrganisationDirectory,
  type SiteView,
  siteInput,
} from '../core/organisations/directory.schema.js';
import type { Database } from '../db/database.js';
import { OrganisationRepository } from '../db/repositories/organisation.repository.js';
import { OrganisationDirectoryRepository } from '../db/repositories/organisation-directory.repository.js';
import { recordAudit } from './audit.service.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

type ContactRow = Awaited<ReturnType<OrganisationDirectoryRepository['contactsOf']>>[number];
type SiteRow = Awaited<ReturnType<OrganisationDirectoryRepository['sitesOf']>>[number];

const toContactView = (r: ContactRow): ContactView => ({
  id: r.id,
  organisationId: r.organisationId,
  fullName: r.fullName,
  role: r.role,
  email: r.email,
  phone: r.phone,
  createdAt: r.createdAt.toISOString(),
});

const toSiteView = (r: SiteRow): SiteView => ({
  id: r.id,
  organisationId: r.organisationId,
  label: r.label,
  addressLine: r.addressLine,
  postalCode: r.postalCode,
  city: r.city,
  createdAt: r.createdAt.toISOString(),
});

/**
 * The people to reach at an organisation and the sites where it trains or holds exams. Every change is an
 * audit entry about the organisation, so it shows in the partner's timeline.
 */
export class OrganisationDirectoryService {
  constructor(private readonly ctx: ServiceContext) {}

  async get(actor: Actor, organisationId: string): Promise<OrganisationDirectory> {
    requireAccess(actor, 'organisation.read');
    requireInScope(actor, 'organisation', organisationId, organisationId);
    await this.organisation(this.ctx.db, organisationId);
    const repo = new OrganisationDirectoryRepository(this.ctx.db);
    const [contacts, sites] = await Promise.all([
      repo.contactsOf(organisationId),
      repo.sitesOf(organisationId),
    ]);
    return { contacts: contacts.map(toContactView), sites: sites.map(toSiteView) };
  }

  async addContact(actor: Actor, organisationId: string, input: unknown): Promise<ContactView> {
    requireAccess(actor, 'organisation.update');
    const data = parseInput(contactInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      await this.organisation(trx, organisationId, true);
      const row = await new OrganisationDirectoryRepository(trx).insertContact({
        organisationId,
        fullName: data.fullName,
        role: data.role ?? null,
        email: data.email ?? null,
        phone: data.phone ?? null,
      });
      const view = toContactView(row);
      await this.audit(trx, actor, 'organisation.contact_add', organisationId, null, view);
      return view;
    });
  }

  async removeContact(actor: Actor, organisationId: string, contactId: string): Promise<null> {
    requireAccess(actor, 'organisation.update');
    return this.ctx.db.transaction().execute(async (trx) => {
      await this.organisation(trx, organisationId);
      const row = await new OrganisationDirectoryRepository(trx).deleteContact(organisationId, contactId);
      if (!row) throw notFound('contact', contactId);
      await this.audit(trx, actor, 'organisation.contact_remove', organisationId, toContactView(row), null);
      return null;
    });
  }

  async addSite(actor: Actor, organisationId: string, input: unknown): Promise<SiteView> {
    requireAccess(actor, 'organisation.update');
    const data = parseInput(siteInput, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      await this.organisation(trx, organisationId, true);
      const row = await new OrganisationDirectoryRepository(trx).insertSite({
        organisationId,
        label: data.label,
        addressLine: data.addressLine ?? null,
        postalCode: data.postalCode ?? null,
        city: data.city ?? null,
      });
      const view = toSiteView(row);
      await this.audit(trx, actor, 'organisation.site_add', organisationId, null, view);
      return view;
    });
  }

  async removeSite(actor: Actor, organisationId: string, siteId: string): Promise<null> {
    requireAccess(actor, 'organisation.update');
    return this.ctx.db.transaction().execute(async (trx) => {
      await this.organisation(trx, organisationId);
      const row = await new OrganisationDirectoryRepository(trx).deleteSite(organisationId, siteId);
      if (!row) throw notFound('site', siteId);
      await this.audit(trx, actor, 'organisation.site_remove', organisationId, toSiteView(row), null);
      return null;
    });
  }

  /** The organisation must exist; adding to an archived one is refused (it is out of the network). */
  private async organisation(db: Database, id: string, mustBeActive = false) {
    const row = await new OrganisationRepository(db).findById(id);
    if (!row) throw notFound('organisation', id);
    if (mustBeActive && row.archivedAt)
      throw conflict(`${row.legalName} is archived: its contacts and sites no longer change`);
    return row;
  }

  private audit(
    trx: Database,
    actor: Actor,
    action: string,
    organisationId: string,
    before: unknown,
    after: unknown,
  ) {
    return recordAudit(
      trx,
      actor,
      { action, entityType: 'organisation', entityId: organisationId, before, after },
      this.ctx.now,
    );
  }
}
