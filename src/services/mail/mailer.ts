import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config/env.js';

/** One message, already in the recipient's language. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The one link the message is about (an invitation, a request), logged when the message goes to the outbox. */
  link?: string | undefined;
}

/** What became of a message: sent over SMTP, or written to the outbox (no SMTP configured). */
export type MailOutcome =
  | { delivered: true; via: 'smtp'; messageId: string }
  | { delivered: true; via: 'outbox'; file: string }
  | { delivered: false; via: 'smtp' | 'outbox'; error: string };

export type MailLog = (
  level: 'info' | 'warn' | 'error',
  line: string,
  details: Record<string, unknown>,
) => void;

export interface Mailer {
  readonly via: 'smtp' | 'outbox';
  send(message: MailMessage): Promise<MailOutcome>;
  /** Where messages are reported (the server's logger); silent until set. */
  setLog(log: MailLog): void;
}

export type MailConfig = Pick<Config, 'dataDir'> & Partial<Pick<Config, 'smtpUrl' | 'mailFrom'>>;

const DEFAULT_FROM = 'Habilis <no-reply@habilis.local>';

/** The outbox: one RFC 5322 `.eml` file per message, under the data dir, when no SMTP server is configured. */
export const outboxDir = (dataDir: string): string => path.join(dataDir, 'outbox');

/**
 * A message never fails the change that caused it: the change is committed, and a delivery failure is
 * reported (logged, and returned to the caller so the UI can say so) rather than thrown.
 */
abstract class BaseMailer implements Mailer {
  abstract readonly via: 'smtp' | 'outbox';
  protected log: MailLog = () => {};

  constructor(protected readonly from: string) {}

  setLog(log: MailLog): void {
    this.log = log;
  }

  protected envelope(message: MailMessage) {
    return {
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      headers: { 'Auto-Submitted': 'auto-generated' },
    };
  }

  abstract send(message: MailMessage): Promise<MailOutcome>;
}

/** Sends through the SMTP server of `SMTP_URL` (smtp:// or smtps://, credentials in the URL). */
export class SmtpMailer extends BaseMailer {
  readonly via = 'smtp' as const;
  private readonly transport: Transporter;

  constructor(smtpUrl: string, from: string) {
    super(from);
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(message: MailMessage): Promise<MailOutcome> {
    try {
      const info = await this.transport.sendMail(this.envelope(message));
      this.log('info', 'mail: sent', { to: message.to, subject: message.subject, messageId: info.messageId });
      return { delivered: true, via: 'smtp', messageId: String(info.messageId) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log('error', 'mail: SMTP delivery failed', {
        to: message.to,
        subject: message.subject,
        error: reason,
      });
      return { delivered: false, via: 'smtp', error: reason };
    }
  }
}

/** A header value in RFC 2047 encoded words when it is not plain ASCII. */
const encodeHeader = (value: string): string =>
  /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;

/**
 * One message as an RFC 5322 file, its text in 8-bit UTF-8 (not quoted-printable), so that a person can read
 * the file in any editor and copy its link whole.
 */
export function composeEml(from: string, message: MailMessage, at: Date, id: string): string {
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'habilis.local';
  const body = message.text.replace(/\r?\n/g, '\r\n');
  return [
    `From: ${encodeHeader(from)}`,
    `To: ${message.to}`,
    `Subject: ${encodeHeader(message.subject)}`,
    `Date: ${at.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${id}@${domain}>`,
    'Auto-Submitted: auto-generated',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    body,
    '',
  ].join('\r\n');
}

/**
 * Writes each message to `<data dir>/outbox/<time>-<id>.eml` and logs its link, so that Habilis works end to
 * end on a machine without a mail server (development, tests, a first trial): whoever runs it opens the
 * file or copies the logged link.
 */
export class OutboxMailer extends BaseMailer {
  readonly via = 'outbox' as const;

  constructor(
    readonly dir: string,
    from: string,
  ) {
    super(from);
  }

  async send(message: MailMessage): Promise<MailOutcome> {
    try {
      const at = new Date();
      const id = randomUUID();
      await mkdir(this.dir, { recursive: true });
      const stamp = at.toISOString().replace(/[:.]/g, '-');
      const file = path.join(this.dir, `${stamp}-${id.slice(0, 8)}.eml`);
      // Written aside then renamed: a reader of the outbox never sees half a message.
      await writeFile(`${file}.part`, composeEml(this.from, message, at, id), { mode: 0o600 });
      await rename(`${file}.part`, file);
      this.log('warn', 'mail: no SMTP configured, message written to the outbox', {
        to: message.to,
        subject: message.subject,
        file,
        ...(message.link ? { link: message.link } : {}),
      });
      return { delivered: true, via: 'outbox', file };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log('error', 'mail: could not write to the outbox', { to: message.to, error: reason });
      return { delivered: false, via: 'outbox', error: reason };
    }
  }
}

/** SMTP when `SMTP_URL` is set, the outbox otherwise. */
export function createMailer(config: MailConfig): Mailer {
  const from = config.mailFrom ?? DEFAULT_FROM;
  return config.smtpUrl
    ? new SmtpMailer(config.smtpUrl, from)
    : new OutboxMailer(outboxDir(config.dataDir), from);
}
