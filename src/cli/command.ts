import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Permission } from '../core/api/permissions';
import type { Principal } from '../core/api/principal';

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
  /** Who must be named before it runs (checked and recorded by main.ts before run is called). */
  readonly access: CommandAccess | ((args: ParsedArgs) => CommandAccess);
  /** Arguments a person could get wrong, refused before anyone is asked for a password. */
  checkArgs?(args: ParsedArgs): void;
  run(args: ParsedArgs, io: CliIo, caller: CliCaller): Promise<number>;
}

/**
 * Who a command must name before it does anything (issue 18: one door, one rule). A command that
 * reads records, shows serials, exports or changes keys names a person and passes the same
 * permission check as the API procedure it corresponds to; the rest say why they need nobody.
 */
export type CommandAccess =
  /** `--user NAME`, signed in with their own password, holding `permission` (as `procedure` does). */
  | { readonly kind: 'person'; readonly permission: Permission; readonly procedure: string }
  /**
   * The machine's owner, without a person (import, ledger verify, keys restore, sync run): recorded
   * as the operating-system user that ran it (`cli:<user>`), with every access entry the API writes.
   */
  | { readonly kind: 'machine-owner' }
  /** Every procedure it reaches checks its own caller (`call`, and `serve`'s sign-in page). */
  | { readonly kind: 'per-procedure' }
  /** Reads no records of a ledger (a file on disk, public keys and checkpoints, help). */
  | { readonly kind: 'none' };

/** What a command that declared its access is given to act as. */
export type CliCaller =
  | {
      readonly kind: 'person';
      readonly principal: Principal;
      /** The ledger actor: the person's user id. */
      readonly actor: string;
      /** Their password, kept for a signature the command takes (21 CFR 11.200(a)); never printed. */
      readonly password: string;
    }
  | { readonly kind: 'machine-owner' | 'per-procedure' | 'none'; readonly actor: string };

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

/** The access a command declares for these arguments (quarantine's depends on its action). */
export function accessOf(command: Command, args: ParsedArgs): CommandAccess {
  return typeof command.access === 'function' ? command.access(args) : command.access;
}

/** A command that may name a person takes --user NAME without listing it itself. */
function optionsOf(command: Command): Options {
  const mayNamePerson = typeof command.access === 'function' || command.access.kind !== 'none';
  return mayNamePerson ? { user: { type: 'string', short: 'u' }, ...command.options } : command.options;
}

export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: optionsOf(command), allowPositionals: true, strict: true });
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
