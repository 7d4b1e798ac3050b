import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** One `custodia` sub-command. Each lives in its own file under commands/ and is listed in registry.ts. */
export interface Command {
  /** Words after `custodia`, e.g. "serve" or "keys rotate". */
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: Options;
  /** Positional arguments allowed (min, max). */
  readonly positionals?: readonly [number, number];
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
  readonly env: NodeJS.ProcessEnv;
}

/** An error the user can act on: printed as one line, exit status 2 unless given. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (usage: custodia ${command.usage})`);
  }
  const [min, max] = command.positionals ?? [0, 0];
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    throw new UsageError(`wrong number of arguments (usage: custodia ${command.usage})`);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export const dataOption: Options = {
  data: { type: 'string', short: 'd' },
};
