import type { AppEvent } from '../../core/api';
import { bytesToBase64 } from './base64';
import { ClientError, typedCall, type ApiClient } from './client';
import { MAX_UPLOAD_BYTES } from './uploads';

/** What the preload exposes in the desktop window (src/preload): one call, one event stream, a file's path. */
export interface Bridge {
  invoke(method: string, input: unknown): Promise<unknown>;
  onEvent(listener: (event: unknown) => void): () => void;
  /** The path of a dropped or picked file ('' for one that is not on disk). */
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    custodia?: Bridge;
  }
}

/**
 * The desktop window: calls go through the preload bridge. A file on disk is named by its path
 * and the core reads it (any size); one that is not (dragged from another program's memory) goes
 * inside the call as base64, where the contract takes MAX_UPLOAD_BYTES. Exports are written on
 * this computer already, where the page shows their path.
 */
export function desktopClient(bridge: Bridge): ApiClient {
  const pathOf = (file: File): string | undefined => bridge.pathForFile(file) || undefined;
  return {
    call: typedCall((method, input) => bridge.invoke(method, input)),
    onEvent: (listener) => bridge.onEvent((event) => listener(event as AppEvent)),
    fileLimit: (file) => (pathOf(file) !== undefined ? Number.POSITIVE_INFINITY : MAX_UPLOAD_BYTES),
    async stageFile(file, options = {}) {
      const path = pathOf(file);
      if (path !== undefined) return { path };
      const bytes = new Uint8Array(await file.arrayBuffer());
      if (options.signal?.aborted === true) {
        throw new ClientError({
          code: 'cancelled',
          message: `Reading ${file.name} was cancelled; nothing was kept.`,
        });
      }
      return { name: file.name, base64: bytesToBase64(bytes) };
    },
    exportLink: () => undefined,
  };
}
