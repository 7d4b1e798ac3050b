import { accessOf, parseCommandArgs, UsageError, type CliIo, type Command } from './command';
import { commands } from './registry';
import { hasLedger, openCliLedger, requireLedger } from './commands/ledger-common';
import { callerFor } from './person';
import { dataDirOf } from './commands/keys-common';
import { ensureKeychain } from './keyring';
import { cliCommand, withCliCommand } from './invocation';

/** The commands that may create a ledger in an empty --data folder; every other one refuses it. */
const CREATES_LEDGER = new Set(['import', 'demo load', 'serve', 'call', 'keys restore']);

/** Runs one CLI invocation and returns its exit status; never throws. */
export async function runCli(argv: string[], given: CliIo): Promise<number> {
  // What goes wrong names the commands to run next as they run here (npx --no custodia …).
  const io: CliIo = { ...given, err: (text) => given.err(withCliCommand(text, given.env)) };
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(helpText());
    return 0;
  }
  const command = findCommand(argv);
  if (command === undefined) {
    const group = commands.filter((c) => c.name.startsWith(`${argv[0]} `));
    if (group.length > 0) {
      // "custodia ledger" alone: the commands of that group, not "unknown command".
      const width = Math.max(...group.map((c) => c.name.length));
      io.out(
        [
          `custodia ${argv[0]}: one of`,
          ...group.map((c) => `  ${cliCommand(io.env)} ${c.name.padEnd(width)}  ${c.summary}`),
          '',
          `${cliCommand(io.env)} ${argv[0]} <command> --help shows its options.`,
        ].join('\n'),
      );
      return argv.length === 1 || argv[1] === '--help' || argv[1] === '-h' ? 0 : 2;
    }
    io.err(
      `custodia: unknown command "${argv
        .filter((a) => !a.startsWith('-'))
        .slice(0, 2)
        .join(' ')}" (see custodia help)`,
    );
    return 2;
  }
  const rest = argv.slice(command.name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`custodia ${command.usage}\n  ${command.summary}`);
    return 0;
  }
  try {
    const args = parseCommandArgs(command, rest);
    const access = accessOf(command, args);
    // A mistyped folder first, then mistyped arguments, then the person: nobody types a password in vain.
    if (access.kind === 'person') requireLedger(args);
    command.checkArgs?.(args);
    // Without a desktop session, start or reuse the data folder's keyring before the ledger opens;
    // a folder without a ledger is left alone unless this command may create one there.
    if ('data' in command.options) {
      const dataDir = dataDirOf(args);
      if (command.name !== 'keyring stop' && (CREATES_LEDGER.has(command.name) || hasLedger(dataDir)))
        await ensureKeychain(dataDir, io);
    }
    // The person (or the machine's owner) is checked, and a refusal recorded, before the command does anything.
    const caller = await callerFor(access, args, io, command.name, {
      require: requireLedger,
      open: (a) => openCliLedger(a),
    });
    return await command.run(args, io, caller);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`custodia ${command.name}: ${error.message}`);
      return error.exitCode;
    }
    io.err(`custodia ${command.name}: ${describe(error)}`);
    return 1;
  }
}

/** The longest command name that prefixes argv wins, so "keys rotate" beats "keys". */
function findCommand(argv: string[]): Command | undefined {
  return [...commands]
    .sort((a, b) => b.name.length - a.name.length)
    .find((command) => {
      const words = command.name.split(' ');
      return words.every((word, i) => argv[i] === word);
    });
}

function describe(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return `${error.message} [${error.code}]`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = [...commands]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'custodia: compliance workstation (DSCSA, DEA, FSMA 204) on an encrypted, tamper-evident ledger',
    '',
    'Usage: custodia <command> [options]   (custodia <command> --help for its options)',
    '',
    'Commands:',
    ...lines,
    '',
    'Most commands take --data DIR (default: $CUSTODIA_DATA or the per-user data folder).',
  ].join('\n');
}
