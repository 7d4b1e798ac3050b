import { NoteError, openNote, parseNote, parseVerifierKey, type NoteVerifier } from '../note';

/**
 * Which keys to believe, and from which tree size. Trust starts ONLY from keys the auditor gives
 * (CVE-2022-39199: never take the anchor from the data being verified). A key rotation statement
 * carried in the data extends that trust when it is signed by both the old and the new key
 * (ledger-anchors §8 C.9): the trusted side vouches for the other.
 */
export const ROTATION_HEADER = 'custodia.app/key-rotation/v1';

export interface Rotation {
  readonly origin: string;
  readonly oldKey: string;
  readonly newKey: string;
  /** The first tree size whose checkpoint the new key signs. */
  readonly fromSize: number;
}

export function formatRotation(rotation: Rotation): string {
  return [
    ROTATION_HEADER,
    `origin ${rotation.origin}`,
    `old ${rotation.oldKey}`,
    `new ${rotation.newKey}`,
    `from ${rotation.fromSize}`,
    '',
  ].join('\n');
}

export function parseRotationText(text: string): Rotation {
  const m =
    /^custodia\.app\/key-rotation\/v1\norigin (\S+)\nold (\S+)\nnew (\S+)\nfrom (0|[1-9][0-9]{0,15})\n$/.exec(
      text,
    );
  if (m === null) throw new NoteError('not a key rotation statement');
  return { origin: m[1]!, oldKey: m[2]!, newKey: m[3]!, fromSize: Number(m[4]) };
}

export interface TrustedKey {
  readonly verifier: NoteVerifier;
  /** Checkpoints of at least this size may be signed by it. */
  readonly fromSize: number;
  readonly via: 'argument' | 'rotation';
}

export type TrustResult =
  | { readonly ok: true; readonly keys: readonly TrustedKey[] }
  | { readonly ok: false; readonly reason: string };

export function deriveTrust(anchors: readonly NoteVerifier[], rotationNotes: readonly string[]): TrustResult {
  const keys = new Map<string, TrustedKey>();
  for (const verifier of anchors) keys.set(verifier.vkey, { verifier, fromSize: 0, via: 'argument' });
  const parsed: { note: string; rotation: Rotation; oldV: NoteVerifier; newV: NoteVerifier }[] = [];
  for (const note of rotationNotes) {
    try {
      const rotation = parseRotationText(parseNote(note).text);
      parsed.push({
        note,
        rotation,
        oldV: parseVerifierKey(rotation.oldKey),
        newV: parseVerifierKey(rotation.newKey),
      });
    } catch (error) {
      return { ok: false, reason: `a key rotation statement is malformed (${(error as Error).message})` };
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const { note, rotation, oldV, newV } of parsed) {
      const oldTrusted = keys.has(oldV.vkey);
      const newTrusted = keys.has(newV.vkey);
      if (oldTrusted === newTrusted) continue;
      if (!openNote(note, [oldV]).ok || !openNote(note, [newV]).ok) {
        return {
          ok: false,
          reason: `the rotation from key ${oldV.vkey} to ${newV.vkey} is not signed by both keys`,
        };
      }
      if (oldTrusted) keys.set(newV.vkey, { verifier: newV, fromSize: rotation.fromSize, via: 'rotation' });
      else keys.set(oldV.vkey, { verifier: oldV, fromSize: 0, via: 'rotation' });
      changed = true;
    }
  }
  return { ok: true, keys: [...keys.values()] };
}

export function verifiersFor(keys: readonly TrustedKey[], size: number): NoteVerifier[] {
  return keys.filter((k) => k.fromSize <= size).map((k) => k.verifier);
}
