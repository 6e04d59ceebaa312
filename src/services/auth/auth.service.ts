import type { Actor, Role } from '../../core/access/policy.js';
import { AppError, conflict } from '../../core/errors.js';
import {
  loginInput,
  passwordChangeInput,
  type SessionView,
  setupInput,
} from '../../core/users/user.schema.js';
import {
  SessionRepository,
  SetupTokenRepository,
  UserRepository,
} from '../../db/repositories/user.repository.js';
import type { UserRow } from '../../db/schema.js';
import { recordAudit } from '../audit.service.js';
import { InvitationService } from '../invitation.service.js';
import type { ServiceContext } from '../service-context.js';
import { permissionsOf, toUserView } from '../user.service.js';
import { parseInput } from '../validation.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords.js';
import { newToken, safeEqual, tokenHash } from './tokens.js';

export const SESSION_COOKIE = 'habilis_session';
/** A session ends after 8 hours without a request, and after 7 days in any case. */
export const SESSION_IDLE_MS = 8 * 3_600_000;
const SESSION_MAX_MS = 7 * 86_400_000;
/** Five wrong passwords in a row lock the account for 15 minutes (an admin can unlock it sooner). */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MS = 15 * 60_000;
const SETUP_TOKEN_MS = 24 * 3_600_000;

export interface SessionContext {
  actor: Extract<Actor, { kind: 'user' }>;
  sessionId: string;
  csrfToken: string;
}

interface CachedSession {
  context: SessionContext;
  version: number;
  expiresAt: Date;
  lastSeenAt: Date;
}
/** A session's last-seen time is written at most this often. */
const SESSION_TOUCH_MS = 60_000;
const SESSION_CACHE_MAX = 10_000;

export interface NewSession {
  token: string;
  view: SessionView;
  maxAgeSeconds: number;
}

const actorOf = (user: UserRow): SessionContext['actor'] => ({
  kind: 'user',
  userId: user.id,
  role: user.role as Role,
  organisationId: user.organisationId,
  label: user.email,
});

export class AuthService {
  /** Live sessions by token hash, while the data they were read from is unchanged (see `authenticate`). */
  private readonly sessionCache = new Map<string, CachedSession>();

  constructor(private readonly ctx: ServiceContext) {}

  private view(user: UserRow, csrfToken: string): SessionView {
    return {
      user: toUserView(user, this.ctx.now()),
      csrfToken,
      permissions: permissionsOf(user.role as Role),
    };
  }

  /** Opens a session for a user who just proved who they are (sign-in, setup, accepted invitation). */
  async openSession(
    db: ServiceContext['db'],
    user: UserRow,
    client: { ip?: string | undefined; userAgent?: string | undefined },
  ): Promise<NewSession> {
    const token = newToken();
    const csrfToken = newToken();
    const now = this.ctx.now();
    await new SessionRepository(db).insert({
      id: tokenHash(token),
      userId: user.id,
      csrfToken,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
      ip: client.ip ?? null,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    });
    return { token, view: this.view(user, csrfToken), maxAgeSeconds: SESSION_MAX_MS / 1000 };
  }

  /**
   * Checks e-mail and password. The same `invalid_credentials` answer for an unknown e-mail and a wrong
   * password (and the same time spent), so the form does not reveal which accounts exist.
   */
  async login(
    input: unknown,
    client: { ip?: string | undefined; userAgent?: string | undefined } = {},
  ): Promise<NewSession> {
    const { email, password } = parseInput(loginInput, input);
    const users = new UserRepository(this.ctx.db);
    const user = await users.findByEmail(email);
    const now = this.ctx.now();
    if (!user?.passwordHash || !user.isActive) {
      await burnPasswordCheck(password);
      throw new AppError('invalid_credentials', 'Wrong e-mail or password');
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      throw new AppError('account_locked', 'Too many failed sign-ins: this account is locked for a while', {
        details: { lockedUntil: user.lockedUntil.toISOString() },
      });
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      const failed = user.failedLoginCount + 1;
      const locks = failed >= MAX_FAILED_LOGINS;
      await this.ctx.db.transaction().execute(async (trx) => {
        await new UserRepository(trx).update(user.id, {
          failedLoginCount: locks ? 0 : failed,
          lockedUntil: locks ? new Date(now.getTime() + LOCK_MS) : user.lockedUntil,
        });
        if (locks) {
          await recordAudit(
            trx,
            { kind: 'system', label: 'auth' },
            { action: 'user.lock', entityType: 'user', entityId: user.id, after: { failedLogins: failed } },
            this.ctx.now,
          );
        }
      });
      throw new AppError('invalid_credentials', 'Wrong e-mail or password');
    }
    return this.ctx.db.transaction().execute(async (trx) => {
      const updated = await new UserRepository(trx).update(user.id, {
        failedLoginCount: 0,
        lockedUntil: null,
        lastLoginAt: now,
      });
      return this.openSession(trx, updated, client);
    });
  }

