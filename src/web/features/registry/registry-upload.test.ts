import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.js';
import { registryUploadUrl, type UploadRequest, uploadRegistryExport } from './registry-upload.js';

class FakeRequest implements UploadRequest {
  upload: UploadRequest['upload'] = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = '';
  opened: [string, string] | null = null;
  headers: Record<string, string> = {};
  sent: FormData | null = null;
  open(method: string, url: string) {
    this.opened = [method, url];
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.sent = body;
  }
  abort() {
    this.onabort?.();
  }
}

const file = Object.assign(new Blob(['<FICHES/>'.repeat(100)]), { name: 'export.xml' });

describe('registry upload', () => {
  it('posts the file as the part named file, with the SIRET and the CSRF token', async () => {
    expect(registryUploadUrl()).toBe('/api/registry/imports');
    expect(registryUploadUrl('528 757 651 00013')).toBe(
      '/api/registry/imports?certifierSiret=52875765100013',
    );
    const request = new FakeRequest();
    const progress: number[] = [];
    const { done } = uploadRegistryExport(
      file,
      { certifierSiret: '52875765100013', csrfToken: 'token' },
      (p) => progress.push(p.loaded / p.total),
      () => request,
    );
    expect(request.opened).toEqual(['POST', '/api/registry/imports?certifierSiret=52875765100013']);
    expect(request.headers['x-csrf-token']).toBe('token');
    expect((request.sent?.get('file') as File | undefined)?.name).toBe('export.xml');
    request.upload.onprogress?.({ loaded: 450, total: 900, lengthComputable: true });
    request.status = 201;
    request.responseText = JSON.stringify({ id: 'job', status: 'running' });
    request.onload?.();
    await expect(done).resolves.toMatchObject({ id: 'job', status: 'running' });
    expect(progress).toEqual([0.5, 1]);
  });

  it('reads a refusal as an ApiError with its code, and an interruption as a network error', async () => {
    const refused = new FakeRequest();
    const first = uploadRegistryExport(
      file,
      { csrfToken: null },
      () => {},
      () => refused,
    );
    refused.status = 415;
    refused.responseText = JSON.stringify({ code: 'unsupported_media_type', detail: 'multipart please' });
    refused.onload?.();
    await expect(first.done).rejects.toMatchObject({ code: 'unsupported_media_type', status: 415 });
    expect(refused.headers['x-csrf-token']).toBeUndefined();

    const cut = new FakeRequest();
    const second = uploadRegistryExport(
      file,
      { csrfToken: 't' },
      () => {},
      () => cut,
    );
    cut.onerror?.();
    const error = await second.done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'network_error' });
  });
});
