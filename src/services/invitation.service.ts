import { type Actor, actorId, organisationScope, type Role, requireAccess } from '../core/access/policy.js';
import { AppError, conflict, notFound } from '../core/errors.js';
import {
  type InvitationLookup,
  type InvitationSent,
  type InvitationView,
  invitationAcceptInput,
  invitationInput,
  invitationListQuery,
  invitationLookupInput,
  invitationState,
} from '../core/invitations/invitation.schema.js';
import type { Database } from '../db/database.js';
import {
  InvitationRepository,
  type InvitationRow,
  type InvitationWithNames,
} from '../db/repositories/invitation.repository.js';
import { OrganisationRepository } from '../db/repositories/organisation.repository.js';
import { SessionRepository, UserRepository } from '../db/repositories/user.repository.js';
import type { UserRow } from '../db/schema.js';
import { recordAudit } from './audit.service.js';
import { AuthService, type NewSession } from './auth/auth.service.js';
import { hashPassword } from './auth/passwords.js';
import { newToken, tokenHash } from './auth/tokens.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { invitationMessage, type MailLocale } from './mail/messages.js';
import type { ServiceContext } from './service-context.js';
import { parseInput } from './validation.js';

export const DEFAULT_INVITATION_DAYS = 7;

/** The path of the page that redeems a link (the web app's setup page handles invitations too). */
export const invitationLink = (publicUrl: string, token: string): string =>
  `${publicUrl}/setup?token=${token}`;

/** What the audit log keeps of an invitation: never the token's hash. */
const audited = (row: InvitationRow) => {
  const { tokenHash: _, ...rest } = row;
  return rest;
};

