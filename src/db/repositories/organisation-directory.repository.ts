import type { Database } from '../database.js';

/** The contacts and sites of organisations (tables of the domain model v1). */
export class OrganisationDirectoryRepository {
  constructor(private readonly db: Database) {}

  contactsOf(organisationId: string) {
    return this.db
      .selectFrom('organisationContacts')
      .selectAll()
      .where('organisationId', '=', organisationId)
      .orderBy('fullName')
      .orderBy('id')
      .execute();
  }

  sitesOf(organisationId: string) {
    return this.db
      .selectFrom('organisationSites')
      .selectAll()
      .where('organisationId', '=', organisationId)
      .orderBy('label')
      .orderBy('id')
      .execute();
  }

  insertContact(row: {
    organisationId: string;
    fullName: string;
    role: string | null;
    email: string | null;
    phone: string | null;
  }) {
    return this.db.insertInto('organisationContacts').values(row).returningAll().executeTakeFirstOrThrow();
  }

  insertSite(row: {
    organisationId: string;
    label: string;
    addressLine: string | null;
    postalCode: string | null;
    city: string | null;
  }) {
    return this.db.insertInto('organisationSites').values(row).returningAll().executeTakeFirstOrThrow();
  }

  /** Deletes one contact of the organisation; returns what it was, or undefined when there is none. */
  deleteContact(organisationId: string, id: string) {
    return this.db
      .deleteFrom('organisationContacts')
      .where('id', '=', id)
      .where('organisationId', '=', organisationId)
      .returningAll()
      .executeTakeFirst();
  }

  deleteSite(organisationId: string, id: string) {
    return this.db
      .deleteFrom('organisationSites')
      .where('id', '=', id)
      .where('organisationId', '=', organisationId)
      .returningAll()
      .executeTakeFirst();
  }
}
