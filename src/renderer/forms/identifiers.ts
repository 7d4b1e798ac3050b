/**
 * Instant feedback while a person types an identifier. The core checks every identifier again
 * (src/core/identifiers) and its answer is the one that counts; these mirror its rules so the
 * precise problem shows beside the field before anything is sent.
 */

/** DEA registration number: 2 letters + 7 digits, check digit (d1+d3+d5) + 2×(d2+d4+d6) mod 10 = d7. */
export function deaNumberProblem(input: string): string | undefined {
  const text = input.trim().toUpperCase();
  if (text.length === 0) return undefined;
  if (text.length !== 9)
    return `A DEA number has 9 characters (2 letters, 7 digits); this has ${text.length}.`;
  if (!/[A-Z]/.test(text[0]!)) return 'Character 1 must be a letter (the registrant type).';
  if (!/[A-Z9]/.test(text[1]!)) return 'Character 2 must be a letter or 9.';
  for (let i = 2; i < 9; i++) {
    if (!/[0-9]/.test(text[i]!)) return `Character ${i + 1} ("${text[i]}") must be a digit.`;
  }
  const d = [...text.slice(2)].map(Number);
  const expected = (d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!)) % 10;
  if (expected !== d[6]) {
    return `The check digit (character 9) is ${d[6]} but should be ${expected}: re-key the number from the DEA certificate.`;
  }
  return undefined;
}

/** GS1 Global Location Number: 13 digits, GS1 mod-10 check digit. */
export function glnProblem(input: string): string | undefined {
  const text = input.trim();
  if (!/^\d{13}$/.test(text)) return `GLN "${text}" must be exactly 13 digits.`;
  const digits = [...text].map(Number);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += digits[i]! * (i % 2 === 0 ? 1 : 3);
  const expected = (10 - (sum % 10)) % 10;
  if (expected !== digits[12])
    return `GLN ${text}: the check digit is ${digits[12]} but should be ${expected}.`;
  return undefined;
}

/** GLNs typed one per line or separated by commas or spaces. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The recovery-kit passphrase rule (NIST SP 800-63B-4 §3.1.1.2, as src/core/keys/passphrase.ts
 * applies it): at least 15 characters after NFKC normalization, and not just a few repeated ones.
 */
export const MIN_PASSPHRASE_LENGTH = 15;

export function passphraseProblem(passphrase: string): string | undefined {
  const chars = [...passphrase.normalize('NFKC')];
  if (chars.length < MIN_PASSPHRASE_LENGTH) {
    return `${chars.length} of at least ${MIN_PASSPHRASE_LENGTH} characters: four or five unrelated words work well.`;
  }
  if (new Set(chars.map((c) => c.toLowerCase())).size < 6) {
    return 'It repeats too few different characters; use several unrelated words.';
  }
  return undefined;
}

export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
