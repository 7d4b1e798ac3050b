import { ApiError } from '../api/errors';
import type { Principal } from '../api/principal';
import type { Role } from '../api/permissions';
import { type AuthService, newUserId } from '../auth';
import type { Workspace, WriteTx } from '../ledger/workspace';
import {
  activeAdministrators,
  findUser,
  findUserByName,
  listUsers,
  lockoutState,
  principalOf,
  type UserRecord,
} from '../auth';

export function userView(ws: Workspace, user: UserRecord, nowMs: number) {
  const lock = lockoutState(ws.db, user.userId);
  return {
    userId: user.userId,
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    active: user.active,
    lockedUntil:
      lock.lockedUntilMs !== null && lock.lockedUntilMs > nowMs
        ? new Date(lock.lockedUntilMs).toISOString()
        : null,
    createdAt: new Date(user.createdMs).toISOString(),
  };
}

/** Staffing: people, roles and passwords. Every change is a ledger entry; no password ever is. */
export class UserService {
  constructor(private readonly auth: AuthService) {}

  async list() {
    const ws = await this.auth.workspace();
    return listUsers(ws.db).map((u) => userView(ws, u, ws.now()));
  }

  /** Creates a user inside the caller's flow: the first administrator at setup, or by an administrator. */
  async create(
    by: string,
    input: { username: string; displayName: string; roles: Role[]; password: string },
    also?: (tx: WriteTx) => void,
  ) {
    const ws = await this.auth.workspace();
    const attempt = {
      area: 'users',
      procedure: 'users.create',
      actor: by,
      subject: { username: input.username },
    };
    this.auth.checkPolicy(input.password, input.username);
    const record = await this.auth.hash(input.password);
    const userId = newUserId();
    await ws.guarded(attempt, (tx) => {
      also?.(tx);
      if (findUserByName(tx.db, input.username) !== null) {
        throw new ApiError('conflict', `The username "${input.username}" is taken; choose another.`, {
          rule: 'unique-username',
        });
      }
      tx.record('users.created', by, {
        userId,
        username: input.username.toLowerCase(),
        displayName: input.displayName,
        roles: [...new Set(input.roles)].sort(),
      });
      const entry = tx.record('users.password-set', by, { userId, by });
      tx.db
        .prepare('INSERT INTO credentials (user_id, record, set_seq) VALUES (?, ?, ?)')
        .run(userId, JSON.stringify(record), entry.seq);
    });
    return userView(ws, findUser(ws.db, userId)!, ws.now());
  }

  async update(
    by: Principal,
    input: { userId: string; displayName?: string; roles?: Role[]; active?: boolean },
  ) {
    const ws = await this.auth.workspace();
    const attempt = {
      area: 'users',
      procedure: 'users.update',
      actor: by.userId,
      subject: { userId: input.userId },
    };
    await ws.guarded(attempt, (tx) => {
      const user = findUser(tx.db, input.userId);
      if (user === null) throw new ApiError('not-found', `There is no user ${input.userId}.`);
      const next = {
        userId: user.userId,
        displayName: input.displayName ?? user.displayName,
        roles: [...new Set(input.roles ?? user.roles)].sort(),
        active: input.active ?? user.active,
      };
      const stillAdmin = next.active && next.roles.includes('administrator');
      if (
        !stillAdmin &&
        user.active &&
        user.roles.includes('administrator') &&
        activeAdministrators(tx.db).length === 1
      ) {
        throw new ApiError(
          'rule-violation',
          'This is the last active administrator; make someone else administrator first.',
          {
            rule: 'last-administrator',
          },
        );
      }
      tx.record('users.updated', by.userId, next);
    });
    const user = findUser(ws.db, input.userId)!;
    this.auth.sessions.refresh(user.userId, user.active ? principalOf(user) : null);
    return userView(ws, user, ws.now());
  }

  async resetPassword(by: Principal, userId: string, password: string) {
    const ws = await this.auth.workspace();
    const user = findUser(ws.db, userId);
    if (user === null) throw new ApiError('not-found', `There is no user ${userId}.`);
    this.auth.checkPolicy(password, user.username);
    await this.auth.setPassword(ws, userId, password, by.userId);
    return userView(ws, user, ws.now());
  }

  async unlockAccount(by: Principal, userId: string) {
    const ws = await this.auth.workspace();
    const user = findUser(ws.db, userId);
    if (user === null) throw new ApiError('not-found', `There is no user ${userId}.`);
    await ws.write((tx) => tx.record('users.account-unlocked', by.userId, { userId }));
    return userView(ws, user, ws.now());
  }
}