  /**
   * The session behind a cookie token, sliding its idle expiry; undefined when unknown, expired or disabled.
   * Every request asks, so a live session is kept in memory for as long as nothing in the database changed
   * (`dataVersion`: any write here, any change announced by another process) and at most until its next
   * touch is due; sign-out, a disabled user or a role change are writes, and end that at once.
   */
  async authenticate(token: string | undefined): Promise<SessionContext | undefined> {
    if (!token || token.length > 200) return undefined;
    const now = this.ctx.now();
    const id = tokenHash(token);
    // Read before the database is: a change committed meanwhile makes what is stored below stale at once.
    const version = this.ctx.dataVersion?.current();
    const cached = this.sessionCache.get(id);
    if (
      cached &&
      cached.version === version &&
      now < cached.expiresAt &&
      now.getTime() - cached.lastSeenAt.getTime() <= SESSION_TOUCH_MS
    ) {
      return cached.context;
    }
    this.sessionCache.delete(id);
    const sessions = new SessionRepository(this.ctx.db);
    const live = await sessions.findLiveWithUser(id, now);
    if (!live?.isActive) return undefined;
    const { csrfToken, sessionLastSeenAt, sessionExpiresAt, sessionCreatedAt, ...user } = live;
    const context: SessionContext = { actor: actorOf(user), sessionId: id, csrfToken };
    // Touch at most once a minute: a busy user does not write on every request.
    if (now.getTime() - sessionLastSeenAt.getTime() > SESSION_TOUCH_MS) {
      // Sliding, but never past the 7 days after sign-in.
      const idleEnd = now.getTime() + SESSION_IDLE_MS;
      const hardEnd = sessionCreatedAt.getTime() + SESSION_MAX_MS;
      await sessions.touch(id, now, new Date(Math.min(idleEnd, hardEnd)));
      return context;
    }
    if (version !== undefined) {
      if (this.sessionCache.size >= SESSION_CACHE_MAX) {
        const oldest = this.sessionCache.keys().next().value;
        if (oldest !== undefined) this.sessionCache.delete(oldest);
      }
      this.sessionCache.set(id, {
        context,
        version,
        expiresAt: sessionExpiresAt,
        lastSeenAt: sessionLastSeenAt,
      });
    }
    return context;
  }

  /** The CSRF token sent back by the client must be the session's own. */
  checkCsrf(session: SessionContext, sent: string | undefined): void {
    if (!sent || !safeEqual(sent, session.csrfToken)) {
      throw new AppError('csrf_failed', 'Missing or wrong CSRF token: reload the page and try again');
    }
  }

  async currentSession(session: SessionContext): Promise<SessionView> {
    const user = await new UserRepository(this.ctx.db).findById(session.actor.userId);
    if (!user) throw new AppError('unauthenticated', 'Your session has ended');
    return this.view(user, session.csrfToken);
  }

  async logout(session: SessionContext): Promise<void> {
    await new SessionRepository(this.ctx.db).delete(session.sessionId);
  }

