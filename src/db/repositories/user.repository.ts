import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../database.js';
import type { DB, UserRow } from '../schema.js';

export class UserRepository {
  constructor(private readonly db: Database) {}

  findById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where(sql`lower(email)`, '=', email.toLowerCase())
      .executeTakeFirst();
  }

  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return r.n;
  }

  async list(filter: { q?: string | undefined; limit: number; offset: number }) {
    let base = this.db.selectFrom('users');
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      base = base.where((eb) => eb.or([eb('email', 'ilike', like), eb('displayName', 'ilike', like)]));
    }
    const [items, count] = await Promise.all([
      base
        .selectAll()
        .orderBy(sql`lower(display_name)`)
        .orderBy('id')
        .limit(filter.limit)
        .offset(filter.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n };
  }

  insert(row: Insertable<DB['users']>): Promise<UserRow> {
    return this.db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
  }

  update(id: string, changes: Updateable<DB['users']>): Promise<UserRow> {
    return this.db
      .updateTable('users')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}

export class SessionRepository {
  constructor(private readonly db: Database) {}

  insert(row: Insertable<DB['sessions']>) {
    return this.db.insertInto('sessions').values(row).execute();
  }

  /** The live session and its user in one round trip, or undefined when unknown or expired. */
  findLiveWithUser(id: string, now: Date) {
    return this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.userId')
      .selectAll('users')
      .select([
        'sessions.csrfToken',
        'sessions.lastSeenAt as sessionLastSeenAt',
        'sessions.expiresAt as sessionExpiresAt',
        'sessions.createdAt as sessionCreatedAt',
      ])
      .where('sessions.id', '=', id)
      .where('sessions.expiresAt', '>', now)
      .executeTakeFirst();
  }

  touch(id: string, now: Date, expiresAt: Date) {
    return this.db.updateTable('sessions').set({ lastSeenAt: now, expiresAt }).where('id', '=', id).execute();
  }

  delete(id: string) {
    return this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  deleteForUser(userId: string, exceptId?: string) {
    let q = this.db.deleteFrom('sessions').where('userId', '=', userId);
    if (exceptId) q = q.where('id', '<>', exceptId);
    return q.execute();
  }

  deleteExpired(now: Date) {
    return this.db.deleteFrom('sessions').where('expiresAt', '<=', now).execute();
  }
}

export class SetupTokenRepository {
  constructor(private readonly db: Database) {}

  insert(row: Insertable<DB['setupTokens']>) {
    return this.db.insertInto('setupTokens').values(row).execute();
  }

  findUsable(tokenHash: string, now: Date) {
    return this.db
      .selectFrom('setupTokens')
      .selectAll()
      .where('tokenHash', '=', tokenHash)
      .where('usedAt', 'is', null)
      .where('expiresAt', '>', now)
      .executeTakeFirst();
  }

  markUsed(tokenHash: string, now: Date) {
    return this.db
      .updateTable('setupTokens')
      .set({ usedAt: now })
      .where('tokenHash', '=', tokenHash)
      .execute();
  }

  revokeUnused(purpose: 'first_admin' | 'invitation' | 'password_reset', now: Date, userId?: string) {
    let q = this.db
      .updateTable('setupTokens')
      .set({ usedAt: now })
      .where('purpose', '=', purpose)
      .where('usedAt', 'is', null);
    if (userId) q = q.where('userId', '=', userId);
    return q.execute();
  }
}
