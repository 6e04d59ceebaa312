import { fillPath } from '../../../core/contracts/contract.js';
import { evidence } from '../../../core/contracts/index.js';
import { type ErrorCode, errorCodes, type FieldIssue } from '../../../core/errors.js';
import type { EvidenceEntityType, EvidenceView } from '../../../core/evidence/evidence.schema.js';
import { ApiError } from '../../api/client.js';

export interface UploadMeta {
  organisationId?: string | undefined;
  description?: string | undefined;
  entityType?: EvidenceEntityType | undefined;
  entityId?: string | undefined;
  purpose?: string | undefined;
}

/** POST /api/evidence with the metadata in the query string (the contract's `evidenceUploadQuery`). */
export function uploadUrl(meta: UploadMeta): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(meta)) {
    if (typeof value === 'string' && value.trim() !== '') search.set(key, value.trim());
  }
  const text = search.toString();
  return `${evidence.uploadEvidence.path}${text ? `?${text}` : ''}`;
}

/** GET /api/evidence/:id/content: a plain link, the session cookie is enough for a read. */
export const downloadUrl = (id: string): string => fillPath(evidence.downloadEvidence.path, { id });

const knownCodes = new Set<string>(errorCodes);

/** A problem+json answer (or anything else) as the ApiError the rest of the UI understands. */
export async function uploadProblemOf(response: Response): Promise<ApiError> {
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
    return new ApiError(
      code as ErrorCode,
      response.status,
      typeof body.detail === 'string' ? body.detail : response.statusText,
      fields,
      typeof body.details === 'object' && body.details !== null
        ? (body.details as Record<string, unknown>)
        : undefined,
    );
  } catch {
    return new ApiError('internal', response.status, `HTTP ${response.status} ${response.statusText}`);
  }
}

/**
 * Sends one file as multipart/form-data (one part named `file`), with the session's CSRF token. The typed
 * API client speaks JSON only, hence this one request of its own.
 */
export async function uploadEvidenceFile(
  file: File,
  meta: UploadMeta,
  csrfToken: string,
  fetchImpl: typeof fetch = (input, init) => globalThis.fetch(input, init),
): Promise<EvidenceView> {
  const form = new FormData();
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetchImpl(uploadUrl(meta), {
      method: 'POST',
      headers: { accept: 'application/json, application/problem+json', 'x-csrf-token': csrfToken },
      credentials: 'same-origin',
      body: form,
    });
  } catch (cause) {
    throw new ApiError('network_error', 0, cause instanceof Error ? cause.message : 'network error');
  }
  if (!response.ok) throw await uploadProblemOf(response);
  return (await response.json()) as EvidenceView;
}

/** 1536 → { unit: 'kilobytes', value: '1,5' }: the size in the largest unit below 1024 of it. */
export function fileSize(
  bytes: number,
  language: string,
): { unit: 'bytes' | 'kilobytes' | 'megabytes'; value: string } {
  const format = (n: number) =>
    new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'fr-FR', { maximumFractionDigits: 1 }).format(n);
  if (bytes < 1024) return { unit: 'bytes', value: format(bytes) };
  if (bytes < 1024 * 1024) return { unit: 'kilobytes', value: format(bytes / 1024) };
  return { unit: 'megabytes', value: format(bytes / (1024 * 1024)) };
}
