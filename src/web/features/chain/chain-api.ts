import type { ChainUploadReport, UploadKind } from '../../../core/contracts/chain-uploads.js';
import { fillPath } from '../../../core/contracts/contract.js';
import {
  accrochage,
  certificates,
  chainUploads,
  juries,
  type ResponseOf,
} from '../../../core/contracts/index.js';
import { ApiError } from '../../api/client.js';
import { uploadProblemOf } from '../evidence/evidence-upload.js';

/**
 * The chain's requests that are not JSON: uploads (multipart), the accrochage flux (an XML file answered to a
 * POST), and the links to templates and PDFs (plain GETs: the session cookie is enough).
 */

type Fetch = typeof fetch;
const defaultFetch: Fetch = (input, init) => globalThis.fetch(input, init);

/** `path?a=1&b=2`, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

export const templateUrl = (kind: UploadKind, format: 'xlsx' | 'csv'): string =>
  withQuery(fillPath(chainUploads.downloadUploadTemplate.path, { kind }), { format });

export const juryMinutesUrl = (id: string): string => fillPath(juries.downloadJuryMinutes.path, { id });

export const certificatePdfUrl = (id: string): string =>
  fillPath(certificates.downloadCertificatePdf.path, { id });

async function send(url: string, init: RequestInit, csrfToken: string, fetchImpl: Fetch): Promise<Response> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      ...init,
      headers: { accept: 'application/json, application/problem+json', 'x-csrf-token': csrfToken },
      credentials: 'same-origin',
    });
  } catch (cause) {
    throw new ApiError('network_error', 0, cause instanceof Error ? cause.message : 'network error');
  }
  if (!response.ok) throw await uploadProblemOf(response);
  return response;
}

const formWith = (file: File) => {
  const form = new FormData();
  form.append('file', file, file.name);
  return form;
};

export interface ChainUploadTarget {
  kind: UploadKind;
  dryRun: boolean;
  /** Training sessions declared by certifier staff: the partner they are for. */
  organisationId?: string | undefined;
  /** Results: the assessment session they belong to. */
  assessmentSessionId?: string | undefined;
}

/**
 * Sends a declaration file. A dry run answers its report (errors included); a real run with errors is a 422
 * whose `details.errors` carry the same list: it is returned as a report too, so the page shows one thing.
 */
export async function uploadChainFile(
  file: File,
  target: ChainUploadTarget,
  csrfToken: string,
  fetchImpl: Fetch = defaultFetch,
): Promise<ChainUploadReport> {
  const contract =
    target.kind === 'training-sessions'
      ? chainUploads.uploadTrainingSessions
      : chainUploads.uploadAssessmentResults;
  const url = withQuery(contract.path, {
    dryRun: target.dryRun ? 'true' : undefined,
    organisationId: target.organisationId,
    assessmentSessionId: target.assessmentSessionId,
  });
  try {
    const response = await send(url, { method: 'POST', body: formWith(file) }, csrfToken, fetchImpl);
    return (await response.json()) as ChainUploadReport;
  } catch (error) {
    const errors = error instanceof ApiError ? error.details?.errors : undefined;
    if (error instanceof ApiError && error.code === 'import_rejected' && Array.isArray(errors))
      return {
        kind: target.kind,
        fileName: file.name,
        format: file.name.toLowerCase().endsWith('.csv') ? 'csv' : 'xlsx',
        encoding: null,
        dryRun: false,
        committed: false,
        rowCount: typeof error.details?.rowCount === 'number' ? error.details.rowCount : 0,
        errors: errors as ChainUploadReport['errors'],
        summary: { sessions: 0, candidatesCreated: 0, candidatesReused: 0, enrolments: 0, results: 0 },
        trainingSessionIds: [],
      };
    throw error;
  }
}

/** Sends the CDC's processing report (accusé de traitement). */
export async function uploadAccrochageReport(
  file: File,
  csrfToken: string,
  fetchImpl: Fetch = defaultFetch,
): Promise<ResponseOf<typeof accrochage.importAccrochageReport>> {
  const response = await send(
    accrochage.importAccrochageReport.path,
    { method: 'POST', body: formWith(file) },
    csrfToken,
    fetchImpl,
  );
  return (await response.json()) as ResponseOf<typeof accrochage.importAccrochageReport>;
}

export interface ExportedFlux {
  blob: Blob;
  fileName: string;
  holders: number;
  leftOut: number;
}

/** The file name of a Content-Disposition header, if it gives one. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const match = disposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  return match?.[1] ? decodeURIComponent(match[1]) : fallback;
}

/** Writes the flux (checked against the XSD on the server, certificates then marked sent) and returns it. */
export async function exportAccrochageFlux(
  query: { certificationCode?: string | undefined; since?: string | undefined },
  csrfToken: string,
  fetchImpl: Fetch = defaultFetch,
): Promise<ExportedFlux> {
  const response = await send(
    withQuery(accrochage.exportAccrochage.path, query),
    { method: 'POST' },
    csrfToken,
    fetchImpl,
  );
  return {
    blob: await response.blob(),
    fileName: fileNameOf(response.headers.get('content-disposition'), 'accrochage.xml'),
    holders: Number(response.headers.get('x-accrochage-holders') ?? 0),
    leftOut: Number(response.headers.get('x-accrochage-left-out') ?? 0),
  };
}

/** Offers a file the page holds to the browser's downloads. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
