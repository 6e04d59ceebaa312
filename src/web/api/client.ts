import {
  type BodyInputOf,
  type Contract,
  fillPath,
  type ParamsOf,
  type QueryInputOf,
  type ResponseOf,
} from '../../core/contracts/contract.js';
import { type ErrorCode, errorCodes, type FieldIssue } from '../../core/errors.js';

/** The API's stable error codes, plus the one only the browser can see: the server could not be reached. */
export type ApiErrorCode = ErrorCode | 'network_error';

/**
 * An API failure as the UI needs it: a stable `code` to switch on (never the status or the text), the
 * server's detail for the curious, and the invalid fields to show next to the form inputs.
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly detail: string;
  readonly fields: FieldIssue[];
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ApiErrorCode,
    status: number,
    detail: string,
    fields: FieldIssue[] = [],
    details?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.detail = detail;
    this.fields = fields;
    this.details = details;
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

type Slot<K extends string, T> = [T] extends [undefined]
  ? { [P in K]?: undefined }
  : undefined extends T
    ? { [P in K]?: T }
    : { [P in K]: T };

/** What a call of contract C takes: path params and body when the contract has them; the query is optional. */
export type CallInput<C> = Slot<'params', ParamsOf<C>> &
  Slot<'query', QueryInputOf<C> | undefined> &
  Slot<'body', BodyInputOf<C>>;

type CallArgs<C> = object extends CallInput<C> ? [input?: CallInput<C>] : [input: CallInput<C>];

const knownCodes = new Set<string>(errorCodes);

function queryString(query: object | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function problemOf(response: Response): Promise<ApiError> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as {
        code?: unknown;
        detail?: unknown;
        errors?: unknown;
        details?: unknown;
      };
      const code = typeof body.code === 'string' && knownCodes.has(body.code) ? body.code : 'internal';
      const fields = Array.isArray(body.errors)
        ? body.errors.filter(
            (f): f is FieldIssue =>
              typeof f === 'object' &&
              f !== null &&
              typeof f.field === 'string' &&
              typeof f.message === 'string',
          )
        : [];
      const details =
        typeof body.details === 'object' && body.details !== null
          ? (body.details as Record<string, unknown>)
          : undefined;
      return new ApiError(
        code as ErrorCode,
        response.status,
        typeof body.detail === 'string' ? body.detail : response.statusText,
        fields,
        details,
      );
    } catch {
      // A broken error body is still an error; fall through to the generic one.
    }
  }
  return new ApiError('internal', response.status, `HTTP ${response.status} ${response.statusText}`);
}

export interface ApiClientOptions {
  /** The fetch to use; the browser's by default (tests pass their own). */
  fetch?: typeof fetch;
  /** Prefix of every path; empty when the app is served by the API server itself. */
  baseUrl?: string;
}

/**
 * Calls the endpoints described by the contracts of src/core/contracts: the path, query and body types
 * come from the contract, so a call the server would refuse does not compile. It keeps the session's
 * CSRF token and sends it on every change; a lost session is announced to the listeners (the app then
 * shows the sign-in page).
 */
export class ApiClient {
  private csrfToken: string | null = null;
  private readonly unauthenticatedListeners = new Set<() => void>();
  private readonly fetchImpl: typeof fetch;
  private readonly baseUrl: string;

  constructor(options: ApiClientOptions = {}) {
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.baseUrl = options.baseUrl ?? '';
  }

  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  /** Registers a listener for "the server says this session is gone"; returns its remover. */
  onUnauthenticated(listener: () => void): () => void {
    this.unauthenticatedListeners.add(listener);
    return () => this.unauthenticatedListeners.delete(listener);
  }

  async call<C extends Contract>(contract: C, ...[input]: CallArgs<C>): Promise<ResponseOf<C>> {
    const given = (input ?? {}) as { params?: Record<string, string>; query?: object; body?: unknown };
    const url = `${this.baseUrl}${fillPath(contract.path, given.params)}${queryString(given.query)}`;
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (given.body !== undefined) headers['content-type'] = 'application/json';
    if (contract.method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;

    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: contract.method,
        headers,
        credentials: 'same-origin',
        ...(given.body !== undefined ? { body: JSON.stringify(given.body) } : {}),
      });
    } catch (cause) {
      throw new ApiError('network_error', 0, cause instanceof Error ? cause.message : 'network error');
    }

    if (!response.ok) {
      const error = await problemOf(response);
      if (error.code === 'unauthenticated') {
        this.csrfToken = null;
        for (const listener of this.unauthenticatedListeners) listener();
      }
      throw error;
    }
    if (response.status === 204) return null as ResponseOf<C>;
    return (await response.json()) as ResponseOf<C>;
  }
}

/** The client of the running app. */
export const api = new ApiClient();

/** `call(organisations.getOrganisation, { params: { id } })`: one typed request with the app's client. */
export const call = <C extends Contract>(contract: C, ...args: CallArgs<C>): Promise<ResponseOf<C>> =>
  api.call(contract, ...args);
