export type SealingErrorKind =
  | 'tampered' // the sealed bytes, or the table/column/row they are bound to, were changed
  | 'key-unavailable'; // sealed with a key version this installation does not hold

/**
 * A sealed field could not be opened. Never carries the value, the row id or a key: the message
 * names only the table and column, which are schema, not data.
 */
export class SealingError extends Error {
  constructor(
    readonly kind: SealingErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SealingError';
  }
}
