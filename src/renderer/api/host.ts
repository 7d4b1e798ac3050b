import type { ApiErrorValue, AppEvent, Result } from '../../core/api';
import { typedCall, type ApiClient } from './client';
import { MAX_STREAMED_UPLOAD_BYTES, uploadFile } from './uploads';

/**
 * A browser on the headless host (`custodia serve`): calls are POST /api/call, events an
 * EventSource, files stream to PUT /uploads first (up to 2 GiB) and are named by the id it answers,
 * and exports are fetched from /exports/, since the host may be another computer.
 */
export function hostClient(): ApiClient {
  return {
    call: typedCall(invoke),
    onEvent(listener) {
      const source = new EventSource('/api/events');
      source.onmessage = (message) => {
        try {
          listener(JSON.parse(message.data as string) as AppEvent);
        } catch {
          // A malformed frame is dropped; events are progress hints, never the record.
        }
      };
      return () => source.close();
    },
    fileLimit: () => MAX_STREAMED_UPLOAD_BYTES,
    async stageFile(file, options = {}) {
      options.onProgress?.(0, file.size);
      const staged = await uploadFile(file, options);
      return { upload: staged.upload, name: file.name };
    },
    exportLink(path) {
      const name = path.split(/[\\/]/).pop();
      return name ? { href: `/exports/${encodeURIComponent(name)}`, name } : undefined;
    },
  };
}

async function invoke(method: string, input: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch('/api/call', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ method, input }),
    });
  } catch {
    return failure('internal', 'Custodia is not answering. Is `custodia serve` still running?');
  }
  if (response.status === 401) {
    return failure(
      'unauthenticated',
      'This page lost its access token. Open the URL that `custodia serve` printed.',
    );
  }
  if (!response.ok && response.status !== 400) {
    return failure('internal', `The host refused the call (HTTP ${response.status}).`);
  }
  return response.json();
}

function failure(code: ApiErrorValue['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}
