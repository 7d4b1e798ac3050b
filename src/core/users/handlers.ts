import type { usersProcedures } from '../api/procedures/users';
import type { Handlers } from '../api/router';
import { me } from '../auth';
import type { UserService } from './service';

export function usersHandlers(people: UserService): Handlers<typeof usersProcedures> {
  return {
    'users.list': async () => ({ users: await people.list() }),
    'users.create': (input, ctx) => people.create(me(ctx).userId, input),
    'users.update': (input, ctx) => people.update(me(ctx), input),
    'users.resetPassword': (input, ctx) => people.resetPassword(me(ctx), input.userId, input.newPassword),
    'users.unlockAccount': (input, ctx) => people.unlockAccount(me(ctx), input.userId),
  };
}
