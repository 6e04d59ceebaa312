import { registry } from '../../../core/contracts/index.js';
import type { ImportJobView } from '../../../core/registry/registry.schema.js';
import { ApiError } from '../../api/client.js';
import { uploadProblemOf } from '../evidence/evidence-upload.js';

/** What the browser has sent of the file so far. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

/** The part of XMLHttpRequest the upload uses (tests give a fake). */
export interface UploadRequest {
  upload: {
    onprogress: ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null;
  };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  status: number;
  responseText: string;
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
}

/** POST /api/registry/imports, with the certifier's SIRET in the query when given. */
export function registryUploadUrl(certifierSiret?: string): string {
  const siret = certifierSiret?.replace(/\s/g, '');
  return `${registry.startRegistryImport.path}${siret ? `?certifierSiret=${encodeURIComponent(siret)}` : ''}`;
}

/**
 * Sends an export as multipart/form-data (one part named `file`) and reports how much of it the browser
 * sent: fetch cannot tell upload progress, XMLHttpRequest can. Resolves with the import job the server
 * started (the page then polls it for the import's own progress); rejects with an ApiError.
 */
export function uploadRegistryExport(
  file: Blob & { name: string },
  options: { certifierSiret?: string | undefined; csrfToken: string | null },
  onProgress: (progress: UploadProgress) => void,
  newRequest: () => UploadRequest = () => new XMLHttpRequest() as unknown as UploadRequest,
): { done: Promise<ImportJobView>; abort: () => void } {
  const request = newRequest();
  const done = new Promise<ImportJobView>((resolve, reject) => {
    request.upload.onprogress = (event) =>
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress({ loaded: file.size, total: file.size });
        try {
          resolve(JSON.parse(request.responseText) as ImportJobView);
        } catch {
          reject(
            new ApiError('internal', request.status, 'The server answered with something else than JSON'),
          );
        }
        return;
      }
      const response = new Response(request.responseText, {
        status: request.status,
        headers: { 'content-type': 'application/problem+json' },
      });
      void uploadProblemOf(response).then(reject, reject);
    };
    request.onerror = () => reject(new ApiError('network_error', 0, 'The upload was interrupted'));
    request.onabort = () => reject(new ApiError('network_error', 0, 'The upload was cancelled'));
  });
  const form = new FormData();
  form.append('file', file, file.name);
  request.open('POST', registryUploadUrl(options.certifierSiret));
  request.setRequestHeader('accept', 'application/json, application/problem+json');
  if (options.csrfToken) request.setRequestHeader('x-csrf-token', options.csrfToken);
  request.send(form);
  return { done, abort: () => request.abort() };
}
