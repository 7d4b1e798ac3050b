import { parseCommandArgs, UsageError, type CliIo, type Command } from './command';
import { commands } from './registry';

/** Runs one CLI invocation and returns its exit status; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
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
          ...group.map((c) => `  custodia ${c.name.padEnd(width)}  ${c.summary}`),
          '',
          `custodia ${argv[0]} <command> --help shows its options.`,
        ].join('\n'),
      );
      return argv.length === 1 || argv[1] === '--help' || argv[1] === '-h' ? 0 : 2;
    }
    io.err(
      `custodia: unknown command "${argv
        .filter((a) => !a.startsWith('-'))
        .slice(0, 2)
        .join(' ')}" (see custodia --help)`,
    );
    return 2;
  }
  const rest = argv.slice(command.name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`custodia ${command.usage}\n  ${command.summary}`);
    return 0;
  }
  try {
    return await command.run(parseCommandArgs(command, rest), io);
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
