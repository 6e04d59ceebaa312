import type { z } from 'zod';
import { type FieldIssue, validationFailed } from '../core/errors.js';

/** Zod issues as field issues: `contacts/0/email` paths, Zod's message. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.map(String).join('/') : '(body)';
    if (issue.code === 'unrecognized_keys') {
      return {
        field: issue.keys.map((k) => [...issue.path.map(String), k].join('/')).join(', '),
        message: 'unknown field',
      };
    }
    return { field, message: issue.message };
  });
}

/**
 * Validates input with its schema, whoever calls the service (HTTP, CLI, job): services never trust that
 * the edge validated, so a CLI import and an API call meet the same rules and the same messages.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationFailed(fieldIssues(result.error));
  return result.data;
}
