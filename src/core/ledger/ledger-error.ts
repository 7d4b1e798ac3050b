/** Named ledger failures; the API maps them to error codes the UI explains. */
export type LedgerErrorKind =
  'not-created' | 'keys-missing' | 'damaged' | 'disk-full' | 'integrity-alarm' | 'misuse';

export class LedgerError extends Error {
  constructor(
    readonly kind: LedgerErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'LedgerError';
  }
}
