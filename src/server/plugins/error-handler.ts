import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { Problem } from '../../core/common.schema.js';
import { AppError, type ErrorCode, type FieldIssue } from '../../core/errors.js';

/** The one table from error code to HTTP status. docs/errors.md lists the same. */
export const httpStatusOf: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  account_locked: 423,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  import_rejected: 422,
  audit_chain_broken: 409,
  dossier_tampered: 422,
  setup_token_invalid: 410,
  jury_minutes_unsigned: 409,
  internal: 500,
};

const titles: Record<ErrorCode, string> = {
  validation_failed: 'Invalid input',
  unauthenticated: 'Sign-in required',
  invalid_credentials: 'Wrong credentials',
  account_locked: 'Account locked',
  forbidden: 'Not allowed',
  csrf_failed: 'CSRF check failed',
  not_found: 'Not found',
  conflict: 'Conflict',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Too many requests',
  import_rejected: 'Import rejected',
  audit_chain_broken: 'Audit chain broken',
  dossier_tampered: 'Evidence dossier altered',
  setup_token_invalid: 'Setup link invalid',
  jury_minutes_unsigned: 'Jury minutes not signed',
  internal: 'Internal error',
};

export function problemOf(error: AppError, instance?: string): Problem {
  return {
    type: `urn:habilis:error:${error.code}`,
    title: titles[error.code],
    status: httpStatusOf[error.code],
    code: error.code,
    detail: error.message,
    ...(instance ? { instance } : {}),
    ...(error.fields?.length ? { errors: error.fields } : {}),
    ...(error.details ? { details: error.details } : {}),
  };
}

function fieldFromInstancePath(path: string, context: string): string {
  const trimmed = path.replace(/^\//, '');
  return trimmed || context;
}

/** Turns anything thrown in a request into an AppError, so every answer has the same shape. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext ?? 'body';
    const fields: FieldIssue[] = error.validation.map((v) => {
      const base = fieldFromInstancePath(v.instancePath, context);
      const keys = (v.params as { keys?: unknown } | undefined)?.keys;
      if (v.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
        const names = keys.map((k) => (base === context ? String(k) : `${base}/${String(k)}`));
        return { field: names.join(', '), message: 'unknown field' };
      }
      return { field: base, message: v.message ?? 'invalid' };
    });
    return new AppError(
      'validation_failed',
      `Invalid ${context}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
      { fields },
    );
  }
  const fe = error as Partial<FastifyError>;
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('validation_failed', `Malformed JSON body: ${fe.message}`, {
        fields: [{ field: '(body)', message: 'not valid JSON' }],
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body is larger than this endpoint accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('unsupported_media_type', `Unsupported content type: ${fe.message}`);
    case 'FST_ERR_VALIDATION':
      return new AppError('validation_failed', fe.message ?? 'Invalid input');
    default:
      break;
  }
  if (fe.statusCode === 429)
    return new AppError('rate_limited', 'Too many requests: wait a moment and try again');
  if (fe.statusCode === 404) return new AppError('not_found', fe.message ?? 'Not found');
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError('validation_failed', fe.message ?? 'Bad request');
  }
  return new AppError('internal', 'Internal error', { cause: error });
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const body = problemOf(error, request.url.split('?')[0]);
  return reply.status(body.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(body));
}

export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.code === 'internal') {
      const why = isResponseSerializationError(error)
        ? 'response did not match its schema'
        : 'unexpected error';
      request.log.error({ err: error }, `request failed: ${why}`);
    }
    return sendProblem(request, reply, appError);
  });
}

/**
 * Unknown routes: a problem+json 404 — except, when the web app is served, a GET outside /api, which
 * answers index.html so that the browser's router shows the page.
 */
export function registerNotFound(app: FastifyInstance, options: { webApp: boolean }) {
  app.setNotFoundHandler((request, reply) => {
    if (options.webApp && request.method === 'GET' && !request.url.startsWith('/api')) {
      return reply.sendFile('index.html');
    }
    return sendProblem(
      request,
      reply,
      new AppError('not_found', `No route ${request.method} ${request.url.split('?')[0]}`),
    );
  });
}
