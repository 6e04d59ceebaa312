import { type Actor, permissions, type Role, requireAccess } from '../core/access/policy.js';
import { conflict, notFound } from '../core/errors.js';
import { type UserView, userInput, userPatch } from '../core/users/user.schema.js';
import { OrganisationRepository } from '../db/repositories/organisation.repository.js';
import { SessionRepository, UserRepository } from '../db/repositories/user.repository.js';
import type { UserRow } from '../db/schema.js';
import { recordAudit } from './audit.service.js';
import { hashPassword } from './auth/passwords.js';
import { InvitationService } from './invitation.service.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

export function toUserView(row: UserRow, now: Date = new Date()): UserView {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    role: row.role as Role,
    organisationId: row.organisationId,
    locale: row.locale as UserView['locale'],
    isActive: row.isActive,
    isLocked: row.lockedUntil !== null && row.lockedUntil > now,
    hasPassword: row.passwordHash !== null,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** What the audit log keeps of a user: never the password hash. */
const auditedUser = (row: UserRow) => {
  const { passwordHash: _, ...rest } = row;
  return { ...rest, hasPassword: row.passwordHash !== null };
};

const emailTaken = (email: string) =>
  conflict(`A user with e-mail ${email} already exists`, [{ field: 'email', message: 'already used' }]);

export const permissionsOf = (role: Role): string[] => [...permissions[role]];

export class UserService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(actor: Actor, query: { q?: string | undefined; limit: number; offset: number }) {
    requireAccess(actor, 'user.read');
    const { items, total } = await new UserRepository(this.ctx.db).list(query);
    const now = this.ctx.now();
    return { items: items.map((u) => toUserView(u, now)), total, limit: query.limit, offset: query.offset };
  }

  /**
   * Creates an account. With a password it can sign in at once; without one, it is an invitation (see
   * InvitationService): the person is e-mailed a one-time link, also returned here, to choose a password.
   */
  async create(actor: Actor, input: unknown): Promise<{ user: UserView; setupLink: string | null }> {
    requireAccess(actor, 'user.manage');
    const data = parseInput(userInput, input);
    const { password } = data;
    if (!password) {
      if (await new UserRepository(this.ctx.db).findByEmail(data.email)) throw emailTaken(data.email);
      // Without a password, an account is an invitation: the same link, e-mail, expiry and audit entries.
      const { password: _, ...invitation } = data;
      const sent = await new InvitationService(this.ctx).invite(actor, invitation);
      const user = await new UserRepository(this.ctx.db).findById(sent.invitation.userId);
      if (!user) throw notFound('user', sent.invitation.userId);
      return { user: toUserView(user, this.ctx.now()), setupLink: sent.link };
    }
    return this.ctx.db.transaction().execute(async (trx) => {
      const users = new UserRepository(trx);
      if (await users.findByEmail(data.email)) throw emailTaken(data.email);
      if (data.organisationId && !(await new OrganisationRepository(trx).findById(data.organisationId))) {
        throw notFound('organisation', data.organisationId);
      }
      const row = await users.insert({
        email: data.email,
        displayName: data.displayName,
        role: data.role,
        organisationId: data.organisationId ?? null,
        locale: data.locale,
        passwordHash: await hashPassword(password),
      });
      await recordAudit(
        trx,
        actor,
        { action: 'user.create', entityType: 'user', entityId: row.id, after: auditedUser(row) },
        this.ctx.now,
      );
      return { user: toUserView(row, this.ctx.now()), setupLink: null };
    });
  }

  async update(actor: Actor, id: string, input: unknown): Promise<UserView> {
    requireAccess(actor, 'user.manage');
    const changes = parseInput(userPatch, input);
    return this.ctx.db.transaction().execute(async (trx) => {
      const users = new UserRepository(trx);
      const before = await users.findById(id);
      if (!before) throw notFound('user', id);
      if (changes.role && (changes.role === 'partner') !== (before.role === 'partner')) {
        throw conflict(
          'A partner account cannot become a certifier account or the reverse: create a new account',
          [{ field: 'role', message: 'cannot cross between partner and certifier roles' }],
        );
      }
      if (
        actor.kind === 'user' &&
        actor.userId === id &&
        (changes.isActive === false || (changes.role && changes.role !== 'admin'))
      ) {
        throw conflict('You cannot deactivate or demote your own account', [
          { field: 'role', message: 'own account' },
        ]);
      }
      const reactivating = changes.isActive === true;
      const after = await users.update(id, {
        ...changes,
        ...(reactivating ? { failedLoginCount: 0, lockedUntil: null } : {}),
      });
      // A deactivated account is signed out everywhere at once.
      if (changes.isActive === false) await new SessionRepository(trx).deleteForUser(id);
      await recordAudit(
        trx,
        actor,
        {
          action: 'user.update',
          entityType: 'user',
          entityId: id,
          before: auditedUser(before),
          after: auditedUser(after),
        },
        this.ctx.now,
      );
      return toUserView(after, this.ctx.now());
    });
  }
}
