import type { z } from 'zod';
import type { Action } from '../access/policy.js';

/**
 * The single description of an endpoint: the server registers it (Zod-validated in and out, OpenAPI from
 * the same schemas) and the web client calls it, so neither can drift from the other.
 */
export interface Contract<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  summary: string;
  tags: string[];
  /** `public` routes need no session (login, health, setup); every other route does. */
  access: 'public' | 'session';
  /**
   * The permission the route needs (src/core/access/policy.ts). Checked before the input is validated, so
   * a role without it gets 403 whatever it sends; the service checks it again for the CLI and jobs. Routes
   * any signed-in user may call (own session, own password) leave it out.
   */
  action?: Action;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** Success status; 200 unless said. */
  status?: 200 | 201 | 204;
  /**
   * A GET whose answer depends only on the stored data and on who asks (no files, no clock beyond a
   * minute): the server may answer it from its read cache until the data changes.
   */
  cacheable?: true;
}

/** Keeps the exact type of what is given (literal access, which schemas are present) for route and client. */
export const defineContract = <const T extends Contract>(c: T): T => c;

export type ParamsOf<C> = C extends { params: infer P extends z.ZodType } ? z.output<P> : undefined;
export type QueryOf<C> = C extends { query: infer Q extends z.ZodType } ? z.output<Q> : undefined;
export type BodyOf<C> = C extends { body: infer B extends z.ZodType } ? z.output<B> : undefined;
export type BodyInputOf<C> = C extends { body: infer B extends z.ZodType } ? z.input<B> : undefined;
export type QueryInputOf<C> = C extends { query: infer Q extends z.ZodType } ? z.input<Q> : undefined;
export type ResponseOf<C> = C extends { response: infer R extends z.ZodType } ? z.output<R> : never;

/** `/api/organisations/:id` + `{ id: 'x' }` → `/api/organisations/x` */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
}
