import { ApiError } from '../api/errors';
import type { Principal } from '../api/principal';
import type { authProcedures } from '../api/procedures/auth';
import type { CallContext, Handlers } from '../api/router';
import { checkPassword, describePolicy, PASSWORD_MIN_LENGTH } from './password-policy';
import type { AuthService } from './service';

/** The signed-in person; the router has already refused a call without one for non-public procedures. */
export function me(ctx: CallContext): Principal {
  if (ctx.principal === null)
    throw new ApiError('unauthenticated', 'Sign in first: this needs a signed-in person.');
  return ctx.principal;
}

/** Who a write is recorded under: the signed-in person, or the app itself for unattended work. */
export function actorOf(ctx: CallContext): { id: string; displayName: string } {
  return ctx.principal === null
    ? { id: 'system', displayName: 'Custodia' }
    : { id: ctx.principal.userId, displayName: ctx.principal.displayName };
}

export function authHandlers(auth: AuthService): Handlers<typeof authProcedures> {
  return {
    'auth.signIn': async (input, ctx) => ({
      principal: await auth.signIn(input.username, input.password, ctx),
    }),
    'auth.signOut': async (_input, ctx) => ({ signedOut: await auth.signOut(ctx) }),
    'auth.session': (_input, ctx) => auth.state(ctx),
    'auth.lock': (_input, ctx) => {
      auth.lock(ctx);
      return { locked: true as const };
    },
    'auth.unlock': async (input, ctx) => ({ principal: await auth.unlock(input.password, ctx) }),
    'auth.changePassword': async (input, ctx) => {
      await auth.changePassword(me(ctx), input.currentPassword, input.newPassword);
      return { changed: true as const };
    },
    'auth.passwordPolicy': (input) => {
      const result = input?.candidate === undefined ? null : checkPassword(input.candidate, input.username);
      return {
        description: describePolicy(),
        minLength: PASSWORD_MIN_LENGTH,
        ok: result?.ok ?? null,
        problems: result?.problems ?? [],
      };
    },
  };
}
