/** A job id the core reports progress under; unique enough for one window. */
export function jobId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
