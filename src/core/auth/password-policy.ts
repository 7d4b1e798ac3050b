/**
 * A password policy a person can live with, after NIST SP 800-63B §5.1.1.2: length matters, not
 * composition rules; no forced periodic changes; refuse passwords that are commonly used, repeat
 * one character, or contain the username. Passphrases and any Unicode are welcome.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

// The most common passwords of at least 12 characters in public breach lists; short ones are
// already refused by length. A longer list can be loaded later without changing the rule.
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  '12345678910',
  'qwertyuiopas',
  'qwertyuiop123',
  '1q2w3e4r5t6y',
  'password1234',
  'password12345',
  'passwordpassword',
  'iloveyou1234',
  'administrator',
  'letmein12345',
  'welcome12345',
  'changeme1234',
  'pharmacy1234',
  'pharmacist123',
  'custodia1234',
]);

export interface PolicyResult {
  readonly ok: boolean;
  /** Plain-language reasons, none of which repeats the password. */
  readonly problems: string[];
}

export function checkPassword(password: string, username?: string): PolicyResult {
  const problems: string[] = [];
  const length = [...password.normalize('NFC')].length;
  if (length < PASSWORD_MIN_LENGTH) {
    problems.push(
      `Use at least ${PASSWORD_MIN_LENGTH} characters; a few ordinary words make a good passphrase.`,
    );
  }
  if (length > PASSWORD_MAX_LENGTH) problems.push(`Use at most ${PASSWORD_MAX_LENGTH} characters.`);
  const lower = password.toLowerCase();
  if (COMMON.has(lower))
    problems.push('This password is on lists of commonly used passwords; choose another.');
  if (length > 0 && new Set(lower).size <= 2) problems.push('Use more than one or two different characters.');
  if (username !== undefined && username.length >= 3 && lower.includes(username.toLowerCase())) {
    problems.push('Do not include your username in your password.');
  }
  return { ok: problems.length === 0, problems };
}

export function describePolicy(): string {
  return (
    `At least ${PASSWORD_MIN_LENGTH} characters (a passphrase of ordinary words is fine), not a commonly ` +
    'used password, not your username. No required symbols or digits, and no forced expiry.'
  );
}
