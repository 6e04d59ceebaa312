import type { Config } from '../config/env.js';
import type { DataVersion } from '../db/data-version.js';
import type { Database } from '../db/database.js';
import type { Mailer } from './mail/mailer.js';

/** What every service may use; each service takes only what it needs from it. */
export interface ServiceContext {
  db: Database;
  /** Moves whenever the data may have changed: what read caches check before trusting what they hold. */
  dataVersion?: DataVersion;
  /** The clock, injectable so tests control time. */
  now: () => Date;
  config: Pick<Config, 'publicUrl' | 'filesDir' | 'dataDir'> &
    Partial<Pick<Config, 'smtpUrl' | 'mailFrom' | 'invitationDays'>>;
  /** Outgoing mail: SMTP, or the outbox under the data dir (see mail/mailer.ts). */
  mailer?: Mailer;
}
