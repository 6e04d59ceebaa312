import type { Config } from '../config/env.js';
import type { Actor } from '../core/access/policy.js';
import type { OpenedServices } from '../services/runtime.js';
import type { CliStreams, Output } from './io.js';

/** What every command gets: where to print, who acts, and the way to the services. */
export interface CommandContext {
  out: Output;
  streams: CliStreams;
  /** The CLI acts as the system, labelled `cli` in the audit log. */
  actor: Actor;
  /** Reads and validates the configuration; throws ConfigError. Only commands that need it call it. */
  loadConfig(): Config;
  /**
   * Opens the database (applying pending migrations), runs `work` with the services, and closes the
   * database whatever happens. With `progressLabel`, shows progress on a terminal while opening and working.
   */
  withServices<T>(work: (opened: OpenedServices) => Promise<T>, progressLabel?: string): Promise<T>;
}
