import { sql } from 'kysely';
import type { Database } from '../database.js';

export interface EndingRow {
  id: string;
  organisationId: string;
  organisationName: string;
  /** The convention's reference, or the habilitation's certification code. */
  label: string;
  status: string;
  startsOn: string;
  endsOn: string;
  /** For a habilitation: its certification (a renewal is looked for on the same pair); null otherwise. */
  certificationId: string | null;
}

export interface SuccessorRow {
  id: string;
  organisationId: string;
  certificationId: string | null;
  label: string;
  status: string;
  startsOn: string;
}

export interface EndingFilter {
  from: string;
  to: string;
  organisationIds?: string[] | undefined;
}

/** Statuses in which a habilitation is still granted and will end (final ones have ended already). */
const GRANTED = ['active', 'under_watch', 'suspended'];
/** Statuses of a habilitation that may take over: granted, or an application under way. */
const SUCCESSOR_HABILITATION = ['application', 'review', 'active', 'under_watch', 'suspended'];
/** Statuses of a convention that may take over: being drafted, sent or signed. */
const SUCCESSOR_CONVENTION = ['draft', 'sent', 'signed'];

export class AlertRepository {
  constructor(private readonly db: Database) {}

  /**
   * Signed conventions whose term falls within [from, to] and that no termination ends earlier. (A
   * terminated convention has status terminated: it is not listed.)
   */
  async conventionsEnding(filter: EndingFilter): Promise<EndingRow[]> {
    if (filter.organisationIds?.length === 0) return [];
    let query = this.db
      .selectFrom('conventions')
      .innerJoin('organisations', 'organisations.id', 'conventions.organisationId')
      .select([
        'conventions.id',
        'conventions.organisationId',
        'organisations.legalName as organisationName',
        'conventions.reference as label',
        'conventions.status',
        'conventions.startsOn',
        sql<string>`conventions.ends_on`.as('endsOn'),
        sql<string | null>`null::uuid`.as('certificationId'),
      ])
      .where('conventions.status', '=', 'signed')
      .where('conventions.endsOn', '>=', filter.from)
      .where('conventions.endsOn', '<=', filter.to);
    if (filter.organisationIds)
      query = query.where('conventions.organisationId', 'in', filter.organisationIds);
    return query.orderBy('conventions.endsOn').orderBy('conventions.id').execute();
  }

  /** Granted habilitations (active, under watch, suspended) whose period ends within [from, to]. */
  async habilitationsEnding(filter: EndingFilter): Promise<EndingRow[]> {
    if (filter.organisationIds?.length === 0) return [];
    let query = this.db
      .selectFrom('habilitations')
      .innerJoin('organisations', 'organisations.id', 'habilitations.organisationId')
      .innerJoin('certifications', 'certifications.id', 'habilitations.certificationId')
      .select([
        'habilitations.id',
        'habilitations.organisationId',
        'organisations.legalName as organisationName',
        'certifications.code as label',
        'habilitations.status',
        'habilitations.startsOn',
        sql<string>`habilitations.ends_on`.as('endsOn'),
        'habilitations.certificationId',
      ])
      .where('habilitations.status', 'in', GRANTED)
      .where('habilitations.endsOn', '>=', filter.from)
      .where('habilitations.endsOn', '<=', filter.to);
    if (filter.organisationIds)
      query = query.where('habilitations.organisationId', 'in', filter.organisationIds);
    return query.orderBy('habilitations.endsOn').orderBy('habilitations.id').execute();
  }

  /** Conventions of these organisations that could renew another: drafted, sent or signed. */
  async conventionSuccessors(organisationIds: readonly string[]): Promise<SuccessorRow[]> {
    if (organisationIds.length === 0) return [];
    return this.db
      .selectFrom('conventions')
      .select([
        'id',
        'organisationId',
        sql<string | null>`null::uuid`.as('certificationId'),
        'reference as label',
        'status',
        'startsOn',
      ])
      .where('organisationId', 'in', [...organisationIds])
      .where('status', 'in', SUCCESSOR_CONVENTION)
      .orderBy('startsOn')
      .execute();
  }

  /** Habilitations of these organisations that could renew another: applied for or granted. */
  async habilitationSuccessors(organisationIds: readonly string[]): Promise<SuccessorRow[]> {
    if (organisationIds.length === 0) return [];
    return this.db
      .selectFrom('habilitations')
      .innerJoin('certifications', 'certifications.id', 'habilitations.certificationId')
      .select([
        'habilitations.id',
        'habilitations.organisationId',
        'habilitations.certificationId',
        'certifications.code as label',
        'habilitations.status',
        'habilitations.startsOn',
      ])
      .where('habilitations.organisationId', 'in', [...organisationIds])
      .where('habilitations.status', 'in', SUCCESSOR_HABILITATION)
      .orderBy('habilitations.startsOn')
      .execute();
  }
}
