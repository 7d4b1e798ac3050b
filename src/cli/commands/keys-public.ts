import { dataOption, type Command } from '../command';
import { openCliLedger } from './ledger-common';

/** `custodia keys public`: the checkpoint verification key, last line in the form --trusted-key takes. */
export const keysPublicCommand: Command = {
  name: 'keys public',
  summary: 'Print the checkpoint verification key (last line: the value for audit verify --trusted-key)',
  usage: 'keys public [--data DIR]',
  options: { ...dataOption },
  // The verification key is meant to be handed out (auditors, partners); it opens nothing.
  access: { kind: 'none' },
  async run(args, io) {
    const opened = await openCliLedger(args);
    try {
      const keys = opened.ledger.signingKeys();
      io.out(`origin: ${opened.ledger.origin}`);
      if (keys.previous)
        io.out(
          `previous key (still co-signing until ${new Date(keys.overlapUntilMs ?? 0).toISOString()}): ${keys.previous.vkey}`,
        );
      io.out('Give this key to your auditors and trading partners through a channel they trust:');
      io.out(keys.current.vkey);
      return 0;
    } finally {
      opened.close();
    }
  },
};
