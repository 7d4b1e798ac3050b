import path from 'node:path';
import { defaultDataDir } from '../../core/platform/data-dir';
import { stringOption, UsageError, type CliIo, type ParsedArgs } from '../command';

/** --data DIR, or the per-user data folder. */
export function dataDirOf(args: ParsedArgs): string {
  return path.resolve(stringOption(args, 'data') ?? defaultDataDir());
}

/**
 * The recovery passphrase comes from CUSTODIA_PASSPHRASE or stdin, never from an argument: command
 * lines are visible to other users (ps, /proc) and kept in shell history.
 */
export async function readPassphrase(io: CliIo): Promise<string> {
  const fromEnv = io.env.CUSTODIA_PASSPHRASE;
  const passphrase =
    fromEnv !== undefined && fromEnv !== '' ? fromEnv : (await io.readStdin()).replace(/\r?\n$/, '');
  if (passphrase === '') {
    throw new UsageError(
      'give the recovery passphrase on stdin or in CUSTODIA_PASSPHRASE (never as an argument)',
    );
  }
  return passphrase;
}
