import path from 'node:path';
import { backupFolder, backupLedger, restoreBackup, setBackupFolder } from '../../core/ledger/backup';
import { UsageError, dataOption, type Command } from '../command';
import { dataDirOf } from './keys-common';
import { openCliLedger } from './ledger-common';

/**
 * `custodia backup`: an encrypted copy of the ledger with the signed checkpoint it holds, into the
 * folder given with --to (remembered: the app then backs up there after each import and daily).
 */
export const backupCommand: Command = {
  name: 'backup',
  summary: 'Back up the ledger (encrypted, with its signed checkpoint) into a folder you choose',
  usage: 'backup [--to FOLDER] [--data DIR]   (the folder is remembered for the next backups)',
  options: { ...dataOption, to: { type: 'string' } },
  // The machine's owner copies the encrypted file; no record is shown and no entry is written.
  access: { kind: 'machine-owner' },
  async run(args, io) {
    const dataDir = dataDirOf(args);
    const given = args.values.to as string | undefined;
    const folder = given ?? backupFolder(dataDir);
    if (folder === null) throw new UsageError('say where backups go with --to FOLDER (it is remembered)');
    const opened = await openCliLedger(args);
    try {
      const result = await backupLedger(opened.ledger, folder);
      if (given !== undefined) setBackupFolder(dataDir, given);
      io.out(`Backed up ${result.size} records to ${result.file}`);
      io.out(`Its signed checkpoint: ${path.basename(result.checkpointFile)}`);
      return 0;
    } finally {
      opened.close();
    }
  },
};

/** `custodia backup restore FILE`: puts a backup back, only if it is as new as the last signed checkpoint. */
export const backupRestoreCommand: Command = {
  name: 'backup restore',
  summary: 'Restore a backup (only one as new as the last signed checkpoint; the replaced ledger is kept)',
  usage: 'backup restore FILE [--data DIR]   (close Custodia first)',
  options: { ...dataOption },
  access: { kind: 'machine-owner' },
  positionals: [1, 1],
  async run(args, io) {
    const result = await restoreBackup({ dataDir: dataDirOf(args), file: args.positionals[0]! });
    io.out(`Restored ${result.size} records; ${result.verdict}`);
    if (result.replaced !== null) io.out(`The ledger it replaced was kept as ${result.replaced}`);
    return 0;
  },
};
