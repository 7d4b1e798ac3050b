import { canonicalize } from '../ledger/jcs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { Principal } from '../api/principal';
import type { Role } from '../api/permissions';
import type { Entry } from '../ledger/workspace';
import type { FailureState } from './lockout';

export interface UserRecord {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly roles: Role[];
  readonly active: boolean;
  readonly createdMs: number;
}

interface UserRow {
  user_id: string;
  username: string;
  display_name: string;
  roles: string;
  active: number;
  created_ms: number;
}

function fromRow(row: UserRow): UserRecord {
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    roles: JSON.parse(row.roles) as Role[],
    active: row.active === 1,
    createdMs: row.created_ms,
  };
}

/** Whether anyone has an account yet (a fresh installation has none until setup). */
export function hasUsers(db: Database): boolean {
  return db.prepare('SELECT 1 FROM users LIMIT 1').get() !== undefined;
}

export function findUserByName(db: Database, username: string): UserRecord | null {
  const row = db.prepare('SELECT * FROM users WHERE username = ?').get(username.toLowerCase()) as
    UserRow | undefined;
  return row ? fromRow(row) : null;
}

export function findUser(db: Database, userId: string): UserRecord | null {
  const row = db.prepare('SELECT * FROM users WHERE user_id = ?').get(userId) as UserRow | undefined;
  return row ? fromRow(row) : null;
}

export function listUsers(db: Database): UserRecord[] {
  return (db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(fromRow);
}

export function activeAdministrators(db: Database): UserRecord[] {
  return listUsers(db).filter((u) => u.active && u.roles.includes('administrator'));
}

export function principalOf(user: UserRecord): Principal {
  return {
    userId: user.userId,
    username: user.username,
    displayName: user.displayName,
    roles: [...user.roles],
  };
}

export function lockoutState(db: Database, userId: string): FailureState {
  const row = db
    .prepare('SELECT failures, first_failure_ms, locked_until_ms FROM user_lockout WHERE user_id = ?')
    .get(userId) as
    { failures: number; first_failure_ms: number | null; locked_until_ms: number | null } | undefined;
  if (row === undefined) return { failures: 0, firstFailureMs: null, lockedUntilMs: null };
  return { failures: row.failures, firstFailureMs: row.first_failure_ms, lockedUntilMs: row.locked_until_ms };
}

/** Lockout state carried by failure entries (computed when written, stored as is on replay). */
export interface LockoutPayload {
  readonly userId: string;
  readonly failures: number;
  readonly firstFailureMs: number | null;
  readonly lockedUntilMs: number | null;
}

const RESETS_LOCKOUT = new Set([
  'auth.signed-in',
  'auth.session-unlocked',
  'users.account-unlocked',
  'users.password-set',
]);

/** Projects users.* and the lockout parts of auth.* and *.refused entries. */
export function projectPeople(db: Database, entry: Entry): void {
  const p = entry.payload;
  switch (entry.type) {
    case 'users.created':
      db.prepare(
        'INSERT INTO users (user_id, username, display_name, roles, active, created_ms, created_seq) VALUES (?, ?, ?, ?, 1, ?, ?)',
      ).run(p.userId, p.username, p.displayName, canonicalize(p.roles), entry.time, entry.seq);
      return;
    case 'users.updated':
      db.prepare('UPDATE users SET display_name = ?, roles = ?, active = ? WHERE user_id = ?').run(
        p.displayName,
        canonicalize(p.roles),
        p.active ? 1 : 0,
        p.userId,
      );
      return;
  }
  if (RESETS_LOCKOUT.has(entry.type) && typeof p.userId === 'string') {
    db.prepare('DELETE FROM user_lockout WHERE user_id = ?').run(p.userId);
    return;
  }
  const lockout = p.lockout as LockoutPayload | null | undefined;
  if (lockout && typeof lockout.userId === 'string') {
    db.prepare(
      `INSERT INTO user_lockout (user_id, failures, first_failure_ms, locked_until_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET failures = excluded.failures,
         first_failure_ms = excluded.first_failure_ms, locked_until_ms = excluded.locked_until_ms`,
    ).run(lockout.userId, lockout.failures, lockout.firstFailureMs, lockout.lockedUntilMs);
  }
}
