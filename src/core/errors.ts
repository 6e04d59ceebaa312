/**
 * The one error type of Habilis. It carries a stable `code` and no HTTP status: the server maps codes to
 * statuses in one table (server/plugins/error-handler.ts), the CLI maps them to exit codes
 * (cli/exit-codes.ts), the web client switches on the code. Every code is catalogued in docs/errors.md.
 */
export const errorCodes = [
  'validation_failed',
  'unauthenticated',
  'invalid_credentials',
  'account_locked',
  'forbidden',
  'csrf_failed',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'import_rejected',
  'audit_chain_broken',
  'dossier_tampered',
  'setup_token_invalid',
  // A certificate asked from a deliberation whose jury has not signed its minutes (PV) yet.
  'jury_minutes_unsigned',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** One invalid field: a JSON-pointer-like path (`siret`, `contacts/0/email`) and a readable reason. */
export interface FieldIssue {
  field: string;
  message: string;
}

export interface AppErrorOptions {
  details?: Record<string, unknown>;
  fields?: FieldIssue[];
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly fields: FieldIssue[] | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.fields = options.fields;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** `notFound('organisation', id)`: the thing does not exist, or the actor may not know it exists. */
export const notFound = (entity: string, id?: string | number): AppError =>
  new AppError('not_found', id === undefined ? `${entity} not found` : `${entity} ${id} not found`, {
    details: { entity, ...(id === undefined ? {} : { id: String(id) }) },
  });

export const forbidden = (message = 'This action is not allowed for your role'): AppError =>
  new AppError('forbidden', message);

export const conflict = (message: string, fields?: FieldIssue[]): AppError =>
  new AppError('conflict', message, fields ? { fields } : {});

export const validationFailed = (fields: FieldIssue[], message?: string): AppError =>
  new AppError(
    'validation_failed',
    message ?? `Invalid input: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
    { fields },
  );
