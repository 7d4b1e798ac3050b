/**
 * Account lockout after repeated wrong passwords (NIST SP 800-63B §5.2.2 rate limiting): after
 * `maxFailures` wrong passwords within `windowMs`, the account refuses every password, right or
 * wrong, for `lockMs`. Wrong re-entered passwords for signatures and witnessing count too, so a
 * signature prompt cannot be used to guess a colleague's password. Pure: the caller stores state.
 */
export interface LockoutPolicy {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly lockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export interface FailureState {
  readonly failures: number;
  readonly firstFailureMs: number | null;
  readonly lockedUntilMs: number | null;
}

export const NO_FAILURES: FailureState = { failures: 0, firstFailureMs: null, lockedUntilMs: null };

export function isLockedOut(state: FailureState, nowMs: number): boolean {
  return state.lockedUntilMs !== null && nowMs < state.lockedUntilMs;
}

/** The state after one more wrong password, and whether this failure locked the account. */
export function recordFailure(
  state: FailureState,
  nowMs: number,
  policy: LockoutPolicy,
): { state: FailureState; lockedNow: boolean } {
  const expired =
    state.firstFailureMs === null ||
    nowMs - state.firstFailureMs > policy.windowMs ||
    (state.lockedUntilMs !== null && nowMs >= state.lockedUntilMs);
  const failures = expired ? 1 : state.failures + 1;
  const firstFailureMs = expired ? nowMs : state.firstFailureMs;
  if (failures >= policy.maxFailures) {
    return { state: { failures, firstFailureMs, lockedUntilMs: nowMs + policy.lockMs }, lockedNow: true };
  }
  return { state: { failures, firstFailureMs, lockedUntilMs: null }, lockedNow: false };
}
