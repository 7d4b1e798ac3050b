import fs from 'node:fs';
import path from 'node:path';
import type { OutputOf } from '../../core/api/contract';
import type { keysProcedures } from '../../core/api/procedures/keys';
import { passphraseWeakness } from '../../core/keys/passphrase';
import { dataOption, stringOption, UsageError, type Command } from '../command';
import { cliCommand } from '../invocation';
import { callAs, personOf, PASSWORD_HINT } from '../person';
import { readPassphrase } from './keys-common';

type Kit = OutputOf<(typeof keysProcedures)['keys.recoveryKit']>;

/**
 * `custodia keys recovery-kit --out FILE`: every key of the installation, sealed under a passphrase.
 * It carries the signing key, so it takes what keys.recoveryKit takes (an administrator, by name)
 * and goes through that procedure: the same check, and the same keys.recovery-kit-made entry.
 */
export const keysRecoveryKitCommand: Command = {
  name: 'keys recovery-kit',
  summary: 'Write a recovery kit: all keys of this ledger sealed under a passphrase you choose',
  usage: `keys recovery-kit --out FILE --user NAME [--data DIR]   (passphrase from stdin or CUSTODIA_PASSPHRASE; ${PASSWORD_HINT})`,
  options: { ...dataOption, out: { type: 'string', short: 'o' } },
  access: { kind: 'person', permission: 'settings.manage', procedure: 'keys.recoveryKit' },
  checkArgs(args) {
    const out = stringOption(args, 'out');
    if (out === undefined) throw new UsageError('--out FILE is required (where to save the kit)');
    if (fs.existsSync(path.resolve(out)))
      throw new UsageError(`${path.resolve(out)} already exists; choose a new file name`);
  },
  async run(args, io, caller) {
    const outFile = path.resolve(stringOption(args, 'out')!);
    const passphrase = await readPassphrase(io);
    // A weak passphrase is refused before the ledger is even opened.
    const weakness = passphraseWeakness(passphrase);
    if (weakness !== undefined) throw new UsageError(weakness, 1);
    const kit = await callAs<Kit>(args, caller, 'keys.recoveryKit', { passphrase });
    fs.writeFileSync(outFile, kit.text, { flag: 'wx', mode: 0o600 });
    io.out(
      `Recovery kit written to ${outFile} (recorded in the ledger as made by ${personOf(caller).principal.displayName}).`,
    );
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
