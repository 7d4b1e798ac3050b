import type { AppEvent, ApiErrorValue, Contract, InputOf, Method, OutputOf, Result } from '../../core/api';

/** What the preload exposes in Electron (window.custodia); the host client mimics it over HTTP. */
interface Bridge {
  invoke(method: string, input: unknown): Promise<unknown>;
  onEvent(listener: (event: unknown) => void): () => void;
  /** Electron only: the path of a dropped or picked file ('' for one that is not on disk). */
  pathForFile?(file: File): string;
}

declare global {
  interface Window {
    custodia?: Bridge;
  }
}

/** A typed failure from the core, carrying the contract's {code, message, details}. */
export class ClientError extends Error {
  readonly code: ApiErrorValue['code'];
  readonly details: ApiErrorValue['details'];
  constructor(value: ApiErrorValue) {
    super(value.message);
    this.code = value.code;
    this.details = value.details;
  }
}

/** Any failure as the contract's typed error, so ErrorNotice can say what to do next. */
export function asClientError(error: unknown): ClientError {
  return error instanceof ClientError ? error : new ClientError({ code: 'internal', message: String(error) });
}

export interface ApiClient {
  readonly transport: 'ipc' | 'http';
  /** Where a dropped or picked file is on this computer, when the window can know (Electron). */
  pathOf(file: File): string | undefined;
  call<M extends Method>(method: M, input: InputOf<Contract[M]>): Promise<OutputOf<Contract[M]>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
}

/** The renderer never knows more than this: the preload bridge in Electron, else the headless host. */
export function createClient(): ApiClient {
  const bridge = window.custodia ?? httpBridge();
  const transport = window.custodia ? 'ipc' : 'http';
  return {
    transport,
    pathOf: (file) => bridge.pathForFile?.(file) || undefined,
    async call(method, input) {
      const result = (await bridge.invoke(method, input)) as Result<unknown>;
      if (!result.ok) throw new ClientError(result.error);
      return result.value as never;
    },
    onEvent: (listener) => bridge.onEvent((event) => listener(event as AppEvent)),
  };
}

function httpBridge(): Bridge {
  return {
    async invoke(method, input) {
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
    },
    onEvent(listener) {
      const source = new EventSource('/api/events');
      source.onmessage = (message) => {
        try {
          listener(JSON.parse(message.data as string));
        } catch {
          // A malformed frame is dropped; events are progress hints, never the record.
        }
      };
      return () => source.close();
    },
  };
}

function failure(code: ApiErrorValue['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}
