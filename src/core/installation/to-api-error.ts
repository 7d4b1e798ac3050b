import { ApiError } from '../api/errors';
import { RecoveryKitError } from '../keys/recovery-kit-error';
import { SealingError } from '../sealing/sealing-error';
import { SecretStoreError } from '../secrets/secret-store';
import { StoreError } from '../store/errors';

/**
 * Turns the storage and key errors into the API's error codes, keeping the specific kind in
 * details.kind so the UI can explain it (wrong key, corrupted, newer than app, locked …). Returns
 * undefined for anything else, which the router reports as internal. Messages never hold secrets.
 */
export function keyAndStoreApiError(error: unknown): ApiError | undefined {
  if (error instanceof StoreError) {
    const code = error.kind === 'keychain-unavailable' ? 'keychain-unavailable' : 'ledger-unavailable';
    return new ApiError(code, error.message, { kind: error.kind });
  }
  if (error instanceof SecretStoreError) {
    return new ApiError('keychain-unavailable', error.message, { kind: error.kind });
  }
  if (error instanceof SealingError) {
    return new ApiError(error.kind === 'tampered' ? 'integrity-alarm' : 'ledger-unavailable', error.message, {
      kind: error.kind,
    });
  }
  if (error instanceof RecoveryKitError) {
    const code =
      error.kind === 'conflict' || error.kind === 'other-installation' ? 'conflict' : 'invalid-input';
    return new ApiError(code, error.message, { kind: error.kind });
  }
  return undefined;
}
