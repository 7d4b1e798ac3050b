import { dataOption, type Command } from '../command';
import { openCliLedgerForReading } from './ledger-common';

/** `custodia ledger checkpoint`: the current signed checkpoint, to hand to a partner or an auditor. */
export const ledgerCheckpointCommand: Command = {
  name: 'ledger checkpoint',
  summary: 'Print the current signed checkpoint (C2SP signed note) to give to a trading partner or auditor',
  usage: 'ledger checkpoint [--data DIR]',
  options: { ...dataOption },
  // A signed tree head (size, root) is meant to be handed out; it shows no record.
  access: { kind: 'none' },
  async run(args, io) {
    const opened = await openCliLedgerForReading(args);
    try {
      // The note already ends with a newline; out() adds one more, so trim it.
      io.out(opened.ledger.latestCheckpoint().note.replace(/\n$/, ''));
      return 0;
    } finally {
      opened.close();
    }
  },
};
