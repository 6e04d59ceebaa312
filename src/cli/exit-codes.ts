import type { ErrorCode } from '../core/errors.js';

/**
 * The one table from error code to the `habilis` command's exit status, as server/plugins/error-handler.ts
 * is the one table to HTTP statuses. Each code gets its own status so a script can tell them apart; the
 * BSD sysexits values (64-78) are used where one fits, the rest are Habilis's own, from 80. docs/cli.md
 * lists the same table (a test keeps them equal).
 */
export const exitCodeOf: Record<ErrorCode, number> = {
  validation_failed: 65, // EX_DATAERR
  not_found: 66, // EX_NOINPUT
  conflict: 67,
  internal: 70, // EX_SOFTWARE
  rate_limited: 75, // EX_TEMPFAIL: try again later
  forbidden: 77, // EX_NOPERM
  unauthenticated: 80,
  invalid_credentials: 81,
  account_locked: 82,
  csrf_failed: 83,
  setup_token_invalid: 84,
  payload_too_large: 85,
  unsupported_media_type: 86,
  import_rejected: 87,
  audit_chain_broken: 88,
  dossier_tampered: 89,
  jury_minutes_unsigned: 90,
};

/** Outcomes that belong to the command line itself, not to an AppError code. */
export const cliExitCodes = {
  ok: 0,
  /** The command line is malformed: unknown command or option, missing required option or argument. */
  usage: 64, // EX_USAGE
  /** The database cannot be opened (server unreachable, migration failing), or the command is not in this build. */
  unavailable: 69, // EX_UNAVAILABLE
  /** The environment variables are invalid (ConfigError); each problem is printed. */
  configuration: 78, // EX_CONFIG
} as const;

export type CliOutcome = keyof typeof cliExitCodes;
