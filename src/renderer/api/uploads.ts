import type { ApiErrorValue } from '../../core/api';
import { ClientError } from './client';

/** What PUT /uploads answers: the id ingest.import takes as {upload, name}. */
export interface StagedUpload {
  readonly upload: string;
  readonly name: string;
  readonly size: number;
}

/** The most a file sent inside the call may carry (MAX_UPLOAD_BYTES in the ingest procedures, which decide). */
export const MAX_UPLOAD_BYTES = 6 * 1024 * 1024;

/** The most one upload may carry (MAX_STAGED_UPLOAD_BYTES in the core, which decides). */
export const MAX_STREAMED_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * Streams one file to the headless host (PUT /uploads) the way the browser sends a Blob: read from
 * disk as it goes, never base64, never whole in memory. XHR rather than fetch, because only XHR
 * reports upload progress. The page's cookies say who is uploading; the core checks them.
 */
export function uploadFile(
  file: File,
  options: { onProgress?: (sent: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<StagedUpload> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', '/uploads');
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('X-Custodia-File-Name', encodeURIComponent(file.name));
    xhr.upload.onprogress = (event) => options.onProgress?.(event.loaded, event.total || file.size);
    xhr.onload = () => {
      const answer = parse(xhr);
      if (answer?.ok === true) resolve(answer.value);
      else if (answer?.ok === false) reject(new ClientError(answer.error));
      else if (xhr.status === 401) {
        reject(
          fail(
            'unauthenticated',
            'This page lost its access token. Open the URL that `custodia serve` printed.',
          ),
        );
      } else reject(fail('internal', `The host refused the upload of ${file.name} (HTTP ${xhr.status}).`));
    };
    xhr.onerror = () =>
      reject(
        fail(
          'internal',
          `The upload of ${file.name} broke off. Is \`custodia serve\` still running? Then drop the file again.`,
        ),
      );
    xhr.onabort = () =>
      reject(fail('cancelled', `The upload of ${file.name} was cancelled; nothing was kept.`));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    if (options.signal?.aborted === true) return xhr.abort();
    xhr.send(file);
  });
}

type Answer = { ok: true; value: StagedUpload } | { ok: false; error: ApiErrorValue };

function parse(xhr: XMLHttpRequest): Answer | undefined {
  if (!(xhr.getResponseHeader('Content-Type') ?? '').startsWith('application/json')) return undefined;
  try {
    return JSON.parse(xhr.responseText) as Answer;
  } catch {
    return undefined;
  }
}

function fail(code: ApiErrorValue['code'], message: string): ClientError {
  return new ClientError({ code, message });
}
