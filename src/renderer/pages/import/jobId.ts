import { ClientError } from '../../api/client';

/** Any failure as the contract's typed error, so ErrorNotice can say what to do next. */
export function asClientError(error: unknown): ClientError {
  return error instanceof ClientError ? error : new ClientError({ code: 'internal', message: String(error) });
}

export function formatMs(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Bytes to base64 in slices: String.fromCharCode on a whole 6 MB file overflows the call stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const slice = 0x8000;
  for (let i = 0; i < bytes.length; i += slice) {
    binary += String.fromCharCode(...bytes.subarray(i, i + slice));
  }
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Saves bytes or text as a file the person downloads. A blob link works the same in Electron and
 * in the headless host, and the core never needs to know where the person keeps files.
 */
export function downloadFile(name: string, content: Uint8Array | string, mediaType: string): void {
  const blob = new Blob([typeof content === 'string' ? content : new Uint8Array(content)], {
    type: mediaType,
  });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A job id the core reports progress under; unique enough for one window. */
export function jobId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** GS (ASCII 29) and other control characters made visible, as a scanner's output is hard to read otherwise. */
export function showControls(text: string): string {
  // eslint-disable-next-line no-control-regex -- showing control characters is the point
  return text.replace(/[\u0000-\u001f]/g, (c) => (c === '\u001d' ? '⟨GS⟩' : `⟨${c.charCodeAt(0)}⟩`));
}
