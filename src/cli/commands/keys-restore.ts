import fs from 'node:fs';
import path from 'node:path';
import { restoreRecoveryKit } from '../../core/keys/restore-recovery-kit';
import { workspaceFor } from '../../core/ledger/open';
import { projections } from '../../core/projections';
import { dataOption, UsageError, type Command, type ParsedArgs } from '../command';
import { openCliLedger } from './ledger-common';
import { dataDirOf, readPassphrase } from './keys-common';

/** `custodia keys restore FILE`: puts a recovery kit's keys into this computer's keychain. */
export const keysRestoreCommand: Command = {
  name: 'keys restore',
  summary: "Restore a recovery kit's keys into this computer's keychain so the copied ledger opens",
  usage: 'keys restore FILE [--data DIR] [--replace]   (passphrase from stdin or CUSTODIA_PASSPHRASE)',
  options: { ...dataOption, replace: { type: 'boolean' } },
  positionals: [1, 1],
  // No person can be checked before the kit opens the ledger: the machine's owner, recorded as such.
  access: { kind: 'machine-owner' },
  async run(args, io, caller) {
    const kitFile = path.resolve(args.positionals[0]!);
    let kitText: string;
    try {
      kitText = fs.readFileSync(kitFile, 'utf8');
    } catch {
      throw new UsageError(`cannot read the recovery kit ${kitFile}`, 1);
    }
    const passphrase = await readPassphrase(io);
    const dataDir = dataDirOf(args);
    const result = await restoreRecoveryKit({
      kitText,
      passphrase,
      dataDir,
      replace: args.values.replace === true,
    });
    io.out(`Restored the keys of installation ${result.installId} into this computer's keychain.`);
    if (result.written.length > 0) io.out(`Written: ${result.written.join(', ')}.`);
    if (result.unchanged.length > 0) io.out(`Already present: ${result.unchanged.join(', ')}.`);
    if (result.ledger === 'opened') await recordRestore(args, caller.actor, result);
    io.out(
      result.ledger === 'opened'
        ? `The ledger in ${dataDir} opens with them.`
        : `Copy ledger.db from the old computer into ${dataDir}; it will open with these keys.`,
    );
    return 0;
  },
};

/** The restore, in the ledger it opened: who (the operating-system user) and which keys, never their values. */
async function recordRestore(
  args: ParsedArgs,
  actor: string,
  result: { written: string[]; unchanged: string[] },
): Promise<void> {
  const opened = await openCliLedger(args);
  try {
    await workspaceFor(opened, projections).write((tx) =>
      tx.record('keys.recovery-kit-restored', actor, {
        written: result.written,
        unchanged: result.unchanged,
      }),
    );
  } finally {
    opened.close();
  }
}