  async changePassword(session: SessionContext, input: unknown): Promise<void> {
    const { currentPassword, newPassword } = parseInput(passwordChangeInput, input);
    const users = new UserRepository(this.ctx.db);
    const user = await users.findById(session.actor.userId);
    if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) {
      throw new AppError('invalid_credentials', 'The current password is wrong', {
        fields: [{ field: 'currentPassword', message: 'wrong password' }],
      });
    }
    const passwordHash = await hashPassword(newPassword);
    await this.ctx.db.transaction().execute(async (trx) => {
      await new UserRepository(trx).update(user.id, { passwordHash });
      await new SessionRepository(trx).deleteForUser(user.id, session.sessionId);
      await recordAudit(
        trx,
        session.actor,
        { action: 'user.password_change', entityType: 'user', entityId: user.id },
        this.ctx.now,
      );
    });
  }

  /**
   * On a database without any user, makes a one-time link (valid 24 h) for creating the first admin and
   * returns it; any earlier unused link stops working. Returns null once an account exists.
   */
  async firstAdminSetupLink(): Promise<string | null> {
    return this.ctx.db.transaction().execute(async (trx) => {
      if ((await new UserRepository(trx).count()) > 0) return null;
      const tokens = new SetupTokenRepository(trx);
      const now = this.ctx.now();
      await tokens.revokeUnused('first_admin', now);
      const token = newToken();
      await tokens.insert({
        tokenHash: tokenHash(token),
        purpose: 'first_admin',
        userId: null,
        expiresAt: new Date(now.getTime() + SETUP_TOKEN_MS),
      });
      return `${this.ctx.config.publicUrl}/setup?token=${token}`;
    });
  }

  async needsSetup(): Promise<boolean> {
    return (await new UserRepository(this.ctx.db).count()) === 0;
  }

  /**
   * Redeems a setup link: the first admin's (creates the account) or an invitation's (sets the invited
   * account's password). Either way the link is spent and the person is signed in.
   */
  async completeSetup(
    input: unknown,
    client: { ip?: string | undefined; userAgent?: string | undefined } = {},
  ): Promise<NewSession> {
    const data = parseInput(setupInput, input);
    // Invitations (InvitationService) share the /setup page and this endpoint: their links are redeemed there.
    if (!(await new SetupTokenRepository(this.ctx.db).findUsable(tokenHash(data.token), this.ctx.now()))) {
      const invitations = new InvitationService(this.ctx);
      if ((await invitations.lookup({ token: data.token })).state !== 'unknown')
        return invitations.accept(data, client);
    }
    const passwordHash = await hashPassword(data.password);
    return this.ctx.db.transaction().execute(async (trx) => {
      const now = this.ctx.now();
      const tokens = new SetupTokenRepository(trx);
      const users = new UserRepository(trx);
      const hashed = tokenHash(data.token);
      const token = await tokens.findUsable(hashed, now);
      if (!token) throw new AppError('setup_token_invalid', 'This setup link is invalid, used or expired');
      let user: UserRow;
      if (token.purpose === 'first_admin') {
        if ((await users.count()) > 0) throw new AppError('setup_token_invalid', 'Habilis is already set up');
        user = await users.insert({
          email: data.email,
          displayName: data.displayName,
          role: 'admin',
          passwordHash,
        });
      } else {
        const invited = token.userId ? await users.findById(token.userId) : undefined;
        if (!invited)
          throw new AppError('setup_token_invalid', 'This setup link is invalid, used or expired');
        if (invited.email.toLowerCase() !== data.email.toLowerCase()) {
          throw conflict('This link was sent to another e-mail address', [
            { field: 'email', message: 'not the invited address' },
          ]);
        }
        user = await users.update(invited.id, { passwordHash, displayName: data.displayName });
      }
      await tokens.markUsed(hashed, now);
      await recordAudit(
        trx,
        {
          kind: 'user',
          userId: user.id,
          role: user.role as Role,
          organisationId: user.organisationId,
          label: user.email,
        },
        {
          action: token.purpose === 'first_admin' ? 'user.setup_first_admin' : 'user.accept_invitation',
          entityType: 'user',
          entityId: user.id,
          after: { email: user.email, role: user.role },
        },
        this.ctx.now,
      );
      return this.openSession(trx, user, client);
    });
  }
}
