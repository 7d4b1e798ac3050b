export type RecoveryKitErrorKind =
  | 'wrong-passphrase' // the passphrase does not open the kit (or the kit file was altered)
  | 'malformed' // not a Custodia recovery kit, or a version this app cannot read
  | 'weak-passphrase'
  | 'other-installation' // the kit belongs to another ledger than the one in the folder
  | 'conflict'; // the keychain already holds different keys for this installation

/** A recovery kit could not be made or used; never carries a key or the passphrase. */
export class RecoveryKitError extends Error {
  constructor(
    readonly kind: RecoveryKitErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RecoveryKitError';
  }
}
