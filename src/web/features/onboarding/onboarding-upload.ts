import { onboarding } from '../../../core/contracts/index.js';
import type { ImportIssueView, PartnerImportResult } from '../../../core/onboarding/onboarding.schema.js';
import { ApiError } from '../../api/client.js';
import { uploadProblemOf } from '../evidence/evidence-upload.js';

/**
 * Sends a partner list (one multipart part named `file`) to the bulk onboarding, as a dry run or for real,
 * with the session's CSRF token. The typed API client speaks JSON only, hence this request of its own.
 */
export async function uploadPartnerList(
  file: File,
  dryRun: boolean,
  csrfToken: string,
  fetchImpl: typeof fetch = (input, init) => globalThis.fetch(input, init),
): Promise<PartnerImportResult> {
  const form = new FormData();
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetchImpl(`${onboarding.importPartners.path}?dryRun=${dryRun}`, {
      method: 'POST',
      headers: { accept: 'application/json, application/problem+json', 'x-csrf-token': csrfToken },
      credentials: 'same-origin',
      body: form,
    });
  } catch (cause) {
    throw new ApiError('network_error', 0, cause instanceof Error ? cause.message : 'network error');
  }
  if (!response.ok) throw await uploadProblemOf(response);
  return (await response.json()) as PartnerImportResult;
}

/** The template's address: a plain link, the session cookie is enough for a read. */
export const templateUrl = onboarding.downloadPartnerTemplate.path;

/** The issues of a refused import (422 import_rejected lists them in `details.errors`). */
export function issuesOf(error: unknown): ImportIssueView[] {
  if (!(error instanceof ApiError)) return [];
  const listed = error.details?.errors;
  if (!Array.isArray(listed)) return [];
  return listed.filter(
    (i): i is ImportIssueView =>
      typeof i === 'object' &&
      i !== null &&
      typeof (i as ImportIssueView).line === 'number' &&
      typeof (i as ImportIssueView).column === 'string' &&
      typeof (i as ImportIssueView).message === 'string',
  );
}

export interface ReportRow {
  line: number;
  siret: string | null;
  legalName: string | null;
  organisation: 'created' | 'existing' | null;
  certificationCode: string | null;
  issues: ImportIssueView[];
}

/**
 * One row per line of the file, in order: what the import would do with it and every problem found on it
 * (a problem of the file as a whole, line 0 or 1, heads the list).
 */
export function reportRows(result: Pick<PartnerImportResult, 'items' | 'errors'>): ReportRow[] {
  const rows = new Map<number, ReportRow>();
  const rowAt = (line: number): ReportRow => {
    let row = rows.get(line);
    if (!row) {
      row = { line, siret: null, legalName: null, organisation: null, certificationCode: null, issues: [] };
      rows.set(line, row);
    }
    return row;
  };
  for (const item of result.items)
    Object.assign(rowAt(item.line), {
      siret: item.siret,
      legalName: item.legalName,
      organisation: item.organisation,
      certificationCode: item.certificationCode,
    });
  for (const issue of result.errors) rowAt(issue.line).issues.push(issue);
  return [...rows.values()].sort((a, b) => a.line - b.line);
}
