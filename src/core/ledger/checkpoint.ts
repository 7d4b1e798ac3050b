import { HASH_SIZE } from './merkle';
import {
  decodeBase64Strict,
  NoteError,
  openNote,
  signNote,
  type NoteCheck,
  type NoteSigner,
  type NoteVerifier,
} from './note';

/**
 * C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint) bodies: origin, decimal tree size, base64 root.
 * We write no extension lines: the spec calls them NOT RECOMMENDED because monitors cannot audit them.
 */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Buffer;
}

/** The log identity for one installation: vendor, registrant and installation (ledger-anchors §8.7). */
export function ledgerOrigin(registrant: string, installId: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '-');
  return `custodia.app/${clean(registrant)}/${clean(installId)}`;
}

export function formatCheckpoint(checkpoint: Checkpoint): string {
  if (checkpoint.root.length !== HASH_SIZE) throw new NoteError('a checkpoint root is 32 bytes');
  return `${checkpoint.origin}\n${checkpoint.size}\n${checkpoint.root.toString('base64')}\n`;
}

export function parseCheckpointText(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') throw new NoteError('a checkpoint has three lines');
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (origin.length === 0 || /[\s+]/u.test(origin)) throw new NoteError('the checkpoint origin is not valid');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText))
    throw new NoteError('the checkpoint size is not a decimal number');
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw new NoteError('the checkpoint size is too large');
  const root = decodeBase64Strict(rootText);
  if (root === null || root.length !== HASH_SIZE)
    throw new NoteError('the checkpoint root is not base64 of 32 bytes');
  if (lines.length > 4)
    throw new NoteError('the checkpoint has extension lines, which Custodia never writes');
  return { origin, size, root };
}

export function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSigner[]): string {
  return signNote(formatCheckpoint(checkpoint), signers);
}

export type CheckpointCheck =
  | { ok: true; checkpoint: Checkpoint; verifiedBy: string[] }
  | { ok: false; reason: Exclude<NoteCheck, { ok: true }>['reason']; message: string };

/** Opens a signed checkpoint; the body must parse strictly, and a trusted key must have signed it. */
export function openCheckpoint(signed: string, verifiers: readonly NoteVerifier[]): CheckpointCheck {
  const note = openNote(signed, verifiers);
  if (!note.ok) return note;
  try {
    return { ok: true, checkpoint: parseCheckpointText(note.text), verifiedBy: note.verifiedBy };
  } catch (error) {
    return { ok: false, reason: 'malformed', message: (error as Error).message };
  }
}
