import os from 'node:os';
import { ApiError } from '../core/api/errors';
import { rolesGrant } from '../core/api/permissions';
import type { Principal } from '../core/api/principal';
import type { CallContext } from '../core/api/router';
import { AuthService } from '../core/auth';
import { workspaceFor } from '../core/ledger/open';
import { projections } from '../core/projections';
import { openCliCore } from './core-for-cli';
import {
  stringOption,
  UsageError,
  type CliCaller,
  type CliIo,
  type CommandAccess,
  type ParsedArgs,
} from './command';

/** How the password is given, for usage lines and messages. */
export const PASSWORD_HINT = 'password from CUSTODIA_PASSWORD or typed when asked';

/** The CLI's actor in the ledger for the machine's owner: the operating-system user who ran it. */
export function osUserActor(): string {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (containers)
  }
  return `cli:${user}`.slice(0, 200);
}

/**
 * The person's own password: CUSTODIA_PASSWORD, else typed at the terminal without echo. Never an
 * argument (ps, shell history) and never stdin, which stays free for a recovery-kit passphrase.
 */
export async function readPassword(io: CliIo, username: string, purpose = 'to sign in'): Promise<string> {
  const fromEnv = io.env.CUSTODIA_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (process.stdin.isTTY === true && io.env === process.env)
    return promptHidden(`Password for ${username} (${purpose}): `);
  throw new UsageError(
    `give ${username}'s password in CUSTODIA_PASSWORD, or run this at a terminal to type it when asked`,
  );
}

/**
 * The caller of one command run, checked before the command does anything: a named person signs
 * in (recorded: auth.signed-in, or auth.sign-in-failed) and must hold the permission; a person
 * refused by permission is recorded as `access.refused` exactly as the router records a refused
 * call (AuditedRouter), then the command stops with exit 1.
 */
export async function callerFor(
  access: CommandAccess,
  args: ParsedArgs,
  io: CliIo,
  command: string,
  ledger: {
    /** Refuses a folder without a ledger, before anyone is asked for a password. */
    require(args: ParsedArgs): void;
    open(args: ParsedArgs): Promise<Parameters<typeof workspaceFor>[0]>;
  },
): Promise<CliCaller> {
  if (access.kind !== 'person') return { kind: access.kind, actor: osUserActor() };
  ledger.require(args);
  const username = stringOption(args, 'user');
  if (username === undefined)
    throw new UsageError(
      `${command} needs the person doing it: add --user NAME (${PASSWORD_HINT}); it is checked and recorded as ${access.procedure} is`,
    );
  const password = await readPassword(io, username);
  const opened = await ledger.open(args);
  try {
    const workspace = workspaceFor(opened, projections);
    const auth = new AuthService({ workspace: () => Promise.resolve(workspace) });
    const call: CallContext = { transport: 'cli', principal: null, emit: () => {} };
    let principal: Principal;
    try {
      principal = await auth.signIn(username, password, call);
    } catch (error) {
      if (error instanceof ApiError) throw new UsageError(`sign-in failed: ${error.message}`, 1);
      throw error;
    }
    if (!rolesGrant(principal.roles, access.permission)) {
      const message = `${principal.displayName}'s roles (${principal.roles.join(', ') || 'none'}) do not allow ${access.permission}, which ${command} needs; nothing was done.`;
      await auth.recordRefusal({ ...call, principal }, access.procedure, { code: 'forbidden', message });
      throw new UsageError(message, 1);
    }
    return { kind: 'person', principal, actor: principal.userId, password };
  } finally {
    opened.close();
  }
}

/**
 * Calls one procedure through the core's router as the command's person: the API's own permission
 * check, handler and ledger entries (trace.lookup's access entry, keys.recoveryKit's record). A
 * refusal is one line and exit 1.
 */
export async function callAs<T>(
  args: ParsedArgs,
  caller: CliCaller,
  method: string,
  input: unknown,
): Promise<T> {
  const core = openCliCore(args);
  try {
    const { principal } = personOf(caller);
    const result = await core.router.call({ transport: 'cli', principal, emit: () => {} }, method, input);
    if (!result.ok) throw new UsageError(result.error.message, 1);
    return result.value as T;
  } finally {
    await core.close();
  }
}

/** The signed-in person of a caller, for a command whose access is 'person'. */
export function personOf(caller: CliCaller | undefined): Extract<CliCaller, { kind: 'person' }> {
  if (caller?.kind !== 'person') throw new Error('this command declares no person requirement');
  return caller;
}

/** Reads a line typed without echo (the password never shows on screen or in the scrollback). */
export function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(text);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish();
          reject(new UsageError('cancelled: nothing was done', 130));
          return;
        }
        text = ch === '\u007f' || ch === '\b' ? text.slice(0, -1) : text + ch;
      }
    };
    stdin.on('data', onData);
  });
}
