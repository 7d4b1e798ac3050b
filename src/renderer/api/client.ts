import type { AppEvent, ApiErrorValue, Contract, InputOf, Method, OutputOf, Result } from '../../core/api';

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

/** How ingest.import names one file: by its path, as a staged upload, or with its bytes. */
export type ImportFile = InputOf<Contract['ingest.import']>['files'][number];

export interface StageOptions {
  /** Bytes sent so far, when the file travels before the call (called with 0 as it starts). */
  readonly onProgress?: (sent: number, total: number) => void;
  /** Stops a file still on its way; the promise then fails as 'cancelled'. */
  readonly signal?: AbortSignal;
}

/**
 * Everything a page may ask of the core. Whether this window is the desktop app (the preload
 * bridge) or a browser on the headless host is the client's business alone: pages never branch
 * on it, each transport answers these the way it can.
 */
export interface ApiClient {
  call<M extends Method>(method: M, input: InputOf<Contract[M]>): Promise<OutputOf<Contract[M]>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** The largest file (bytes) this window can hand to ingest.import; Infinity when the core reads it itself. */
  fileLimit(file: File): number;
  /** Gets a dropped or picked file to where ingest.import can read it, and answers how to name it there. */
  stageFile(file: File, options?: StageOptions): Promise<ImportFile>;
  /** A link to fetch a file the core wrote to its exports folder, unless it is already on this computer. */
  exportLink(path: string): { readonly href: string; readonly name: string } | undefined;
}

/** A transport's answer to one call, as the contract's Result, made into a value or a thrown ClientError. */
export function typedCall(invoke: (method: string, input: unknown) => Promise<unknown>): ApiClient['call'] {
  return async (method, input) => {
    const result = (await invoke(method, input)) as Result<unknown>;
    if (!result.ok) throw new ClientError(result.error);
    return result.value as never;
  };
}
