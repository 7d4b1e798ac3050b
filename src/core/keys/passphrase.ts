/**
 * The recovery-kit passphrase is the only thing between a stolen kit file and every key of the
 * ledger, and a kit can be attacked offline with no rate limit. So we follow NIST SP 800-63B-4
 * §3.1.1.2 for passwords used as a single factor: at least 15 characters (Unicode code points,
 * after NFKC normalization), no composition rules (they make passwords predictable, not strong),
 * and refuse repetitive or sequential patterns. Together with scrypt at 128 MiB per guess this
 * makes guessing a random four-word passphrase impractical.
 */
export const MIN_PASSPHRASE_LENGTH = 15;
const MIN_DISTINCT_CHARACTERS = 6;

/** NFKC, as NIST asks, so the same passphrase typed on another keyboard or OS still opens the kit. */
export function normalizePassphrase(passphrase: string): string {
  return passphrase.normalize('NFKC');
}

/** Why a passphrase is too weak to protect a recovery kit, or undefined when it is acceptable. */
export function passphraseWeakness(passphrase: string): string | undefined {
  const chars = [...normalizePassphrase(passphrase)];
  if (chars.length < MIN_PASSPHRASE_LENGTH) {
    return `The passphrase has ${chars.length} characters; use at least ${MIN_PASSPHRASE_LENGTH}, for example four or five unrelated words.`;
  }
  if (new Set(chars.map((c) => c.toLowerCase())).size < MIN_DISTINCT_CHARACTERS) {
    return 'The passphrase repeats too few different characters; use several unrelated words.';
  }
  if (isSequential(chars)) {
    return 'The passphrase is a simple sequence (like 123456… or abcdef…); use several unrelated words.';
  }
  return undefined;
}

function isSequential(chars: string[]): boolean {
  const codes = chars.map((c) => c.toLowerCase().codePointAt(0)!);
  let runs = 0;
  for (let i = 1; i < codes.length; i++) {
    if (Math.abs(codes[i]! - codes[i - 1]!) <= 1) runs++;
  }
  // Mostly neighbouring characters (1234567890…, abcdef…, qwerty rows are not caught: the length
  // rule carries most of the weight, as NIST intends).
  return runs >= 0.75 * (codes.length - 1);
}
