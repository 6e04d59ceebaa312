import type { CpfImportSummary } from '../../../core/contracts/cpf-offers.js';
import { cpfOffers } from '../../../core/contracts/index.js';
import { ApiError } from '../../api/client.js';
import { uploadProblemOf } from '../evidence/evidence-upload.js';

/**
 * Sends the catalogue as multipart/form-data (one part named `file`) with the session's CSRF token, and
 * answers the import's summary; a refused file rejects with the ApiError whose detail names the file, the
 * line and what is wrong.
 */
export async function uploadCpfCatalogue(
  file: File,
  csrfToken: string | null,
  force = false,
  fetchImpl: typeof fetch = (input, init) => globalThis.fetch(input, init),
): Promise<CpfImportSummary> {
  const form = new FormData();
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetchImpl(`${cpfOffers.importCpfCatalogue.path}${force ? '?force=true' : ''}`, {
      method: 'POST',
      headers: {
        accept: 'application/json, application/problem+json',
        ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      },
      credentials: 'same-origin',
      body: form,
    });
  } catch (cause) {
    throw new ApiError('network_error', 0, cause instanceof Error ? cause.message : 'network error');
  }
  if (!response.ok) throw await uploadProblemOf(response);
  return (await response.json()) as CpfImportSummary;
}

/**
 * Where a refused file is wrong (`{ line: 12, column: 'siret' }`) when the server said, and whether it was
 * refused as an extract of the catalogue (which the user may force).
 */
export function refusalPlace(error: unknown): { line?: number; column?: string; partial?: boolean } {
  const details = error instanceof ApiError ? error.details : undefined;
  if (!details) return {};
  return {
    ...(typeof details.line === 'number' ? { line: details.line } : {}),
    ...(typeof details.column === 'string' ? { column: details.column } : {}),
    ...(details.reason === 'partial_catalogue' ? { partial: true } : {}),
  };
}

/** A changed field's value as one short line. */
export function shortValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
