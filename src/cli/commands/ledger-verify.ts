import { verifyLedger } from '../../core/ledger/verify';
import { dataOption, type Command } from '../command';
import { openCliLedgerForReading, verdictExit } from './ledger-common';

/** `custodia ledger verify`: recompute every leaf hash, the tree, every checkpoint signature. */
export const ledgerVerifyCommand: Command = {
  name: 'ledger verify',
  summary:
    'Verify the whole ledger: every record, the tree, every checkpoint signature (exit 0 only if consistent)',
  usage: 'ledger verify [--data DIR]',
  options: { ...dataOption },
  // The machine's owner checks the ledger without a person (ledger.verify writes no entry either).
  access: { kind: 'machine-owner' },
  async run(args, io) {
    const opened = await openCliLedgerForReading(args);
    try {
      let lastShown = 0;
      const verdict = await verifyLedger(opened.ledger, {
        onProgress: (done, total) => {
          if (done - lastShown >= 100_000 || done === total) {
            io.err(`verified ${done} of ${total} records`);
            lastShown = done;
          }
        },
      });
      io.out(verdict.message);
      return verdictExit(verdict.status);
    } finally {
      opened.close();
    }
  },
};
