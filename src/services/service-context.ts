import type { Config } from '../config/env.js';
import type { Database } from '../db/database.js';

/** What every service may use; each service takes only what it needs from it. */
export interface ServiceContext {
  db: Database;
  /** The clock, injectable so tests control time. */
  now: () => Date;
  config: Pick<Config, 'publicUrl' | 'filesDir' | 'dataDir'>;
}
