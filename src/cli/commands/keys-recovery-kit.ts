import fs from 'node:fs';
import path from 'node:path';
import { makeRecoveryKit } from '../../core/keys/make-recovery-kit';
import { passphraseWeakness } from '../../core/keys/passphrase';
import { openRecoveryKit } from '../../core/keys/recovery-kit';
import { dataOption, stringOption, UsageError, type Command } from '../command';
import { readPassphrase } from './keys-common';
import { openCliLedger } from './ledger-common';
import { cliCommand } from '../invocation';

/** `custodia keys recovery-kit --out FILE`: every key of the installation, sealed under a passphrase. */
export const keysRecoveryKitCommand: Command = {
  name: 'keys recovery-kit',
  summary: 'Write a recovery kit: all keys of this ledger sealed under a passphrase you choose',
  usage: 'keys recovery-kit --out FILE [--data DIR]   (passphrase from stdin or CUSTODIA_PASSPHRASE)',
  options: { ...dataOption, out: { type: 'string', short: 'o' } },
  async run(args, io) {
    const out = stringOption(args, 'out');
    if (out === undefined) throw new UsageError('--out FILE is required (where to save the kit)');
    const outFile = path.resolve(out);
    if (fs.existsSync(outFile)) throw new UsageError(`${outFile} already exists; choose a new file name`);
    const passphrase = await readPassphrase(io);
    // A weak passphrase is refused before the ledger is even opened.
    const weakness = passphraseWeakness(passphrase);
    if (weakness !== undefined) throw new UsageError(weakness, 1);
    // Through the ledger, so that on first use its keys (checkpoint signing) exist and are in the kit.
    const opened = await openCliLedger(args);
    const { installation } = opened;
    let kit: Awaited<ReturnType<typeof makeRecoveryKit>>;
    try {
      kit = await makeRecoveryKit(installation, passphrase);
    } finally {
      opened.close();
    }
    // Prove the kit opens with this passphrase before anyone relies on it.
    openRecoveryKit(kit.text, passphrase);
    fs.writeFileSync(outFile, kit.text, { flag: 'wx', mode: 0o600 });
    io.out(`Recovery kit for installation ${installation.installId} written to ${outFile}`);
    io.out(`It holds: ${kit.secretNames.join(', ')}.`);
    if (kit.notYetCreated.length > 0) {
      io.out(`Not in this kit because they do not exist yet: ${kit.notYetCreated.join(', ')}.`);
      io.out('Make a new kit once the ledger has been opened (they are created on its first use).');
    }
    io.out('Keep it away from this computer (a USB stick in a safe, a password manager) and keep the');
    io.out(
      `passphrase separately. With both, "${cliCommand(io.env)} keys restore" brings the ledger back on a new computer.`,
    );
    return 0;
  },
};
