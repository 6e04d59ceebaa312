import { fillPath } from '../../../core/contracts/contract.js';
import { reports } from '../../../core/contracts/index.js';
import type { ReportLogoView } from '../../../core/contracts/reports.js';
import { ApiError } from '../../api/client.js';
import { fileNameOf, withQuery } from '../chain/chain-api.js';
import { uploadProblemOf } from '../evidence/evidence-upload.js';

type Fetch = typeof fetch;
const defaultFetch: Fetch = (input, init) => globalThis.fetch(input, init);

export interface DossierForm {
  certification: string;
  from?: string | undefined;
  to?: string | undefined;
  partner?: string | undefined;
}

export const dossierUrl = (form: DossierForm, format: 'zip' | 'pdf'): string =>
  withQuery(reports.downloadDossier.path, { ...form, format });

export const statisticsXlsxUrl = (query: {
  certification?: string | undefined;
  fromYear?: string | undefined;
  toYear?: string | undefined;
}) => withQuery(reports.downloadStatistics.path, query);

export const networkOverviewUrl = (format: 'pdf' | 'xlsx') =>
  withQuery(reports.downloadNetworkOverview.path, { format });

export const scorecardUrl = (organisationId: string) =>
  fillPath(reports.downloadPartnerScorecard.path, { id: organisationId });

/**
 * Fetches a generated file (the page shows a problem the server names, such as an empty period, instead of
 * leaving the browser on an error document) and returns it with the name the server gave.
 */
export async function fetchFile(
  url: string,
  fallback: string,
  fetchImpl: Fetch = defaultFetch,
): Promise<{ blob: Blob; fileName: string }> {
  let response: Response;
  try {
    response = await fetchImpl(url, { credentials: 'same-origin', headers: { accept: '*/*' } });
  } catch (cause) {
    throw new ApiError('network_error', 0, cause instanceof Error ? cause.message : 'network error');
  }
  if (!response.ok) throw await uploadProblemOf(response);
  return {
    blob: await response.blob(),
    fileName: fileNameOf(response.headers.get('content-disposition'), fallback),
  };
}

/** The logo's largest size, as the server enforces it (2 MiB). */
export const LOGO_MAX_BYTES = 2 * 1024 * 1024;

/**
 * What the first bytes of a file say it is: the same check the server makes (it decides; this only spares
 * sending a file it would refuse, and names the problem at once).
 */
export function logoKindOf(head: Uint8Array): 'png' | 'jpeg' | null {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (head.length >= 8 && png.every((b, i) => head[i] === b)) return 'png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  return null;
}

/** Why a chosen file cannot be a logo (`empty`, `tooLarge`, `notImage`), or null when it may be sent. */
export async function logoProblem(file: Blob): Promise<'empty' | 'tooLarge' | 'notImage' | null> {
  if (file.size === 0) return 'empty';
  if (file.size > LOGO_MAX_BYTES) return 'tooLarge';
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  return logoKindOf(head) ? null : 'notImage';
}

/** Sends the logo (multipart, part `file`); the server sniffs it, stores it and records it in the audit log. */
export async function uploadReportLogo(
  file: File,
  csrfToken: string,
  fetchImpl: Fetch = defaultFetch,
): Promise<ReportLogoView> {
  const form = new FormData();
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetchImpl(reports.uploadReportLogo.path, {
      method: 'PUT',
      body: form,
      headers: { accept: 'application/json, application/problem+json', 'x-csrf-token': csrfToken },
      credentials: 'same-origin',
    });
  } catch (cause) {
    throw new ApiError('network_error', 0, cause instanceof Error ? cause.message : 'network error');
  }
  if (!response.ok) throw await uploadProblemOf(response);
  return (await response.json()) as ReportLogoView;
}

/** The preview's address; `version` (the logo's SHA-256) makes a new logo show at once. */
export const reportLogoImageUrl = (version: string) =>
  withQuery(reports.downloadReportLogo.path, { v: version.slice(0, 12) });
