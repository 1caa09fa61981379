import { ApiError, csrfHeader, problemText, type FieldProblem } from '../api';
import { hex } from '../lib/files';
import type { components } from '../generated/api';

export type StoredFile = components['schemas']['File'];

/**
 * The SHA-256 of the chosen file, computed in the browser, or undefined where SubtleCrypto is
 * missing (browsers offer it only on HTTPS and on localhost).
 */
export async function sha256Of(file: Blob): Promise<string | undefined> {
  if (!globalThis.crypto?.subtle) return undefined;
  return hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
}

/**
 * `POST /api/v1/files` with the file as the body. XMLHttpRequest rather than fetch: only it
 * reports upload progress. Resolves with the stored file, or rejects with the API's refusal.
 */
export function uploadFile(query: URLSearchParams, file: Blob, onProgress: (loaded: number, total: number) => void, signal?: AbortSignal): Promise<StoredFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/files?${query}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    for (const [k, v] of Object.entries(csrfHeader())) xhr.setRequestHeader(k, v);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status === 201) return resolve(xhr.response as StoredFile);
      const problem = (xhr.response ?? {}) as { errors?: FieldProblem[] };
      reject(new ApiError(xhr.status, problemText(xhr.status, problem), problem.errors ?? []));
    };
    xhr.onerror = () => reject(new ApiError(0, 'the upload did not reach the ACS (connection failed)'));
    xhr.onabort = () => reject(new ApiError(0, 'upload cancelled'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
}
