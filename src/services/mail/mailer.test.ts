import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { composeEml, createMailer, OutboxMailer, outboxDir, SmtpMailer } from './mailer.js';
import { invitationMessage, requestMessage } from './messages.js';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'habilis-mail-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const invitation = {
  to: 'hugo.leroy@formasud.example',
  displayName: 'Hugo Leroy',
  role: 'partner' as const,
  organisationName: 'Formasud',
  certifierName: 'Certif Qualité',
  invitedBy: 'Claire Bernard',
  link: 'https://habilis.example/setup?token=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  expiresAt: new Date('2026-11-30T13:00:00Z'),
};

describe('mailer', () => {
  it('uses SMTP only when SMTP_URL is set, the outbox under the data dir otherwise', async () => {
    const dataDir = await tempDir();
    const outbox = createMailer({ dataDir });
    expect(outbox).toBeInstanceOf(OutboxMailer);
    expect((outbox as OutboxMailer).dir).toBe(outboxDir(dataDir));
    expect(createMailer({ dataDir, smtpUrl: 'smtp://localhost:2525' })).toBeInstanceOf(SmtpMailer);
  });

  it('writes one readable .eml per message and logs its link', async () => {
    const dataDir = await tempDir();
    const mailer = createMailer({ dataDir, mailFrom: 'Certif <qualite@certif.example>' });
    const lines: [string, string, Record<string, unknown>][] = [];
    mailer.setLog((level, line, details) => lines.push([level, line, details]));
    const first = await mailer.send(invitationMessage('fr', invitation));
    await mailer.send(invitationMessage('en', { ...invitation, to: 'lea@formasud.example' }));
    expect(first).toMatchObject({ delivered: true, via: 'outbox' });
    const files = (await readdir(outboxDir(dataDir))).sort();
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.endsWith('.eml'))).toBe(true);
    const eml = await readFile(path.join(outboxDir(dataDir), files[0]!), 'utf8');
    expect(eml).toContain('From: Certif <qualite@certif.example>\r\nTo: hugo.leroy@formasud.example\r\n');
    expect(eml).toContain('Content-Transfer-Encoding: 8bit');
    // The link is whole, on its own line: it can be copied from the file.
    expect(eml).toContain(`\r\n${invitation.link}\r\n`);
    expect(eml).toContain(
      'Claire Bernard vous invite à rejoindre l’espace partenaire de Certif Qualité pour Formasud.',
    );
    expect(lines.map(([level, , d]) => [level, d.link])).toEqual([
      ['warn', invitation.link],
      ['warn', invitation.link],
    ]);
  });

  it('reports, not throws, a delivery that failed', async () => {
    const dataDir = await tempDir();
    // A file where the outbox directory should be: the write fails.
    const blocked = new OutboxMailer(path.join(dataDir, 'file', 'outbox'), 'x@y.example');
    await import('node:fs/promises').then((fs) => fs.writeFile(path.join(dataDir, 'file'), 'not a dir'));
    const outcome = await blocked.send(invitationMessage('fr', invitation));
    expect(outcome.delivered).toBe(false);
  });

  it('encodes a non-ASCII subject as an RFC 2047 word', () => {
    const eml = composeEml(
      'Habilis <a@b.example>',
      { to: 'x@y.example', subject: 'Réponse acceptée', text: 'ok' },
      new Date(0),
      'id',
    );
    expect(eml).toContain(`Subject: =?UTF-8?B?${Buffer.from('Réponse acceptée').toString('base64')}?=`);
    expect(eml).toContain('Message-ID: <id@b.example>');
  });
});

describe('mail texts', () => {
  it('invites in French by default wording and in English, with the expiry in Paris time', () => {
    const fr = invitationMessage('fr', invitation);
    expect(fr.subject).toBe('Certif Qualité : votre compte Habilis vous attend');
    expect(fr.text).toContain('30 novembre 2026 à 14:00');
    const en = invitationMessage('en', { ...invitation, organisationName: null, role: 'auditor' });
    expect(en.text).toContain(
      "Claire Bernard invites you to Habilis, Certif Qualité's quality system, as auditor.",
    );
    expect(en.text).toContain('30 November 2026');
  });

  it('tells each step of a request, quoting the message', () => {
    const base = {
      to: 'a@b.example',
      displayName: 'Hugo',
      title: 'Émargements',
      organisationName: 'Formasud',
      dueOn: '2026-12-07',
      message: 'Ligne 1\nLigne 2',
      link: 'https://habilis.example/requests/1',
    };
    const created = requestMessage('fr', { ...base, event: 'created' });
    expect(created.subject).toBe('Nouvelle demande : Émargements');
    expect(created.text).toContain('pour le 7 décembre 2026');
    expect(created.text).toContain('> Ligne 1\n> Ligne 2');
    expect(requestMessage('fr', { ...base, event: 'reopened' }).subject).toBe(
      'Demande relancée : Émargements',
    );
    expect(requestMessage('en', { ...base, event: 'answered' }).subject).toBe(
      'Formasud answered: Émargements',
    );
    expect(requestMessage('en', { ...base, event: 'accepted', message: null }).text).not.toContain('>');
  });
});