export function toInvitationView(row: InvitationWithNames, now: Date): InvitationView {
  return {
    id: row.id,
    userId: row.userId,
    email: row.email,
    displayName: row.displayName,
    role: row.role as Role,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    state: invitationState(row, now),
    invitedBy: row.invitedByLabel,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    mailedAt: row.mailedAt?.toISOString() ?? null,
    mailError: row.mailError,
    acceptedAt: row.acceptedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

type Client = { ip?: string | undefined; userAgent?: string | undefined };

/**
 * Invitations by e-mail link. Inviting creates the account without a password and sends a one-time link
 * (only its SHA-256 is stored) that expires after `INVITATION_TTL_DAYS`; opening it lets the person choose
 * a password and signs them in. Resending makes a new link and retires the old one; revoking retires it
 * and deactivates the account that never got a password. Partner users may be invited by the admin and the
 * quality manager; internal users by the admin only. Everything is in the audit log.
 */
export class InvitationService {
  private readonly mailer: Mailer;

  constructor(private readonly ctx: ServiceContext) {
    this.mailer = ctx.mailer ?? createMailer(ctx.config);
  }

  private get days(): number {
    return this.ctx.config.invitationDays ?? DEFAULT_INVITATION_DAYS;
  }

  /** Internal accounts are the admin's to give; partner accounts also the quality manager's. */
  private requireMayInvite(actor: Actor, role: Role): void {
    requireAccess(actor, 'user.invite_partner');
    if (role !== 'partner') requireAccess(actor, 'user.manage');
  }

  async list(actor: Actor, input: unknown) {
    requireAccess(actor, 'user.read');
    const query = parseInput(invitationListQuery, input);
    const now = this.ctx.now();
    const { items, total } = await new InvitationRepository(this.ctx.db).list(query, now, query);
    return {
      items: items.map((row) => toInvitationView(row, now)),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  /**
   * Invites a person. An address that already has an account is refused, unless that account never got a
   * password (an earlier invitation that expired or was revoked): then it is invited again, with the new
   * name, role and organisation.
   */
  async invite(actor: Actor, input: unknown): Promise<InvitationSent> {
    const data = parseInput(invitationInput, input);
    this.requireMayInvite(actor, data.role);
    const token = newToken();
    const { row, user } = await this.ctx.db.transaction().execute(async (trx) => {
      const users = new UserRepository(trx);
      if (data.organisationId && !(await new OrganisationRepository(trx).findById(data.organisationId)))
        throw notFound('organisation', data.organisationId);
      const existing = await users.findByEmail(data.email);
      if (existing?.passwordHash) {
        throw conflict(`A user with e-mail ${data.email} already exists and can sign in`, [
          { field: 'email', message: 'already used' },
        ]);
      }
      const latest = existing
        ? await new InvitationRepository(trx).findLatestForUser(existing.id)
        : undefined;
      if (latest && invitationState(latest, this.ctx.now()) === 'pending' && existing?.isActive)
        throw conflict(`${data.email} is already invited: send the invitation again instead`, [
          { field: 'email', message: 'already invited' },
        ]);
      if (existing) this.requireMayInvite(actor, existing.role as Role);
      const fields = {
        displayName: data.displayName,
        role: data.role,
        organisationId: data.organisationId ?? null,
        locale: data.locale,
      };
      const user = existing
        ? await users.update(existing.id, {
            ...fields,
            isActive: true,
            failedLoginCount: 0,
            lockedUntil: null,
          })
        : await users.insert({ email: data.email, passwordHash: null, ...fields });
      await recordAudit(
        trx,
        actor,
        existing
          ? {
              action: 'user.update',
              entityType: 'user',
              entityId: user.id,
              before: { email: existing.email, role: existing.role, isActive: existing.isActive },
              after: { email: user.email, role: user.role, isActive: user.isActive },
            }
          : {
              action: 'user.create',
              entityType: 'user',
              entityId: user.id,
              after: {
                email: user.email,
                displayName: user.displayName,
                role: user.role,
                organisationId: user.organisationId,
                hasPassword: false,
              },
            },
        this.ctx.now,
      );
      const row = await this.insertInvitation(trx, actor, user, token, 'invitation.create');
      // An earlier link of the same account, not used nor withdrawn, must not come back to life with it.
      if (latest && !latest.acceptedAt && !latest.revokedAt)
        await new InvitationRepository(trx).update(latest.id, {
          replacedAt: this.ctx.now(),
          replacedBy: row.id,
        });
      return { row, user };
    });
    return this.mail(row, user, token);
  }

  /** A new link for a person not yet signed up (pending, expired or revoked); the previous link is retired. */
  async resend(actor: Actor, id: string): Promise<InvitationSent> {
    requireAccess(actor, 'user.invite_partner');
    const token = newToken();
    const { row, user } = await this.ctx.db.transaction().execute(async (trx) => {
      const repo = new InvitationRepository(trx);
      const before = await this.inScope(repo, actor, id);
      this.requireMayInvite(actor, before.role as Role);
      const state = invitationState(before, this.ctx.now());
      if (state === 'accepted')
        throw conflict('This invitation was accepted: the person already has an account');
      if (state === 'replaced')
        throw conflict('A newer link was sent since: send that invitation again instead');
      const users = new UserRepository(trx);
      const user = await users.findById(before.userId);
      if (!user) throw notFound('invitation', id);
      if (user.passwordHash) throw conflict('This person already chose a password and can sign in');
      const reactivated = user.isActive ? user : await users.update(user.id, { isActive: true });
      const row = await this.insertInvitation(trx, actor, reactivated, token, 'invitation.resend');
      const now = this.ctx.now();
      await repo.update(before.id, { replacedAt: now, replacedBy: row.id });
      return { row, user: reactivated };
    });
    return this.mail(row, user, token);
  }

  /** Retires a link not yet used; the account, which has no password, is deactivated with it. */
  async revoke(actor: Actor, id: string): Promise<InvitationView> {
    requireAccess(actor, 'user.invite_partner');
    return this.ctx.db.transaction().execute(async (trx) => {
      const repo = new InvitationRepository(trx);
      const before = await this.inScope(repo, actor, id);
      this.requireMayInvite(actor, before.role as Role);
      const now = this.ctx.now();
      const state = invitationState(before, now);
      if (state !== 'pending' && state !== 'expired')
        throw conflict(`This invitation cannot be revoked: it is ${state}`, [
          { field: 'id', message: `invitation ${state}` },
        ]);
      const after = await repo.update(id, { revokedAt: now, revokedBy: actorId(actor) });
      const users = new UserRepository(trx);
      const user = await users.findById(before.userId);
      if (user && !user.passwordHash && user.isActive) {
        await users.update(user.id, { isActive: false });
        await new SessionRepository(trx).deleteForUser(user.id);
      }
      await recordAudit(
        trx,
        actor,
        {
          action: 'invitation.revoke',
          entityType: 'invitation',
          entityId: id,
          before: audited(before),
          after: audited(after),
        },
        this.ctx.now,
      );
      const named = await repo.withNames(id);
      return toInvitationView(named!, now);
    });
  }

  /** What a link is worth, for the page that opens it; details only while it is usable. */
  async lookup(input: unknown): Promise<InvitationLookup> {
    const { token } = parseInput(invitationLookupInput, input);
    const repo = new InvitationRepository(this.ctx.db);
    const row = await repo.findByTokenHash(tokenHash(token));
    const empty = {
      email: null,
      displayName: null,
      role: null,
      organisationName: null,
      invitedBy: null,
      expiresAt: null,
    };
    if (!row) return { state: 'unknown', ...empty };
    const state = invitationState(row, this.ctx.now());
    if (state !== 'pending') return { state, ...empty };
    const named = await repo.withNames(row.id);
    const inviter = row.invitedBy ? await new UserRepository(this.ctx.db).findById(row.invitedBy) : undefined;
    return {
      state,
      email: row.email,
      displayName: named?.displayName ?? null,
      role: row.role as Role,
      organisationName: named?.organisationName ?? null,
      invitedBy: inviter?.displayName ?? row.invitedByLabel,
      expiresAt: row.expiresAt.toISOString(),
    };
  }

  /**
   * Redeems a link: sets the password (argon2id, the same rules as everywhere), spends the link and opens a
   * session. A used, expired, revoked, replaced or unknown link is refused with `setup_token_invalid`, its
   * state in `details.state`.
   */
  async accept(input: unknown, client: Client = {}): Promise<NewSession> {
    const data = parseInput(invitationAcceptInput, input);
    const passwordHash = await hashPassword(data.password);
    return this.ctx.db.transaction().execute(async (trx) => {
      const now = this.ctx.now();
      const repo = new InvitationRepository(trx);
      const row = await repo.findByTokenHashForUpdate(tokenHash(data.token));
      const state = row ? invitationState(row, now) : 'unknown';
      if (!row || state !== 'pending') throw invalidLink(state);
      const users = new UserRepository(trx);
      const invited = await users.findById(row.userId);
      if (!invited?.isActive) throw invalidLink('revoked');
      if (data.email && data.email.toLowerCase() !== invited.email.toLowerCase()) {
        throw conflict('This link was sent to another e-mail address', [
          { field: 'email', message: 'not the invited address' },
        ]);
      }
      if (data.password.toLowerCase().includes(invited.email.toLowerCase().split('@')[0] ?? '\u0000')) {
        throw new AppError('validation_failed', 'The password must not contain the e-mail name', {
          fields: [{ field: 'password', message: 'must not contain the e-mail name' }],
        });
      }
      const user = await users.update(invited.id, {
        passwordHash,
        displayName: data.displayName,
        failedLoginCount: 0,
        lockedUntil: null,
        lastLoginAt: now,
      });
      await repo.update(row.id, { acceptedAt: now });
      const self: Actor = {
        kind: 'user',
        userId: user.id,
        role: user.role as Role,
        organisationId: user.organisationId,
        label: user.email,
      };
      await recordAudit(
        trx,
        self,
        {
          action: 'user.accept_invitation',
          entityType: 'user',
          entityId: user.id,
          after: {
            email: user.email,
            role: user.role,
            organisationId: user.organisationId,
            invitationId: row.id,
          },
        },
        this.ctx.now,
      );
      return new AuthService(this.ctx).openSession(trx, user, client);
    });
  }

  /** An invitation as its actor may see it: a partner sees none (not found). */
  private async inScope(repo: InvitationRepository, actor: Actor, id: string): Promise<InvitationRow> {
    const row = await repo.findById(id);
    if (!row || organisationScope(actor) !== null) throw notFound('invitation', id);
    return row;
  }

  private async insertInvitation(
    trx: Database,
    actor: Actor,
    user: UserRow,
    token: string,
    action: 'invitation.create' | 'invitation.resend',
  ): Promise<InvitationRow> {
    const now = this.ctx.now();
    const row = await new InvitationRepository(trx).insert({
      tokenHash: tokenHash(token),
      userId: user.id,
      email: user.email,
      role: user.role,
      organisationId: user.organisationId,
      invitedBy: actorId(actor),
      invitedByLabel: actor.label,
      expiresAt: new Date(now.getTime() + this.days * 86_400_000),
    });
    await recordAudit(
      trx,
      actor,
      { action, entityType: 'invitation', entityId: row.id, after: audited(row) },
      this.ctx.now,
    );
    return row;
  }

  /** Sends the link after the commit; the outcome is recorded on the invitation (not in the audit chain). */
  private async mail(row: InvitationRow, user: UserRow, token: string): Promise<InvitationSent> {
    const repo = new InvitationRepository(this.ctx.db);
    const link = invitationLink(this.ctx.config.publicUrl, token);
    const inviter = row.invitedBy ? await new UserRepository(this.ctx.db).findById(row.invitedBy) : undefined;
    const message = invitationMessage(user.locale as MailLocale, {
      to: user.email,
      displayName: user.displayName,
      role: user.role as Role,
      organisationName: row.organisationId
        ? ((await repo.organisationName(row.organisationId)) ?? null)
        : null,
      certifierName: await repo.certifierName(),
      invitedBy: inviter?.displayName ?? row.invitedByLabel,
      link,
      expiresAt: row.expiresAt,
    });
    const outcome = await this.mailer.send(message);
    await repo.update(
      row.id,
      outcome.delivered
        ? { mailedAt: this.ctx.now(), mailError: null }
        : { mailError: outcome.error.slice(0, 500) },
    );
    const named = await repo.withNames(row.id);
    return {
      invitation: toInvitationView(named!, this.ctx.now()),
      link,
      mail: {
        delivered: outcome.delivered,
        via: outcome.via,
        error: outcome.delivered ? null : outcome.error,
      },
    };
  }
}

function invalidLink(state: string): AppError {
  const messages: Record<string, string> = {
    accepted: 'This invitation link was already used: sign in with your e-mail and password',
    expired: 'This invitation link has expired: ask the certifier to send it again',
    revoked: 'This invitation was withdrawn by the certifier',
    replaced: 'A newer invitation link was sent to you: use the latest e-mail',
    unknown: 'This invitation link is not valid: check that it was copied whole',
  };
  return new AppError('setup_token_invalid', messages[state] ?? messages.unknown!, { details: { state } });
}
