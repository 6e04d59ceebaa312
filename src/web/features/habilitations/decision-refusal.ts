import { isApiError } from '../../api/client.js';

/**
 * Why the server refused a decision, when it is one of the refusals the lifecycle screen explains in its
 * own words; null for any other failure (shown as a generic error).
 */
export type DecisionRefusal =
  | { kind: 'noConvention' }
  | { kind: 'periodEnded'; endsOn: string }
  | { kind: 'notAllowed'; from: string; to: string }
  | { kind: 'overlap' };

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Reads a `conflict` answer of POST /api/habilitations/:id/decisions (services/habilitation.service.ts):
 * the missing convention is named on the `toStatus` field, an ended period carries `details.endsOn`, a move
 * the lifecycle forbids carries `details.allowed`, an overlap is named on `startsOn`.
 */
export function decisionRefusalOf(error: unknown): DecisionRefusal | null {
  if (!isApiError(error) || error.code !== 'conflict') return null;
  const details = error.details ?? {};
  if (error.fields.some((f) => f.field === 'toStatus' && /convention/i.test(f.message)))
    return { kind: 'noConvention' };
  const endsOn = text(details.endsOn);
  if (endsOn) return { kind: 'periodEnded', endsOn };
  const from = text(details.from);
  const to = text(details.to);
  if (Array.isArray(details.allowed) && from && to) return { kind: 'notAllowed', from, to };
  if (error.fields.some((f) => f.field === 'startsOn' && /overlap/i.test(f.message)))
    return { kind: 'overlap' };
  return null;
}
