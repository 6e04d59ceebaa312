import { fillPath } from '../../../core/contracts/contract.js';
import { reports } from '../../../core/contracts/index.js';
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
