import type { Database } from 'better-sqlite3-multiple-ciphers';
import { ApiError } from '../api/errors';
import { entryOf, type Entry } from '../ledger/workspace';
import { findUser, type UserRecord } from './accounts';

/** How long a role a person gave themselves cannot sign alone (issue 18). */
export const SELF_GRANT_WAIT_MS = 24 * 60 * 60 * 1000;

/**
 * Why this person's signature would not mean what it says, or null. 21 CFR 11.10(d) and (g) and
 * 11.300: a signature identifies one person only if only that person knows the password and holds
 * the authority. So a password an administrator reset (the administrator knows it) signs nothing
 * until its owner has changed it; and a role a person gave themselves signs nothing alone for
 * 24 hours, until a second administrator confirms it (saves that person's roles again).
 */
export function signingRefusal(db: Database, user: UserRecord, nowMs: number): ApiError | null {
  const reset = resetByOther(db, user);
  if (reset !== null)
    return new ApiError(
      'forbidden',
      `${user.displayName}'s password was reset by an administrator on ${new Date(reset.time).toISOString().slice(0, 16).replace('T', ' ')} UTC; ${user.displayName} must change it (Change password) before signing anything. Nothing was signed.`,
      { rule: 'password-must-change', resetBy: reset.actor, resetAt: new Date(reset.time).toISOString() },
    );
  const granted = selfGrantedRoles(db, user, nowMs);
  if (granted.length > 0)
    return new ApiError(
      'forbidden',
      `${user.displayName} gave themselves the ${granted.join(', ')} role in the last 24 hours; a role one grants oneself signs nothing alone until a second administrator confirms it, or 24 hours have passed. Nothing was signed.`,
      { rule: 'self-granted-role', roles: granted },
    );
  return null;
}

/** The entry that set the person's current password, when someone else set it after the account was made. */
export function resetByOther(db: Database, user: UserRecord): Entry | null {
  const setSeq = db.prepare('SELECT set_seq FROM credentials WHERE user_id = ?').pluck().get(user.userId) as
    number | undefined;
  if (setSeq === undefined) return null;
  const leaf = db.prepare('SELECT leaf FROM ledger_leaves WHERE seq = ?').pluck().get(setSeq) as
    Buffer | undefined;
  if (leaf === undefined) return null;
  const entry = entryOf(leaf);
  if (entry.type !== 'users.password-set' || entry.payload.by === user.userId) return null;
  return isFirstPassword(db, user.userId, setSeq) ? null : entry;
}

/**
 * The first password, set with the account (users.created, then users.password-set in one write),
 * is the administrator's to hand over; a reset later is what must not sign (see README of issue 18).
 */
function isFirstPassword(db: Database, userId: string, seq: number): boolean {
  const created = db.prepare('SELECT created_seq FROM users WHERE user_id = ?').pluck().get(userId) as
    number | undefined;
  return created !== undefined && seq === created + 1;
}

/** When someone other than its owner last set a person's password, who, and whether the owner has changed it since. */
export interface PasswordReset {
  readonly resetAt: string;
  readonly resetBy: string;
  readonly resetByName: string;
  readonly changedSince: boolean;
}

/**
 * The last reset of a person's password by someone else (an administrator), for the auditor reading
 * signatures (21 CFR 11.300(b): passwords are periodically checked, recalled or revised): a reset
 * means another person knew the password until its owner changed it. Null when it never happened.
 */
export function lastPasswordReset(db: Database, userId: string): PasswordReset | null {
  const leaves = db
    .prepare("SELECT leaf FROM ledger_leaves WHERE type = 'users.password-set' ORDER BY seq DESC")
    .pluck()
    .all() as Buffer[];
  let changedSince = false;
  for (const leaf of leaves) {
    const entry = entryOf(leaf);
    if (entry.payload.userId !== userId) continue;
    if (entry.payload.by === userId) {
      changedSince = true;
      continue;
    }
    if (isFirstPassword(db, userId, entry.seq)) return null;
    return {
      resetAt: new Date(entry.time).toISOString(),
      resetBy: entry.actor,
      resetByName: findUser(db, entry.actor)?.displayName ?? entry.actor,
      changedSince,
    };
  }
  return null;
}

/** Roles the person holds that they last granted themselves, within the wait. */
function selfGrantedRoles(db: Database, user: UserRecord, nowMs: number): string[] {
  const grantedBy = new Map<string, { actor: string; time: number }>();
  let previous = new Set<string>();
  const leaves = db
    .prepare("SELECT leaf FROM ledger_leaves WHERE type IN ('users.created', 'users.updated') ORDER BY seq")
    .pluck()
    .all() as Buffer[];
  for (const leaf of leaves) {
    const entry = entryOf(leaf);
    if (entry.payload.userId !== user.userId) continue;
    const roles = new Set((entry.payload.roles as string[] | undefined) ?? []);
    for (const role of roles)
      // A role is granted by whoever added it; another person saving it again confirms it.
      if (!previous.has(role) || entry.actor !== user.userId)
        grantedBy.set(role, { actor: entry.actor, time: entry.time });
    previous = roles;
  }
  return user.roles.filter((role) => {
    const grant = grantedBy.get(role);
    return grant !== undefined && grant.actor === user.userId && nowMs - grant.time < SELF_GRANT_WAIT_MS;
  });
}
