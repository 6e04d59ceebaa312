import { type Insertable, type Selectable, sql } from 'kysely';
import type { Database } from '../database.js';
import type { InvitationsTable } from '../schema.js';

export type InvitationRow = Selectable<InvitationsTable>;
export type InvitationWithNames = InvitationRow & {
  displayName: string;
  organisationName: string | null;
};

export interface InvitationFilter {
  organisationId?: string | undefined;
  state?: 'pending' | 'accepted' | 'expired' | 'revoked' | 'replaced' | undefined;
  audience?: 'partner' | 'internal' | undefined;
  q?: string | undefined;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class InvitationRepository {
  constructor(private readonly db: Database) {}

  insert(row: Insertable<InvitationsTable>): Promise<InvitationRow> {
    return this.db.insertInto('invitations').values(row).returningAll().executeTakeFirstOrThrow();
  }

  findById(id: string): Promise<InvitationRow | undefined> {
    return this.db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Locks the row until the transaction ends: two clicks on the same link cannot both redeem it. */
  findByTokenHashForUpdate(tokenHash: string): Promise<InvitationRow | undefined> {
    return this.db
      .selectFrom('invitations')
      .selectAll()
      .where('tokenHash', '=', tokenHash)
      .forUpdate()
      .executeTakeFirst();
  }

  findByTokenHash(tokenHash: string): Promise<InvitationRow | undefined> {
    return this.db
      .selectFrom('invitations')
      .selectAll()
      .where('tokenHash', '=', tokenHash)
      .executeTakeFirst();
  }

  /** The user's invitation still in play (neither replaced), newest first. */
  findLatestForUser(userId: string): Promise<InvitationRow | undefined> {
    return this.db
      .selectFrom('invitations')
      .selectAll()
      .where('userId', '=', userId)
      .where('replacedAt', 'is', null)
      .orderBy('createdAt', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  update(id: string, changes: Partial<Insertable<InvitationsTable>>): Promise<InvitationRow> {
    return this.db
      .updateTable('invitations')
      .set(changes)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async withNames(id: string): Promise<InvitationWithNames | undefined> {
    return this.base().where('invitations.id', '=', id).executeTakeFirst();
  }

  private base() {
    return this.db
      .selectFrom('invitations')
      .innerJoin('users', 'users.id', 'invitations.userId')
      .leftJoin('organisations', 'organisations.id', 'invitations.organisationId')
      .selectAll('invitations')
      .select(['users.displayName', 'organisations.legalName as organisationName']);
  }

  /** The latest link of each invited person (replaced ones are history), newest first. */
  async list(
    filter: InvitationFilter,
    now: Date,
    page: { limit: number; offset: number },
  ): Promise<{ items: InvitationWithNames[]; total: number }> {
    let q = this.base().where('invitations.replacedAt', 'is', null);
    if (filter.organisationId) q = q.where('invitations.organisationId', '=', filter.organisationId);
    if (filter.audience === 'partner') q = q.where('invitations.role', '=', 'partner');
    if (filter.audience === 'internal') q = q.where('invitations.role', '<>', 'partner');
    if (filter.q) {
      const like = `%${escapeLike(filter.q)}%`;
      q = q.where((eb) =>
        eb.or([eb('invitations.email', 'ilike', like), eb('users.displayName', 'ilike', like)]),
      );
    }
    switch (filter.state) {
      case 'accepted':
        q = q.where('invitations.acceptedAt', 'is not', null);
        break;
      case 'revoked':
        q = q.where('invitations.revokedAt', 'is not', null);
        break;
      case 'replaced':
        // Replaced links are not in this list (it shows each person's latest link).
        return { items: [], total: 0 };
      case 'pending':
      case 'expired':
        q = q
          .where('invitations.acceptedAt', 'is', null)
          .where('invitations.revokedAt', 'is', null)
          .where('invitations.expiresAt', filter.state === 'pending' ? '>' : '<=', now);
        break;
      default:
        break;
    }
    const [items, count] = await Promise.all([
      q
        .orderBy('invitations.createdAt', 'desc')
        .orderBy('invitations.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      q
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n };
  }

  /** The certifier's name, for the mail (null before it is set). */
  async certifierName(): Promise<string | null> {
    const row = await this.db.selectFrom('certifier').select('name').executeTakeFirst();
    return row?.name ?? null;
  }

  organisationName(id: string): Promise<string | undefined> {
    return this.db
      .selectFrom('organisations')
      .select('legalName')
      .where('id', '=', id)
      .executeTakeFirst()
      .then((r) => r?.legalName);
  }

  /** Used by tests and reports: how many links a person was sent. */
  async countForUser(userId: string): Promise<number> {
    const r = await this.db
      .selectFrom('invitations')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('userId', '=', userId)
      .executeTakeFirstOrThrow();
    return r.n;
  }
}
