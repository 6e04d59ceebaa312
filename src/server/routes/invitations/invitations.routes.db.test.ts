import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisation, TEST_PASSWORD } from '../../../../test/factories.js';
import { newTestServer, type SignedIn, system, type TestServer } from '../../../../test/server.js';
import { InvitationService } from '../../../services/invitation.service.js';
import { outboxDir, SmtpMailer } from '../../../services/mail/mailer.js';

const PASSWORD = 'Partenaire-Sud-2026';

describe('invitations', () => {
  let server: TestServer;
  let admin: SignedIn;
  let quality: SignedIn;
  let auditor: SignedIn;
  let partner: SignedIn;
  let orgId: string;

  /** Every message in the outbox, oldest first, as raw RFC 5322 text. */
  const outbox = async () => {
    const dir = outboxDir(server.services.ctx.config.dataDir);
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.eml')).sort();
    return Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')));
  };
  /** The link of the last message sent to an address. */
  const lastLinkTo = async (email: string) => {
    const mails = (await outbox()).filter((m) => m.includes(`To: ${email}`));
    return /https?:\/\/\S+\/setup\?token=[A-Za-z0-9_-]+/.exec(mails.at(-1) ?? '')?.[0];
  };
  const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;
  const invite = (user: SignedIn, payload: object) =>
    server.as(user, { method: 'POST', url: '/api/invitations', payload });
  const auditActions = async () =>
    (await server.as(admin, { method: 'GET', url: '/api/audit-log?limit=200' }))
      .json()
      .items.map((e: { action: string }) => e.action);

  beforeAll(async () => {
    server = await newTestServer();
    admin = await server.signIn('admin');
    quality = await server.signIn('quality_manager');
    auditor = await server.signIn('auditor');
    partner = await server.signIn('partner');
    orgId = (await server.services.organisations.create(system, buildOrganisation({ legalName: 'Formasud' })))
      .id;
  });
  afterAll(() => server.close());

  it('a quality manager invites a partner user: the mail (French) is in the outbox, the link works once', async () => {
    const res = await invite(quality, {
      email: 'hugo.leroy@formasud.example',
      displayName: 'Hugo Leroy',
      role: 'partner',
      organisationId: orgId,
    });
    expect(res.statusCode, res.body).toBe(201);
    const sent = res.json();
    expect(sent.invitation).toMatchObject({
      state: 'pending',
      role: 'partner',
      organisationName: 'Formasud',
    });
    expect(sent.mail).toEqual({ delivered: true, via: 'outbox', error: null });
    const mail = (await outbox()).find((m) => m.includes('To: hugo.leroy@formasud.example'))!;
    expect(mail).toContain('Subject: Votre compte Habilis vous attend');
    expect(mail).toContain('Pour activer votre compte, ouvrez ce lien et choisissez votre mot de passe');
    const link = await lastLinkTo('hugo.leroy@formasud.example');
    expect(link).toBe(sent.link);
    // Only the token's SHA-256 is stored.
    const stored = await sql<{ tokenHash: string }>`select token_hash from invitations`.execute(
      server.handle.db,
    );
    expect(stored.rows.map((r) => r.tokenHash)).not.toContain(tokenOf(link!));

    const lookup = await server.as(undefined, {
      method: 'POST',
      url: '/api/invitations/lookup',
      payload: { token: tokenOf(link!) },
    });
    expect(lookup.json()).toMatchObject({
      state: 'pending',
      email: 'hugo.leroy@formasud.example',
      organisationName: 'Formasud',
      role: 'partner',
    });

    const weak = await server.as(undefined, {
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token: tokenOf(link!), displayName: 'Hugo Leroy', password: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].field).toBe('password');

    const accepted = await server.as(undefined, {
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token: tokenOf(link!), displayName: 'Hugo Leroy', password: PASSWORD },
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json().user).toMatchObject({ role: 'partner', organisationId: orgId });
    expect(accepted.cookies.some((c) => c.name === 'habilis_session')).toBe(true);
    const hash = await sql<{
      passwordHash: string;
    }>`select password_hash from users where email = 'hugo.leroy@formasud.example'`.execute(server.handle.db);
    expect(hash.rows[0]?.passwordHash).toMatch(/^\$argon2id\$/);

    const again = await server.as(undefined, {
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token: tokenOf(link!), displayName: 'Intrus', password: PASSWORD },
    });
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({ code: 'setup_token_invalid', details: { state: 'accepted' } });
    const used = await server.as(undefined, {
      method: 'POST',
      url: '/api/invitations/lookup',
      payload: { token: tokenOf(link!) },
    });
    expect(used.json()).toMatchObject({ state: 'accepted', email: null });

    const login = await server.as(undefined, {
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'hugo.leroy@formasud.example', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    expect(await auditActions()).toEqual(
      expect.arrayContaining(['user.create', 'invitation.create', 'user.accept_invitation']),
    );
  });

  it('an expired link gets a clear answer; resending makes a new link and retires the old one', async () => {
    const sent = (
      await invite(admin, {
        email: 'lea.martin@formasud.example',
        displayName: 'Léa Martin',
        role: 'partner',
        organisationId: orgId,
      })
    ).json();
    const first = tokenOf(sent.link);
    // Eight days later (the link lasts seven).
    await sql`update invitations set expires_at = now() - interval '1 day' where id = ${sent.invitation.id}`.execute(
      server.handle.db,
    );
    const expired = await server.as(undefined, {
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token: first, displayName: 'Léa Martin', password: PASSWORD },
    });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().details.state).toBe('expired');
    const listed = await server.as(quality, {
      method: 'GET',
      url: `/api/invitations?organisationId=${orgId}&state=expired`,
    });
    expect(listed.json().items.map((i: { email: string }) => i.email)).toEqual([
      'lea.martin@formasud.example',
    ]);

    const resent = await server.as(quality, {
      method: 'POST',
      url: `/api/invitations/${sent.invitation.id}/resend`,
    });
    expect(resent.statusCode, resent.body).toBe(201);
    const second = tokenOf(resent.json().link);
    expect(second).not.toBe(first);
    expect(new Date(resent.json().invitation.expiresAt).getTime()).toBeGreaterThan(
      Date.now() + 6 * 86_400_000,
    );
    expect(await lastLinkTo('lea.martin@formasud.example')).toBe(resent.json().link);
    const old = await server.as(undefined, {
      method: 'POST',
      url: '/api/invitations/lookup',
      payload: { token: first },
    });
    expect(old.json().state).toBe('replaced');
    // The list shows each person's latest link only.
    const list = (
      await server.as(quality, { method: 'GET', url: `/api/invitations?organisationId=${orgId}` })
    ).json();
    expect(
      list.items.filter((i: { email: string }) => i.email === 'lea.martin@formasud.example'),
    ).toHaveLength(1);
    const ok = await server.as(undefined, {
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token: second, displayName: 'Léa Martin', password: PASSWORD },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await auditActions()).toContain('invitation.resend');
  });

  it('a revoked link stops working and the account stays closed; it can be invited again', async () => {
    const sent = (
      await invite(quality, {
        email: 'paul.roux@formasud.example',
        displayName: 'Paul Roux',
        role: 'partner',
        organisationId: orgId,
      })
    ).json();
    const revoked = await server.as(quality, {
      method: 'POST',
      url: `/api/invitations/${sent.invitation.id}/revoke`,
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().state).toBe('revoked');
    const accept = await server.as(undefined, {
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token: tokenOf(sent.link), displayName: 'Paul Roux', password: PASSWORD },
    });
    expect(accept.statusCode).toBe(410);
    expect(accept.json().details.state).toBe('revoked');
    const twice = await server.as(quality, {
      method: 'POST',
      url: `/api/invitations/${sent.invitation.id}/revoke`,
    });
    expect(twice.statusCode).toBe(409);
    expect(await auditActions()).toContain('invitation.revoke');

    const reinvited = await invite(quality, {
      email: 'paul.roux@formasud.example',
      displayName: 'Paul Roux',
      role: 'partner',
      organisationId: orgId,
    });
    expect(reinvited.statusCode, reinvited.body).toBe(201);
    const stillDead = await server.as(undefined, {
      method: 'POST',
      url: '/api/invitations/lookup',
      payload: { token: tokenOf(sent.link) },
    });
    expect(stillDead.json().state).toBe('revoked');
  });

  it('refuses a duplicate, an account that exists, an unknown organisation, a partner without one', async () => {
    const base = { displayName: 'Zoé Petit', role: 'partner', organisationId: orgId };
    expect((await invite(quality, { ...base, email: 'zoe@formasud.example' })).statusCode).toBe(201);
    const dup = await invite(quality, { ...base, email: 'ZOE@formasud.example' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0]).toEqual({ field: 'email', message: 'already invited' });
    const exists = await invite(quality, { ...base, email: 'hugo.leroy@formasud.example' });
    expect(exists.statusCode).toBe(409);
    const unknownOrg = await invite(quality, {
      ...base,
      email: 'x@formasud.example',
      organisationId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknownOrg.statusCode).toBe(404);
    const noOrg = await invite(quality, { ...base, email: 'y@formasud.example', organisationId: null });
    expect(noOrg.statusCode).toBe(400);
    expect(noOrg.json().errors[0].field).toBe('organisationId');
    const unknownLink = await server.as(undefined, {
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token: 'x'.repeat(43), displayName: 'Zoé', password: PASSWORD },
    });
    expect(unknownLink.json().details.state).toBe('unknown');
  });

  it('internal users are the admin’s to invite; a quality manager or auditor may not', async () => {
    const internal = { email: 'eva.auditrice@certif.example', displayName: 'Eva Auditrice', role: 'auditor' };
    const byQuality = await invite(quality, internal);
    expect(byQuality.statusCode).toBe(403);
    expect((await invite(auditor, { ...internal, role: 'partner', organisationId: orgId })).statusCode).toBe(
      403,
    );
    const byAdmin = await invite(admin, { ...internal, locale: 'en' });
    expect(byAdmin.statusCode, byAdmin.body).toBe(201);
    const mail = (await outbox()).find((m) => m.includes('To: eva.auditrice@certif.example'))!;
    expect(mail).toContain('choose your password');
    const internalList = await server.as(admin, { method: 'GET', url: '/api/invitations?audience=internal' });
    expect(internalList.json().items.map((i: { email: string }) => i.email)).toEqual([
      'eva.auditrice@certif.example',
    ]);
    // The quality manager cannot revoke or resend it either.
    const id = byAdmin.json().invitation.id;
    expect(
      (await server.as(quality, { method: 'POST', url: `/api/invitations/${id}/revoke` })).statusCode,
    ).toBe(403);
  });

  it('the users API without a password is an invitation too, redeemed on the setup endpoint', async () => {
    const created = await server.as(admin, {
      method: 'POST',
      url: '/api/users',
      payload: { email: 'jean.evaluateur@certif.example', displayName: 'Jean', role: 'evaluator' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const link = created.json().setupLink as string;
    expect(link).toMatch(/\/setup\?token=/);
    expect(await lastLinkTo('jean.evaluateur@certif.example')).toBe(link);
    const wrongEmail = await server.as(undefined, {
      method: 'POST',
      url: '/api/auth/setup',
      payload: {
        token: tokenOf(link),
        email: 'autre@certif.example',
        displayName: 'Jean',
        password: TEST_PASSWORD,
      },
    });
    expect(wrongEmail.statusCode).toBe(409);
    const setup = await server.as(undefined, {
      method: 'POST',
      url: '/api/auth/setup',
      payload: {
        token: tokenOf(link),
        email: 'jean.evaluateur@certif.example',
        displayName: 'Jean Évaluateur',
        password: TEST_PASSWORD,
      },
    });
    expect(setup.statusCode, setup.body).toBe(201);
    expect(setup.json().user).toMatchObject({ role: 'evaluator', displayName: 'Jean Évaluateur' });
  });

  it('a mail that cannot leave does not undo the invitation: the failure is recorded and shown', async () => {
    // Nothing listens on port 1: the SMTP connection is refused at once.
    const sut = new InvitationService({
      ...server.services.ctx,
      config: { ...server.services.ctx.config, smtpUrl: 'smtp://127.0.0.1:1' },
      mailer: new SmtpMailer('smtp://127.0.0.1:1', 'Habilis <no-reply@habilis.test>'),
    });
    const sent = await sut.invite(system, {
      email: 'nina.smtp@formasud.example',
      displayName: 'Nina',
      role: 'partner',
      organisationId: orgId,
    });
    expect(sent.mail).toMatchObject({ delivered: false, via: 'smtp', error: expect.any(String) });
    const listed = (await server.as(quality, { method: 'GET', url: `/api/invitations?q=nina.smtp` })).json();
    expect(listed.items).toMatchObject([{ state: 'pending', mailedAt: null, mailError: expect.any(String) }]);
  });

  it('a partner sees no invitation and cannot send one', async () => {
    expect((await server.as(partner, { method: 'GET', url: '/api/invitations' })).statusCode).toBe(403);
    expect(
      (
        await invite(partner, {
          email: 'a@b.example',
          displayName: 'A',
          role: 'partner',
          organisationId: partner.organisationId,
        })
      ).statusCode,
    ).toBe(403);
  });
});
