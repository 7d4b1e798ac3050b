import { z } from 'zod';

/**
 * Every failure that crosses a transport is one of these codes. The UI maps a code to an
 * explanation and a next step, so a code is a promise: add new ones, never repurpose one.
 */
export const ERROR_CODES = [
  'invalid-input', // the input did not match the procedure's schema; details.issues says where
  'unknown-method', // no procedure has that name
  'unauthenticated', // the procedure needs a signed-in person
  'forbidden', // the signed-in person's roles do not grant the permission
  'not-found',
  'conflict', // the request contradicts the current state (already done, changed meanwhile)
  'rule-violation', // a business or regulatory rule refused it; details.rule names the rule
  'keychain-unavailable', // the OS keychain is missing or locked: never fall back to plaintext
  'ledger-unavailable', // the ledger cannot be opened: wrong key, corrupted, newer than app, locked
  'integrity-alarm', // verification found tampering, rollback or inconsistency
  'cancelled',
  'internal', // a bug: the message is generic, the log has the stack (never secrets)
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const apiErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export type ApiErrorValue = z.infer<typeof apiErrorSchema>;

/** Thrown inside the core; the router turns it into an {@link ApiErrorValue} for every transport. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toValue(): ApiErrorValue {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorValue };
