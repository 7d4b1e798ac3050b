import type { Principal } from '../../core/api/principal';
import { dataOption, UsageError, stringOption, type Command } from '../command';
import { openCliCore } from '../core-for-cli';
import { PASSWORD_HINT, readPassword } from '../person';

/**
 * `custodia call METHOD [JSON]`: the scriptable door to every procedure, through the same router
 * as the UI, with the same validation and permission checks. Prints {ok, value} or {ok, error}.
 */
export const callCommand: Command = {
  name: 'call',
  summary: 'Invoke any API procedure through the router and print its typed result as JSON',
  usage: `call METHOD [JSON] [--data DIR] [--user NAME]   (${PASSWORD_HINT})`,
  options: { ...dataOption },
  // The router checks the procedure's permission against the person (or nobody) and records a refusal.
  access: { kind: 'per-procedure' },
  positionals: [1, 2],
  async run(args, io) {
    const [method, json] = args.positionals as [string, string | undefined];
    let input: unknown = undefined;
    if (json !== undefined) {
      try {
        input = JSON.parse(json);
      } catch {
        throw new UsageError('the input is not valid JSON (quote it for the shell: \'{"a":1}\')');
      }
    }
    const core = openCliCore(args);
    try {
      const principal = await signIn(core, stringOption(args, 'user'), io);
      const result = await core.router.call({ transport: 'cli', principal, emit: () => {} }, method, input);
      io.out(JSON.stringify(result, null, 2));
      return result.ok ? 0 : 1;
    } finally {
      await core.close();
    }
  },
};

export async function signIn(
  core: ReturnType<typeof openCliCore>,
  user: string | undefined,
  io: Parameters<Command['run']>[1],
): Promise<Principal | null> {
  if (user === undefined) return null;
  const password = await readPassword(io, user);
  const result = await core.router.call(
    { transport: 'cli', principal: null, emit: () => {} },
    'auth.signIn',
    { username: user, password },
  );
  if (!result.ok) throw new UsageError(`sign-in failed: ${result.error.message}`, 1);
  return (result.value as { principal: Principal }).principal;
}
