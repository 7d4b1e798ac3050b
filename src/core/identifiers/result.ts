/**
 * Every identifier parser returns a value or a precise error; none throws on bad input.
 * `rule` is a stable machine name (tests and the UI switch on it), `message` says what to fix,
 * `position` is the 0-based index of the offending character in the input when one can be named.
 */
export interface IdentifierError {
  readonly rule: string;
  readonly message: string;
  readonly position?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: IdentifierError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(rule: string, message: string, position?: number): Result<T> {
  return { ok: false, error: position === undefined ? { rule, message } : { rule, message, position } };
}

/** Re-bases an error found inside a substring onto the whole input. */
export function shift<T>(result: Result<T>, offset: number): Result<T> {
  if (result.ok || result.error.position === undefined) return result;
  return { ok: false, error: { ...result.error, position: result.error.position + offset } };
}
